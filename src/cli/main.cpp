#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/commands.hpp"

namespace {

using lifecircle::cli::Command;

const Command kCommands[] = {
    {"serve", "serve the dataset over HTTP (OGC API - Features and analysis endpoints)",
     lifecircle::cli::cmd_serve},
    {"validate", "load a manifest, print the validation report, exit 1 on errors",
     lifecircle::cli::cmd_validate},
    {"build-data", "build the shipped Shanghai dataset (gis-data/shanghai) from gis-data/sources",
     lifecircle::cli::cmd_build_data},
    {"network-report",
     "walking-network graph stats, components and detour factor of a network file",
     lifecircle::cli::cmd_network_report},
    {"coverage", "share of residents (and 60+) within the walk of a facility type, by unit; gaps",
     lifecircle::cli::cmd_coverage},
    {"indicators", "per-thousand floor area, meal capacity, columbaria, 1+N",
     lifecircle::cli::cmd_indicators},
    {"siting", "new sites covering the most uncovered demand, or the fewest reaching a target",
     lifecircle::cli::cmd_siting},
    {"scenario", "what-if: add, remove, move or change facilities; coverage before and after",
     lifecircle::cli::cmd_scenario},
};

void usage(std::FILE* out) {
  std::fprintf(out, "usage: lifecircle <command> [options]\n\ncommands:\n");
  for (const auto& c : kCommands) std::fprintf(out, "  %-12s %s\n", c.name, c.summary);
  std::fprintf(out, "\nRun `lifecircle <command> --help` for a command's options.\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::vector<std::string> rest(argv + 2, argv + argc);
  for (const auto& c : kCommands) {
    if (std::strcmp(argv[1], c.name) != 0) continue;
    try {
      return c.run(rest);
    } catch (const lifecircle::cli::UsageError& e) {
      std::fprintf(stderr, "lifecircle %s: %s\n", c.name, e.what());
      return 2;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "lifecircle %s: error: %s\n", c.name, e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "lifecircle: unknown command '%s'\n\n", argv[1]);
  usage(stderr);
  return 2;
}
