// The analysis endpoints over real HTTP: the server started on an ephemeral port, a dataset whose
// answers are worked out on paper, and the shipped standards table (828 m walk, detour 1.24).
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include <nlohmann/json.hpp>

#include "analysis/fixtures.hpp"
#include "lifecircle/crs.hpp"
#include "lifecircle/geometry.hpp"
#include "lifecircle/server.hpp"
#include "server/http_client.hpp"
#include "support/served_dataset.hpp"
#include "support/tables.hpp"

using namespace lifecircle;
using namespace lifecircle::fixtures;
using nlohmann::json;

namespace {

DatasetContent content() {
  auto c = empty_content();
  c.info.standards_path = std::string(LIFECIRCLE_SOURCE_DIR) + "/gis-data/standards/standards.json";
  const MetricProjection proj(c.info.metric_crs);
  c.districts.push_back(district("310101", "square", {square(kX0, kY0, 4000)}, 100000));
  // Served GeoJSON draws the WGS84 polygon.
  c.districts.back().geometry = unproject(c.districts.back().geometry_xy, proj);
  c.streets_towns.push_back(street("310101001", "310101", "rural"));
  const XY mid{kX0 + 2000, kY0 + 2000};
  auto f = facility("cc", "comprehensive_center", mid, "310101", "310101001");
  f.floor_area_m2 = 4000;
  c.facilities.push_back(f);
  // 500 m straight = 620 m walk (covered); 700 m = 868 m walk (> 828: not covered).
  c.population.push_back(cell("near", {mid.x + 300, mid.y + 400}, 100, 40, "310101", "310101001"));
  c.population.push_back(cell("far", {mid.x, mid.y - 700}, 300, 60, "310101", "310101001"));
  for (auto& p : c.population) p.pos = proj.inverse(p.xy);  // as the loader sets it
  return c;
}

class AnalysisApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    served_ = std::make_unique<lifecircle::test::ServedDataset>(content());
  }
  static void TearDownTestSuite() { served_.reset(); }
  static lifecircle::test::HttpResponse get(const std::string& target) {
    return lifecircle::test::http_get(served_->port(), target);
  }
  static json get_json(const std::string& target, int status = 200) {
    const auto r = get(target);
    EXPECT_EQ(r.status, status) << target << "\n" << r.body;
    return json::parse(r.body);
  }
  static inline std::unique_ptr<lifecircle::test::ServedDataset> served_;
};

}  // namespace

TEST_F(AnalysisApi, CoverageCountsResidentsWithinTheWalk) {
  const json j = get_json("/coverage?family=eldercare&type=comprehensive_center&by=district");
  EXPECT_DOUBLE_EQ(j["total"]["residents"].get<double>(), 400);
  EXPECT_DOUBLE_EQ(j["total"]["covered"].get<double>(), 100);
  EXPECT_DOUBLE_EQ(j["total"]["ratio"].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(j["total"]["ratio_60plus"].get<double>(), 0.4);
  EXPECT_DOUBLE_EQ(j["thresholds"][0]["walk_m"].get<double>(), 828);
  EXPECT_EQ(j["units"][0]["code"], "310101");
  EXPECT_EQ(j["standards"]["profile"], "plan-2021-2025");

  // minutes=20 at 0.92 m/s = 1104 m: the far cell (868 m walk) is covered too.
  const json longer = get_json("/coverage?type=comprehensive_center&minutes=20");
  EXPECT_DOUBLE_EQ(longer["total"]["covered"].get<double>(), 400);
  // detour=1.3: the near cell walks 650 m, still covered; the far one 910 m.
  const json detour = get_json("/coverage?type=comprehensive_center&detour=1.3");
  EXPECT_DOUBLE_EQ(detour["total"]["covered"].get<double>(), 100);
}

TEST_F(AnalysisApi, CoverageFormats) {
  const std::string q = "/coverage?type=comprehensive_center&by=street";
  const json j = get_json(q);
  ASSERT_EQ(j["units"].size(), 1u);
  // GeoJSON: one feature per unit, carrying the JSON row's numbers.
  const auto geo = get(q + "&f=geojson");
  EXPECT_EQ(geo.status, 200);
  EXPECT_NE(geo.header("content-type").find("geo+json"), std::string::npos);
  const json g = json::parse(geo.body);
  EXPECT_EQ(g["type"], "FeatureCollection");
  ASSERT_EQ(g["features"].size(), j["units"].size());
  for (std::size_t i = 0; i < j["units"].size(); ++i)
    EXPECT_GE(test::expect_row_matches(j["units"][i], g["features"][i]["properties"], "feature"),
              8u);
  EXPECT_DOUBLE_EQ(g["features"][0]["properties"]["covered"].get<double>(), 100);
  // CSV: the units, then the total, each cell equal to the JSON answer's.
  const auto csv = get(q + "&f=csv");
  EXPECT_EQ(csv.status, 200);
  EXPECT_NE(csv.header("content-type").find("text/csv"), std::string::npos);
  json rows = j["units"];
  rows.push_back(j["total"]);
  test::expect_csv_matches(csv.body, rows, 8);
  // By district too (the unit that has an area).
  const json by_district = get_json("/coverage?type=comprehensive_center&by=district");
  rows = by_district["units"];
  rows.push_back(by_district["total"]);
  test::expect_csv_matches(get("/coverage?type=comprehensive_center&by=district&f=csv").body, rows,
                           10);

  // Excel in a Chinese locale needs the UTF-8 byte-order mark; bom=false leaves it out.
  EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBF"
                           "level,",
                           0),
            0u);
  const auto plain = get(q + "&f=csv&bom=false");
  EXPECT_EQ(plain.body.rfind("level,", 0), 0u);
  EXPECT_EQ(plain.body, csv.body.substr(3));
  EXPECT_EQ(get("/coverage?type=comprehensive_center&f=csv&bom=yes").status, 400);
  // Analysis GeoJSON in GCJ-02 for AMap base maps: the same features, coordinates moved.
  const auto gcj =
      get("/coverage/gaps?type=comprehensive_center&f=geojson&crs=urn:lifecircle:crs:GCJ-02");
  ASSERT_EQ(gcj.status, 200) << gcj.body;
  EXPECT_EQ(gcj.header("content-crs"), "<urn:lifecircle:crs:GCJ-02>");
  const json wgs_gaps = get_json("/coverage/gaps?type=comprehensive_center&f=geojson");
  const json gcj_gaps = json::parse(gcj.body);
  ASSERT_EQ(gcj_gaps["features"].size(), wgs_gaps["features"].size());
  const auto& wp = wgs_gaps["features"][1]["geometry"]["coordinates"];
  const LonLat moved = wgs84_to_gcj02({wp[0].get<double>(), wp[1].get<double>()});
  EXPECT_NEAR(gcj_gaps["features"][1]["geometry"]["coordinates"][0].get<double>(), moved.lon, 1e-9);
  EXPECT_NEAR(gcj_gaps["features"][1]["geometry"]["coordinates"][1].get<double>(), moved.lat, 1e-9);
  EXPECT_EQ(get("/service-areas?type=comprehensive_center&crs=EPSG:9999").status, 400);
  const json gaps = get_json("/coverage/gaps?type=comprehensive_center");
  ASSERT_EQ(gaps["uncovered"].size(), 1u);
  EXPECT_EQ(gaps["uncovered"][0]["id"], "far");
  EXPECT_NEAR(gaps["uncovered"][0]["distance_m"].get<double>(), 868, 1e-3);
  test::expect_csv_matches(get("/coverage/gaps?type=comprehensive_center&f=csv").body,
                           gaps["uncovered"], 4);
  const json areas = get_json("/service-areas?type=comprehensive_center");
  EXPECT_EQ(areas["type"], "FeatureCollection");
  EXPECT_EQ(areas["features"][0]["properties"]["facilities"], 1);
}

TEST_F(AnalysisApi, IndicatorsAndStandards) {
  const json pt = get_json("/indicators/per-thousand?family=eldercare");
  EXPECT_DOUBLE_EQ(pt["rows"][0]["per_thousand_m2"].get<double>(), 40);  // 4000 m² / 100k
  EXPECT_DOUBLE_EQ(pt["rows"][0]["target_m2"].get<double>(), 40);
  const json all = get_json("/indicators/per-thousand");
  EXPECT_TRUE(all.contains("meal") && all.contains("columbarium"));
  const json col = get_json("/indicators/columbaria");
  EXPECT_EQ(col["rural_towns_without"], 1);
  const json meal = get_json("/indicators/meal-capacity");
  EXPECT_EQ(meal["rows"][0]["sites"], 0);
  const json opn = get_json("/indicators/one-plus-n");
  EXPECT_EQ(opn["streets_towns_with_center"], 1);
  const json st = get_json("/standards");
  EXPECT_EQ(st["default_profile"], "plan-2021-2025");
  EXPECT_TRUE(st["profiles"].contains("layout-2022-2035"));
}

TEST_F(AnalysisApi, EveryResultEndpointAnswersGeoJsonAndCsv) {
  // Meal capacity: one district feature on the fixture's 4 km square, no meal sites.
  const json meal = get_json("/indicators/meal-capacity?f=geojson");
  ASSERT_EQ(meal["features"].size(), 1u);
  EXPECT_EQ(meal["features"][0]["geometry"]["type"], "MultiPolygon");
  EXPECT_EQ(meal["features"][0]["properties"]["code"], "310101");
  EXPECT_EQ(meal["features"][0]["properties"]["sites"], 0);
  EXPECT_TRUE(meal.contains("meal_capacity"));
  // Columbaria: the one rural town, which has none; it has no polygon, so it is drawn at the
  // population-weighted centre of its two cells: (100 x (300, 400) + 300 x (0, -700)) / 400
  // = (75, -425) from the middle of the square.
  const json col = get_json("/indicators/columbaria?f=geojson");
  ASSERT_EQ(col["features"].size(), 1u);
  const json& town = col["features"][0];
  EXPECT_EQ(town["properties"]["code"], "310101001");
  EXPECT_EQ(town["properties"]["meets_rule"], false);
  ASSERT_EQ(town["geometry"]["type"], "Point");
  const LonLat centre = MetricProjection("EPSG:32651").inverse({kX0 + 2075, kY0 + 2000 - 425});
  // The service averages lon/lat, the line above averages metres: equal to a few millimetres.
  EXPECT_NEAR(town["geometry"]["coordinates"][0].get<double>(), centre.lon, 1e-6);
  EXPECT_NEAR(town["geometry"]["coordinates"][1].get<double>(), centre.lat, 1e-6);
  EXPECT_EQ(col["columbaria"]["rural_towns_without"], 1);
  // "1+N": the street/town with its one center.
  const json opn = get_json("/indicators/one-plus-n?f=geojson");
  ASSERT_EQ(opn["features"].size(), 1u);
  EXPECT_EQ(opn["features"][0]["properties"]["has_center"], true);
  EXPECT_EQ(opn["one_plus_n"]["streets_towns_with_center"], 1);
  // Service areas as a table: one row for the one type, a disc of radius 828 / 1.24 m, with
  // the GeoJSON answer's numbers.
  const auto areas = get("/service-areas?type=comprehensive_center&f=csv");
  ASSERT_EQ(areas.status, 200);
  EXPECT_EQ(areas.body.rfind("\xEF\xBB\xBF"  // the byte-order mark Excel needs
                             "type,walk_m,radius_m,facilities,area_m2\n",
                             0),
            0u)
      << areas.body;
  const json area_features = get_json("/service-areas?type=comprehensive_center");
  json area_rows = json::array();
  for (const json& f : area_features["features"]) area_rows.push_back(f["properties"]);
  test::expect_csv_matches(areas.body, area_rows, 4);
  EXPECT_DOUBLE_EQ(area_rows[0]["radius_m"].get<double>(), 828 / 1.24);
  // The indicator tables: every row of the CSV equals the JSON answer's row, and each GeoJSON
  // feature carries the same numbers.
  const json meal_json = get_json("/indicators/meal-capacity");
  json meal_rows = meal_json["rows"];
  meal_rows.push_back(meal_json["city"]);
  meal_rows.push_back(meal_json["city_complete"]);
  const json col_json = get_json("/indicators/columbaria");
  const json opn_json = get_json("/indicators/one-plus-n");
  const std::tuple<const char*, json, std::size_t> tables[] = {
      {"/indicators/meal-capacity?f=csv", meal_rows, 2},
      {"/indicators/columbaria?f=csv", col_json["towns"], 2},
      {"/indicators/one-plus-n?f=csv", opn_json["streets"], 6}};
  for (const auto& [target, want, numbers] : tables) {
    SCOPED_TRACE(target);
    const auto r = get(target);
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.header("content-type").find("text/csv"), std::string::npos);
    test::expect_csv_matches(r.body, want, numbers);
  }
  EXPECT_GE(test::expect_row_matches(meal_json["rows"][0], meal["features"][0]["properties"],
                                     "meal feature"),
            2u);
  EXPECT_GE(test::expect_row_matches(col_json["towns"][0], town["properties"], "town feature"), 2u);
  EXPECT_GE(test::expect_row_matches(opn_json["streets"][0], opn["features"][0]["properties"],
                                     "1+N feature"),
            6u);
}

// The registry for spreadsheets: one CSV row per feature with its properties and lon/lat.
TEST_F(AnalysisApi, CollectionsExportAsCsvForSpreadsheets) {
  const auto r = get("/collections/facilities/items?f=csv");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.header("content-type").find("text/csv"), std::string::npos);
  ASSERT_EQ(r.body.rfind("\xEF\xBB\xBF"
                         "id,",
                         0),
            0u)
      << r.body;
  const std::string header = r.body.substr(3, r.body.find('\n') - 3);
  EXPECT_NE(header.find(",name,"), std::string::npos) << header;
  EXPECT_NE(header.find(",floor_area_m2,"), std::string::npos) << header;
  EXPECT_EQ(header.substr(header.size() - 8), ",lon,lat") << header;
  EXPECT_EQ(header.find(",id,"), std::string::npos) << "one id column: " << header;
  EXPECT_NE(r.body.find("\ncc,"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(",facility cc,"), std::string::npos) << r.body;
  EXPECT_EQ(std::count(r.body.begin(), r.body.end(), '\n'), 2);  // header + the one facility
  const auto streets = get("/collections/streets_towns/items?f=csv&bom=false");
  ASSERT_EQ(streets.status, 200);
  EXPECT_EQ(streets.body.rfind("id,", 0), 0u);
  EXPECT_NE(streets.body.find("310101001"), std::string::npos);
  EXPECT_EQ(get("/collections/facilities/items?bom=false").status, 400);
}

TEST_F(AnalysisApi, BadParametersAreProblemDocuments) {
  for (const char* target :
       {"/coverage?family=foo", "/coverage?type=nope",
        "/coverage?family=meal&type=comprehensive_center", "/coverage?type=canteen&minutes=abc",
        "/coverage?type=canteen&minutes=500", "/coverage?type=canteen&by=planet",
        "/coverage?type=canteen&district=999999", "/coverage?type=canteen&profile=nope",
        "/coverage?type=canteen&colour=red", "/coverage",
        "/indicators/per-thousand?by=city&family=meal"}) {
    const auto r = get(target);
    EXPECT_EQ(r.status, 400) << target << "\n" << r.body;
    EXPECT_NE(r.header("content-type").find("problem+json"), std::string::npos) << target;
    EXPECT_EQ(json::parse(r.body)["code"], "InvalidParameter") << target;
  }
  // The same condition answers the same status and code on /coverage as on /siting.
  const json net = get_json("/coverage?type=canteen&mode=network", 422);
  EXPECT_EQ(net["code"], "ModeUnavailable");
  EXPECT_EQ(net["reason"], "network_unavailable");
  EXPECT_EQ(net["field"], "mode");
  EXPECT_NE(net["detail"].get<std::string>().find("network not available"), std::string::npos);
  EXPECT_EQ(get("/coverage?type=canteen&f=xml").status, 406);
}
