#include <cstdio>

#include "cli/analysis_common.hpp"
#include "cli/commands.hpp"
#include "cli/export_gpkg.hpp"
#include "lifecircle/analysis_json.hpp"

namespace lifecircle::cli {

int cmd_coverage(const Argv& argv) {
  const Args args(argv,
                  {"data", "standards", "family", "type", "status", "by", "district", "profile",
                   "minutes", "speed", "detour", "mode", "format", "out"},
                  {"help", "gaps", "service-areas", "no-area"});
  if (args.flag("help")) {
    std::puts(
        "usage: lifecircle coverage [--data MANIFEST] --family F [--type T[,T...]]\n"
        "         [--status open[,planned...]] [--by city|district|street] [--district CODE]\n"
        "         [--profile P] [--minutes M] [--speed M_PER_S] [--detour D]\n"
        "         [--mode euclidean|network] [--no-area] [--gaps | --service-areas]\n"
        "         [--format table|json|csv|geojson] [--standards FILE] [--out FILE.gpkg]\n"
        "Share of residents (and of residents 60+) within the standards profile's walk of the\n"
        "selected facilities, per unit. --gaps lists uncovered populated demand (geojson adds\n"
        "the dissolved uncovered area); --service-areas prints the display polygons (geojson).\n"
        "A resident exactly at the threshold is covered.");
    return 0;
  }
  if (!args.positionals().empty()) throw UsageError("takes no positional arguments");
  CoverageRequest req;
  with_usage_errors([&] {
    ParamList p = params_of(args, kCoverageParams);
    if (args.flag("no-area")) p.emplace_back("area", "false");
    req = parse_coverage_request(p, OverrideBounds{});
  });
  const std::string format = args.get_or("format", "table");

  const LoadedAnalysis a = load_analysis(args);
  const Dataset& d = *a.dataset;
  try {
    if (args.flag("gaps")) {
      const auto g = a.analyzer->gaps(d, req);
      const nlohmann::json geo = gaps_geojson(*g);
      print(format, *g, gaps_csv(*g), &geo);
    } else if (args.flag("service-areas")) {
      const auto s = a.analyzer->service_areas(d, req);
      const nlohmann::json geo = service_areas_geojson(*s);
      print(format == "table" || format == "csv" ? "json" : format, *s, "", &geo);
    } else {
      const auto c = a.analyzer->coverage(d, req);
      const nlohmann::json geo = coverage_geojson(d, *c);
      print(format, *c, coverage_csv(*c), &geo);
      note_distance_model(*c);
    }
    // --out: the same run as a GeoPackage for QGIS (export_gpkg.cpp); the summary goes to stderr
    // so stdout stays the printed result.
    if (const auto out = args.get("out"))
      std::fprintf(stderr, "%s\n", export_coverage_gpkg(*out, d, *a.analyzer, req).c_str());
  } catch (const AnalysisError& e) {
    throw UsageError(e.what());
  }
  return 0;
}

}  // namespace lifecircle::cli
