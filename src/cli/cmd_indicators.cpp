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
  // The service's parameters of each indicator, so both accept the same options.
  const std::vector<std::string_view>* names = what == "per-thousand"    ? &kPerThousandParams
                                               : what == "meal-capacity" ? &kMealCapacityParams
                                               : what == "columbaria"    ? &kColumbariaParams
                                               : what == "one-plus-n"    ? &kOnePlusNParams
                                                                         : nullptr;
  if (!names) throw UsageError("unknown indicator '" + what + "'");
  IndicatorRequest req;
  std::optional<Family> family;
  with_usage_errors([&] {
    std::vector<std::string_view> given;
    for (const char* n :
         {"family", "by", "district", "profile", "minutes", "speed", "detour", "mode"})
      if (args.get(n)) given.emplace_back(n);
    req = parse_indicator_request(params_of(args, given), *names, OverrideBounds{});
    if (what == "per-thousand") family = parse_family_param(params_of(args, {"family"}));
  });
  const std::string format = args.get_or("format", "table");

  const LoadedAnalysis a = load_analysis(args);
  const Dataset& d = *a.dataset;
  try {
    if (what == "per-thousand") {
      std::vector<Family> families{Family::eldercare, Family::meal, Family::columbarium};
      if (family) families = {*family};
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
