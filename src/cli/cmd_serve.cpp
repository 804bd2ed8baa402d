#include <cstdio>

#include "cli/commands.hpp"

namespace lifecircle::cli {

int cmd_serve(const Argv&) {
  std::fputs("lifecircle serve: not built yet\n", stderr);
  return 1;
}

}  // namespace lifecircle::cli
