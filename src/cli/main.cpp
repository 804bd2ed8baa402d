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
