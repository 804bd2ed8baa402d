#include <cstdio>

#include "cli/analysis_common.hpp"
#include "cli/commands.hpp"
#include "lifecircle/analysis_json.hpp"

namespace lifecircle::cli {

int cmd_indicators(const Argv& argv) {
  const Args args(argv,
                  {"data", "standards", "family", "by", "district", "profile", "minutes", "speed",
                   "detour", "mode", "format"},
                  {"help"});
  if (args.flag("help") || args.positionals().empty()) {
    std::puts(
        "usage: lifecircle indicators per-thousand|meal-capacity|columbaria|one-plus-n\n"
        "         [--data MANIFEST] [--family eldercare|meal|columbarium (per-thousand)]\n"
        "         [--by district|street] [--district CODE] [--profile P]\n"
        "         [--minutes M] [--speed M_PER_S] [--detour D] [--mode euclidean|network]\n"
        "         [--format table|json|csv|geojson] [--standards FILE]\n"
        "per-thousand: floor area per 1000 residents against the profile's target (all three\n"
        "families when --family is not given, as JSON or one table each); meal-capacity: meals\n"
        "per day per 1000 residents 60+ and 60+ walking coverage; columbaria: rural towns without\n"
        "a public columbarium and the distance from each town's population centre to the nearest;\n"
        "one-plus-n: comprehensive centers per street/town and coverage of populated cells.");
    return args.flag("help") ? 0 : 2;
  }
  if (args.positionals().size() != 1) throw UsageError("name exactly one indicator");
  const std::string what = args.positionals()[0];
  IndicatorRequest req;
  req.profile = args.get_or("profile", "");
  req.overrides = overrides_from(args);
  req.by = by_from(args, AggregateBy::district);
  req.district = args.get_or("district", "");
  req.mode = args.get_or("mode", "euclidean");
  const std::string format = args.get_or("format", "table");
  if (what != "per-thousand" && what != "meal-capacity" && what != "columbaria" &&
      what != "one-plus-n")
    throw UsageError("unknown indicator '" + what + "'");

  const LoadedAnalysis a = load_analysis(args);
  const Dataset& d = *a.dataset;
  try {
    if (what == "per-thousand") {
      std::vector<Family> families{Family::eldercare, Family::meal, Family::columbarium};
      if (const auto f = args.get("family")) {
        const auto fam = parse_family(*f);
        if (!fam) throw UsageError("--family must be eldercare, meal or columbarium");
        families = {*fam};
      }
      if (families.size() == 1) {
        const auto r = a.analyzer->per_thousand(d, families[0], req);
        const nlohmann::json geo = per_thousand_geojson(d, *r);
        print(format, *r, per_thousand_csv(*r), &geo);
      } else if (format == "json") {
        nlohmann::json all = nlohmann::json::object();
        for (Family f : families)
          all[std::string(to_string(f))] = *a.analyzer->per_thousand(d, f, req);
        std::cout << all.dump(2) << "\n";
      } else {
        for (Family f : families) {
          const auto r = a.analyzer->per_thousand(d, f, req);
          if (format == "table") std::printf("\n# %s\n", std::string(to_string(f)).c_str());
          print(format, *r, per_thousand_csv(*r));
        }
      }
    } else if (what == "meal-capacity") {
      const auto r = a.analyzer->meal_capacity(d, req);
      const nlohmann::json geo = meal_capacity_geojson(d, *r);
      print(format, *r, meal_capacity_csv(*r), &geo);
    } else if (what == "columbaria") {
      const auto r = a.analyzer->columbaria(d, req);
      const nlohmann::json geo = columbaria_geojson(d, *r);
      print(format, *r, columbaria_csv(*r), &geo);
    } else {
      const auto r = a.analyzer->one_plus_n(d, req);
      const nlohmann::json geo = one_plus_n_geojson(d, *r);
      print(format, *r, one_plus_n_csv(*r), &geo);
    }
  } catch (const AnalysisError& e) {
    throw UsageError(e.what());
  }
  return 0;
}

}  // namespace lifecircle::cli
