// The subcommands of the `lifecircle` executable. Each lives in its own cmd_*.cpp, parses its
// flags with cli::Args and calls the library; none holds domain logic.
#pragma once

#include <string>
#include <vector>

namespace lifecircle::cli {

using Argv = std::vector<std::string>;

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const Argv& args);
};

int cmd_validate(const Argv& args);
int cmd_serve(const Argv& args);
int cmd_build_data(const Argv& args);
int cmd_network_report(const Argv& args);
int cmd_coverage(const Argv& args);
int cmd_indicators(const Argv& args);
int cmd_siting(const Argv& args);
int cmd_scenario(const Argv& args);

}  // namespace lifecircle::cli
