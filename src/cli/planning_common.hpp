// What `lifecircle siting` and `lifecircle scenario` share: turning the planning library's
// errors into the CLI's (a planning error is printed with its code and the field at fault and
// exits 1; an analysis error is a usage error, exit 2).
#pragma once

#include <cstdio>

#include "cli/args.hpp"
#include "lifecircle/analyzer.hpp"
#include "lifecircle/planning.hpp"

namespace lifecircle::cli {

template <class Body>
int run_planning(const char* command, Body body) {
  try {
    body();
  } catch (const planning::PlanningError& e) {
    std::fprintf(stderr, "lifecircle %s: %s (%s, field '%s')\n", command, e.what(),
                 std::string(e.reason()).c_str(), e.field().c_str());
    return 1;
  } catch (const AnalysisError& e) {
    throw UsageError(e.what());
  }
  return 0;
}

}  // namespace lifecircle::cli
