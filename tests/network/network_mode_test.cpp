// mode=network end to end: a manifest that names a walking network (the People's Square OSM
// extract) loads it into the dataset version, and coverage, the CLI's loader path and the HTTP
// API answer with walking distances. Expected values follow from the triangle inequality: a
// walk (snap + path + snap) is never shorter than the straight line between its ends.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "lifecircle/analyzer.hpp"
#include "lifecircle/geometry.hpp"
#include "lifecircle/loader.hpp"
#include "lifecircle/network.hpp"
#include "lifecircle/server.hpp"
#include "server/http_client.hpp"
#include "support/temp_dir.hpp"

namespace lifecircle {
namespace {

using nlohmann::json;

const std::string kOsm =
    std::string(LIFECIRCLE_TEST_DATA) + "/network/people_square_drive_network.osm";
const std::string kStandards =
    std::string(LIFECIRCLE_SOURCE_DIR) + "/gis-data/standards/standards.json";

std::string manifest(const testing::TempDir& dir, const std::string& network_source) {
  dir.write("districts.geojson", R"({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"code": "310101", "name": "黄浦区", "population": 3600},
     "geometry": {"type": "Polygon", "coordinates": [[[121.455,31.215],[121.492,31.215],[121.492,31.246],[121.455,31.246],[121.455,31.215]]]}}]})");
  // A 6 x 6 grid of demand points over the extract, 100 residents each.
  std::string pop = "id,population,population_60plus,lon,lat\n";
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j) {
      char row[128];
      std::snprintf(row, sizeof row, "p%d%d,100,30,%.5f,%.5f\n", i, j, 121.465 + i * 0.0034,
                    31.223 + j * 0.003);
      pop += row;
    }
  dir.write("population.csv", pop);
  dir.write("facilities.csv",
            "id,name,family,type,lon,lat\n"
            "a,人民广场中心,eldercare,comprehensive_center,121.4737,31.2304\n"
            "b,西侧中心,eldercare,comprehensive_center,121.4680,31.2350\n");
  return dir.write("manifest.json", R"({"name": "people-square", "standards": ")" + kStandards +
                                        R"(",
    "extent": [121.0, 30.9, 122.0, 31.9],
    "layers": {
      "districts": {"source": "districts.geojson"},
      "population": {"source": "population.csv", "x_field": "lon", "y_field": "lat"},
      "facilities": [{"source": "facilities.csv", "x_field": "lon", "y_field": "lat"}],
      "network": {"source": ")" + network_source +
                                        R"("}}})");
}

CoverageRequest request(const std::string& mode) {
  CoverageRequest r;
  r.selection.family = Family::eldercare;
  r.selection.types = {"comprehensive_center"};
  r.by = AggregateBy::city;
  r.mode = mode;
  r.area = false;
  r.overrides.detour_factor = 1.0;  // euclidean = the straight line itself
  return r;
}

TEST(NetworkMode, TheManifestsNetworkTravelsWithTheDatasetAndWalksAreNeverShorterThanLines) {
  testing::TempDir dir;
  const LoadResult r = load_dataset(manifest(dir, kOsm), network_load_options());
  ASSERT_TRUE(r.dataset) << r.report.to_text();
  ASSERT_NE(r.dataset->walking_network(), nullptr);
  const auto analyzer = make_analyzer(*r.dataset);

  const auto line = analyzer->coverage(*r.dataset, request("euclidean"));
  const auto walk = analyzer->coverage(*r.dataset, request("network"));
  EXPECT_EQ(walk->mode, "network");
  ASSERT_EQ(line->distance_m.size(), 36u);
  std::size_t finite = 0, longer = 0;
  for (std::size_t i = 0; i < 36; ++i) {
    if (!std::isfinite(walk->distance_m[i])) continue;
    ++finite;
    EXPECT_GE(walk->distance_m[i], line->distance_m[i] - 0.01f) << "demand point " << i;
    if (walk->distance_m[i] > line->distance_m[i] * 1.05f) ++longer;
  }
  EXPECT_GT(finite, 30u) << "every grid point lies within snapping reach of a street";
  EXPECT_GT(longer, finite / 2) << "streets make most walks measurably longer than lines";
  EXPECT_LE(walk->total.covered, line->total.covered);
}

TEST(NetworkMode, ABrokenNetworkStopsTheLoadNamingTheFile) {
  testing::TempDir dir;
  const LoadResult r = load_dataset(manifest(dir, "missing.osm"), network_load_options());
  EXPECT_FALSE(r.dataset);
  bool named = false;
  for (const auto& p : r.report.problems())
    named |= p.severity == Severity::error && p.layer == "network" && p.file == "missing.osm";
  EXPECT_TRUE(named) << r.report.to_text();
}

TEST(NetworkMode, HttpCoverageAnswersInNetworkModeAndStandardsListIt) {
  testing::TempDir dir;
  const LoadResult r = load_dataset(manifest(dir, kOsm), network_load_options());
  ASSERT_TRUE(r.dataset) << r.report.to_text();
  auto store = std::make_shared<DatasetStore>(r.dataset);
  ServerOptions o;
  o.port = 0;
  o.access_log = false;
  Server server(store, o);
  server.start();

  const auto walk = test::http_get(
      server.port(),
      "/coverage?family=eldercare&type=comprehensive_center&by=city&mode=network&detour=1");
  ASSERT_EQ(walk.status, 200) << walk.body;
  const auto line = test::http_get(
      server.port(),
      "/coverage?family=eldercare&type=comprehensive_center&by=city&mode=euclidean&detour=1");
  ASSERT_EQ(line.status, 200) << line.body;
  const json w = json::parse(walk.body), l = json::parse(line.body);
  EXPECT_EQ(w["request"]["mode"], "network");
  EXPECT_LE(w["total"]["covered"].get<double>(), l["total"]["covered"].get<double>());

  const json standards = json::parse(test::http_get(server.port(), "/standards").body);
  EXPECT_NE(std::find(standards["modes"].begin(), standards["modes"].end(), "network"),
            standards["modes"].end());
  server.stop();
}

}  // namespace
}  // namespace lifecircle
