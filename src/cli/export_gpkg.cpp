#include "cli/export_gpkg.hpp"

#include "lifecircle/analysis_json.hpp"
#include "lifecircle/geopackage.hpp"

namespace lifecircle::cli {

namespace {

nlohmann::json only_kind(const nlohmann::json& fc, const std::string& kind) {
  nlohmann::json out = {{"type", "FeatureCollection"}, {"features", nlohmann::json::array()}};
  for (const auto& f : fc["features"])
    if (f["properties"].value("kind", "") == kind) out["features"].push_back(f);
  return out;
}

}  // namespace

std::string export_coverage_gpkg(const std::string& path, const Dataset& d, Analyzer& analyzer,
                                 const CoverageRequest& req) {
  const auto c = analyzer.coverage(d, req);
  const auto g = analyzer.gaps(d, req);
  const auto s = analyzer.service_areas(d, req);
  const nlohmann::json gaps = gaps_geojson(*g);
  const std::string units = "coverage_" + std::string(to_string(req.by));
  write_geopackage(path, {{units, coverage_geojson(d, *c), "MULTIPOLYGON"},
                          {"uncovered_cells", only_kind(gaps, "cell"), "POINT"},
                          {"uncovered_area", only_kind(gaps, "area"), "MULTIPOLYGON"},
                          {"service_areas", service_areas_geojson(*s), "MULTIPOLYGON"}});
  return "wrote " + path + ": " + units + " (" + std::to_string(c->units.size()) +
         "), uncovered_cells (" + std::to_string(g->cells.size()) +
         "), uncovered_area (1), service_areas (" + std::to_string(s->size()) + ")";
}

}  // namespace lifecircle::cli
