// Every polygon the service serves is valid as written, including districts that MakeValid
// repaired: tests/data/repair holds a coarse district layer whose rings cross themselves in loops
// a few millimetres wide. Repaired naively those loops survive as parts and holes that collapse
// to rings of one or two distinct points at the 7 served decimals. Each served geometry is read
// back from the HTTP answer with GDAL (OGR's GeoJSON reader, GEOS's validity test).
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "lifecircle/loader.hpp"
#include "lifecircle/server.hpp"
#include "server/http_client.hpp"
#include "support/served_dataset.hpp"

namespace lifecircle {
namespace {

using nlohmann::json;

struct OgrGeometryDeleter {
  void operator()(OGRGeometry* g) const { OGRGeometryFactory::destroyGeometry(g); }
};

// Fails the test for each polygon ring with fewer than three distinct positions, and for each
// geometry GEOS finds invalid.
void expect_valid(const json& geometry, const std::string& where) {
  if (geometry.is_null()) return;
  const std::string type = geometry["type"];
  if (type != "Polygon" && type != "MultiPolygon") return;
  const json polys =
      type == "MultiPolygon" ? geometry["coordinates"] : json::array({geometry["coordinates"]});
  for (const auto& poly : polys)
    for (const auto& ring : poly) {
      std::set<std::pair<double, double>> distinct;
      for (const auto& c : ring) distinct.insert({c[0].get<double>(), c[1].get<double>()});
      EXPECT_GE(distinct.size(), 3u) << where << ": ring " << ring.dump();
    }
  std::unique_ptr<OGRGeometry, OgrGeometryDeleter> g(
      OGRGeometryFactory::createFromGeoJson(geometry.dump().c_str()));
  ASSERT_TRUE(g) << where << ": GDAL cannot read " << geometry.dump();
  EXPECT_TRUE(g->IsValid()) << where << ": invalid " << geometry.dump();
}

TEST(ServedGeometry, RepairedSelfIntersectingDistrictsAreServedValidEverywhere) {
  const LoadResult r = load_dataset(std::string(LIFECIRCLE_TEST_DATA) + "/repair/manifest.json");
  ASSERT_TRUE(r.dataset) << r.report.to_text();
  ASSERT_GE(r.report.warning_count(), 2u) << "both districts needed repair";
  const test::ServedDataset server(r.dataset);
  std::size_t polygons = 0;
  for (const std::string path :
       {"/collections/districts/items",
        "/collections/districts/items?crs=urn:lifecircle:crs:GCJ-02",
        "/service-areas?family=eldercare", "/service-areas?family=eldercare&minutes=3",
        "/coverage?family=eldercare&by=district&f=geojson",
        "/coverage/gaps?family=eldercare&minutes=2&f=geojson"}) {
    const auto res = test::http_get(server.port(), path);
    ASSERT_EQ(res.status, 200) << path << ": " << res.body;
    const json body = json::parse(res.body);
    for (const auto& f : body["features"]) {
      expect_valid(f["geometry"], path);
      polygons += f["geometry"].is_object() && f["geometry"]["type"] != "Point";
    }
  }
  EXPECT_GE(polygons, 8u) << "every request answered polygons to check";
}

}  // namespace
}  // namespace lifecircle
