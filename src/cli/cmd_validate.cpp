#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "lifecircle/loader.hpp"
#include "lifecircle/manifest.hpp"
#include "lifecircle/network.hpp"

namespace lifecircle::cli {

int cmd_validate(const Argv& argv) {
  const Args args(argv, {"format"}, {"help"});
  if (args.flag("help")) {
    std::puts(
        "usage: lifecircle validate [MANIFEST] [--format text|json]\n"
        "Loads every layer of MANIFEST (default: the shipped Shanghai data) and prints each\n"
        "problem with its file, layer, feature and field. Exit status 1 when any is an error.");
    return 0;
  }
  if (args.positionals().size() > 1) throw UsageError("takes at most one MANIFEST");
  const std::string path =
      args.positionals().empty() ? default_manifest_path() : args.positionals()[0];
  const std::string format = args.get_or("format", "text");
  if (format != "text" && format != "json") throw UsageError("--format must be text or json");

  const LoadResult r = load_dataset(path, network_load_options());
  if (format == "json") {
    nlohmann::json j = r.report;
    j["manifest"] = path;
    j["ok"] = r.report.ok();
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << r.report.to_text();
    if (r.dataset) {
      const Dataset& d = *r.dataset;
      std::printf(
          "%s: %zu districts, %zu streets/towns, %zu committees, %zu population cells, "
          "%zu facilities, %zu plan indicators; %zu errors, %zu warnings (%.2f s)\n",
          path.c_str(), d.districts().size(), d.streets_towns().size(), d.committees().size(),
          d.population().size(), d.facilities().size(), d.plan_indicators().size(),
          r.report.error_count(), r.report.warning_count(), d.info().load_seconds);
    } else {
      std::printf("%s: %zu errors, %zu warnings: not loaded\n", path.c_str(),
                  r.report.error_count(), r.report.warning_count());
    }
  }
  return r.report.ok() ? 0 : 1;
}

}  // namespace lifecircle::cli
