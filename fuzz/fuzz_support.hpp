// What the fuzz targets share: how a broken promise is reported. libFuzzer treats the abort as
// a crash and saves the input that caused it.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

namespace lifecircle::fuzz {

[[noreturn]] inline void fail(const char* what, const std::string& where,
                              const std::string& detail) {
  std::fprintf(stderr, "fuzz: %s (%s): %.2000s\n", what, where.c_str(), detail.c_str());
  std::abort();
}

}  // namespace lifecircle::fuzz
