// OGC API - Features end to end: the real server on an ephemeral port, real HTTP, a dataset
// built in memory whose answers are known by construction.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "lifecircle/crs.hpp"
#include "lifecircle/server.hpp"
#include "server/http_client.hpp"
#include "support/served_dataset.hpp"

namespace lifecircle {
namespace {

using nlohmann::json;
using test::http_get;
using test::http_request;
using test::HttpResponse;

// Facilities on a 5 x 5 grid plus one extra; positions are known on paper.
constexpr int kGrid = 5;
constexpr double kLon0 = 121.405, kDLon = 0.045, kLat0 = 31.205, kDLat = 0.02;
constexpr int kFacilities = kGrid * kGrid + 1;

const char* const kCrs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
const char* const kGcj02 = "urn:lifecircle:crs:GCJ-02";
const char* const kBd09 = "urn:lifecircle:crs:BD-09";

MultiPolygon square(double x0, double y0, double x1, double y1) {
  return {Polygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}};
}

Family family_of(int k) { return static_cast<Family>(k % 3); }
Status status_of(int k) {
  return k == 7 ? Status::closed : (k % 5 == 4 ? Status::planned : Status::open);
}

DatasetContent make_content(int facilities = kFacilities) {
  DatasetContent c;
  c.info.name = "test";
  c.info.title = "Test city";
  c.info.version = 1;
  AdminUnit d1;
  d1.code = "310101";
  d1.name = "黄浦区";
  d1.population = 662030;
  d1.population_60plus = 200000;
  d1.geometry = square(121.40, 31.20, 121.50, 31.30);
  AdminUnit d2;
  d2.code = "310110";
  d2.name = "杨浦区";
  d2.population = 1242548;
  d2.geometry = square(121.50, 31.20, 121.60, 31.30);
  c.districts = {d1, d2};

  AdminUnit s1;
  s1.level = UnitLevel::street_town;
  s1.code = "310101001";
  s1.name = "南京东路街道";
  s1.parent_code = "310101";
  s1.kind = "urban";
  s1.geometry = square(121.40, 31.20, 121.45, 31.25);
  AdminUnit s2 = s1;
  s2.code = "310110002";
  s2.name = "某镇";
  s2.parent_code = "310110";
  s2.kind = "rural";
  s2.geometry.clear();
  AdminUnit s3 = s2;
  s3.code = "310110400";
  s3.name = "某开发区";
  s3.kind = "zone";
  c.streets_towns = {s1, s2, s3};

  for (int i = 0; i < 3; ++i) {
    AdminUnit m;
    m.level = UnitLevel::committee;
    m.code = "3101010010" + std::to_string(10 + i);
    m.name = "居委会" + std::to_string(i);
    m.parent_code = "310101001";
    m.kind = i == 2 ? "rural" : "urban";
    c.committees.push_back(m);
  }

  const char* const types[] = {"comprehensive_center", "canteen", "public_columbarium"};
  for (int k = 0; k < facilities; ++k) {
    Facility f;
    char id[8];
    std::snprintf(id, sizeof id, "F%03d", k);
    f.id = id;
    f.name = "设施 \"" + std::to_string(k) + "\"";
    f.family = family_of(k);
    f.type = types[k % 3];
    f.status = status_of(k);
    f.floor_area_m2 = 100.0 + k;
    if (k % 2) f.beds = 10;
    // The grid, and one more in the middle of the first district.
    const int i = k % kGrid, j = k / kGrid;
    f.pos = k < kGrid * kGrid ? LonLat{kLon0 + i * kDLon, kLat0 + j * kDLat}
                              : LonLat{121.4731234567, 31.2304567891};
    f.district_code = f.pos.lon < 121.5 ? "310101" : "310110";
    if (f.district_code == "310101" && f.pos.lon < 121.45 && f.pos.lat < 31.25)
      f.street_code = "310101001";
    c.facilities.push_back(f);
  }

  for (int k = 0; k < 10; ++k) {
    PopulationCell p;
    p.id = "P" + std::to_string(k);
    p.population = 1000 + k;
    p.pos = {121.41 + 0.019 * k, 31.25};
    p.district_code = p.pos.lon < 121.5 ? "310101" : "310110";
    c.population.push_back(p);
  }
  PopulationCell cell;
  cell.id = "CELL";
  cell.population = 500;
  cell.pos = {121.425, 31.215};
  cell.geometry = square(121.42, 31.21, 121.43, 31.22);
  cell.district_code = "310101";
  c.population.push_back(cell);

  PlanIndicator pi;
  pi.id = "eldercare_floor_area_per_1000";
  pi.name_zh = "千人指标";
  pi.kind = "binding";
  pi.target_2025 = 40;
  pi.target_op = ">=";
  PlanIndicator pi2 = pi;
  pi2.id = "meal_capacity";
  pi2.kind = "expected";
  c.plan_indicators = {pi, pi2};
  return c;
}

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ServerOptions o = test::ServedDataset::quiet();
    o.threads = 2;
    o.description = "a test dataset";
    served_ = std::make_unique<test::ServedDataset>(make_content(), o);
    port_ = served_->port();
  }
  static void TearDownTestSuite() { served_.reset(); }

  static json get_json(const std::string& target, int expect_status = 200) {
    const HttpResponse r = http_get(port_, target);
    EXPECT_EQ(r.status, expect_status) << target << "\n" << r.body;
    return json::parse(r.body);
  }
  static std::string base() { return "http://127.0.0.1:" + std::to_string(port_); }

  static void expect_problem(const HttpResponse& r, int status, const std::string& code,
                             const std::string& detail_mentions = "") {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
    const json j = json::parse(r.body);
    EXPECT_EQ(j["status"], status);
    EXPECT_EQ(j["code"], code);
    EXPECT_TRUE(j["type"].is_string());
    EXPECT_TRUE(j["title"].is_string());
    EXPECT_NE(j["detail"].get<std::string>().find(detail_mentions), std::string::npos)
        << j["detail"];
  }

  static inline std::unique_ptr<test::ServedDataset> served_;
  static inline std::uint16_t port_ = 0;
};

const json* find_link(const json& links, const std::string& rel) {
  for (const auto& l : links)
    if (l["rel"] == rel) return &l;
  return nullptr;
}

TEST_F(ApiTest, LandingPageLinksToTheApiConformanceAndData) {
  const HttpResponse r = http_get(port_, "/");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "application/json");
  const json j = json::parse(r.body);
  EXPECT_EQ(j["title"], "Test city");
  EXPECT_EQ(j["description"], "a test dataset");
  const std::pair<const char*, const char*> expected[] = {{"self", "/"},
                                                          {"service-desc", "/api"},
                                                          {"conformance", "/conformance"},
                                                          {"data", "/collections"}};
  for (const auto& [rel, path] : expected) {
    const json* l = find_link(j["links"], rel);
    ASSERT_NE(l, nullptr) << rel;
    EXPECT_EQ((*l)["href"], base() + path);
  }
}

TEST_F(ApiTest, ConformanceListsCoreGeoJsonOas30AndCrs) {
  const json j = get_json("/conformance");
  std::set<std::string> classes(j["conformsTo"].begin(), j["conformsTo"].end());
  for (const char* c : {"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
                        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs"})
    EXPECT_TRUE(classes.count(c)) << c;
}

// JSON by default (QGIS and GDAL read only JSON); the YAML source on f=yaml or when Accept
// prefers it.
TEST_F(ApiTest, ApiServesTheOpenApiDocumentAsJsonByDefaultAndYamlOnRequest) {
  const HttpResponse r = http_get(port_, "/api");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "application/vnd.oai.openapi+json;version=3.0");
  const json j = json::parse(r.body);
  EXPECT_EQ(j["openapi"], "3.0.3");
  EXPECT_TRUE(j["paths"].contains("/collections/{collectionId}/items"));
  // `'200':` is a string key, `minimum: 1` a number, `required: false` a boolean.
  EXPECT_TRUE(j["paths"]["/api"]["get"]["responses"].contains("200"));
  EXPECT_EQ(j["components"]["parameters"]["limit"]["schema"]["minimum"], 1);
  EXPECT_EQ(j["components"]["parameters"]["limit"]["required"], false);

  for (const auto& [target, accept] : std::vector<std::pair<std::string, std::string>>{
           {"/api?f=yaml", ""},
           {"/api", "application/vnd.oai.openapi;version=3.0"},
           {"/api", "application/json;q=0.1, application/yaml"}}) {
    const HttpResponse y = accept.empty()
                               ? http_get(port_, target)
                               : test::http_request(port_, "GET", target, {{"Accept", accept}});
    ASSERT_EQ(y.status, 200) << target << " " << accept;
    EXPECT_EQ(y.header("content-type"), "application/vnd.oai.openapi;version=3.0") << accept;
    EXPECT_EQ(y.body.rfind("openapi: 3.0", 0), 0u) << y.body.substr(0, 80);
    EXPECT_NE(y.body.find("/collections/{collectionId}/items:"), std::string::npos);
  }
  EXPECT_EQ(http_get(port_, "/api?f=xml").status, 406);
}

TEST_F(ApiTest, CollectionsListEverySpatialAndNonSpatialCollection) {
  const json j = get_json("/collections");
  std::map<std::string, json> by_id;
  for (const auto& c : j["collections"]) by_id[c["id"]] = c;
  for (const char* id :
       {"districts", "streets_towns", "committees", "facilities", "population", "plan_indicators"})
    EXPECT_TRUE(by_id.count(id)) << id;

  const json& f = by_id["facilities"];
  EXPECT_EQ(f["storageCrs"], kCrs84);
  std::set<std::string> crs(f["crs"].begin(), f["crs"].end());
  EXPECT_EQ(crs, (std::set<std::string>{kCrs84, kGcj02, kBd09}));
  // The extent of the grid: its corners, and the extra point lies inside them.
  const json bbox = f["extent"]["spatial"]["bbox"][0];
  EXPECT_NEAR(bbox[0].get<double>(), kLon0, 1e-9);
  EXPECT_NEAR(bbox[1].get<double>(), kLat0, 1e-9);
  EXPECT_NEAR(bbox[2].get<double>(), kLon0 + (kGrid - 1) * kDLon, 1e-9);
  EXPECT_NEAR(bbox[3].get<double>(), kLat0 + (kGrid - 1) * kDLat, 1e-9);
  const json dbox = by_id["districts"]["extent"]["spatial"]["bbox"][0];
  EXPECT_EQ(dbox, json({121.40, 31.20, 121.60, 31.30}));

  EXPECT_FALSE(by_id["plan_indicators"].contains("crs"));
  EXPECT_FALSE(by_id["committees"].contains("extent"));

  const json one = get_json("/collections/facilities");
  EXPECT_EQ(one["id"], "facilities");
  const json* items = find_link(one["links"], "items");
  ASSERT_NE(items, nullptr);
  EXPECT_EQ((*items)["href"], base() + "/collections/facilities/items");
  EXPECT_EQ((*items)["type"], "application/geo+json");
}

TEST_F(ApiTest, ItemsAreGeoJsonWithCountsAndTimeStamp) {
  const HttpResponse r = http_get(port_, "/collections/facilities/items");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "application/geo+json");
  EXPECT_EQ(r.header("content-crs"), std::string("<") + kCrs84 + ">");
  const json j = json::parse(r.body);
  EXPECT_EQ(j["type"], "FeatureCollection");
  EXPECT_EQ(j["numberMatched"], kFacilities);
  EXPECT_EQ(j["numberReturned"], kFacilities);  // the default limit (100) is larger
  EXPECT_EQ(j["features"].size(), static_cast<std::size_t>(kFacilities));
  EXPECT_EQ(j["timeStamp"].get<std::string>().size(), 20u);
  const json& f = j["features"][3];
  EXPECT_EQ(f["id"], "F003");
  EXPECT_EQ(f["geometry"]["type"], "Point");
  EXPECT_EQ(f["properties"]["name"], "设施 \"3\"");
  EXPECT_EQ(f["properties"]["family"], "eldercare");
  EXPECT_EQ(f["properties"]["type"], "comprehensive_center");
  EXPECT_EQ(f["properties"]["status"], "open");
  EXPECT_EQ(f["properties"]["floor_area_m2"], 103);
  EXPECT_EQ(f["properties"]["beds"], 10);
  EXPECT_TRUE(f["properties"]["meal_capacity_per_day"].is_null());
  for (const char* p :
       {"id", "name", "family", "type", "status", "floor_area_m2", "beds", "meal_capacity_per_day",
        "district_code", "street_code", "address", "source"})
    EXPECT_TRUE(f["properties"].contains(p)) << p;
  // Seven decimals, as stored.
  const json& extra = j["features"][kFacilities - 1]["geometry"]["coordinates"];
  EXPECT_EQ(extra[0].get<double>(), 121.4731235);
  EXPECT_EQ(extra[1].get<double>(), 31.2304568);
}

TEST_F(ApiTest, NextLinksChainThroughEveryFeatureOnce) {
  std::string target = "/collections/facilities/items?limit=7";
  std::set<std::string> seen;
  int pages = 0;
  while (!target.empty()) {
    const json page = get_json(target);
    ++pages;
    EXPECT_EQ(page["numberMatched"], kFacilities);
    EXPECT_LE(page["numberReturned"].get<int>(), 7);
    EXPECT_EQ(page["numberReturned"], page["features"].size());
    for (const auto& f : page["features"]) EXPECT_TRUE(seen.insert(f["id"]).second) << f["id"];
    if (pages > 1) {
      EXPECT_NE(find_link(page["links"], "prev"), nullptr);
    }
    const json* next = find_link(page["links"], "next");
    target = next ? test::target_of((*next)["href"]) : "";
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 4);  // 26 = 7 + 7 + 7 + 5
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kFacilities));
}

TEST_F(ApiTest, NextLinkKeepsTheOtherParameters) {
  const json page = get_json("/collections/facilities/items?family=meal&limit=2&crs=" +
                             std::string("urn%3Alifecircle%3Acrs%3AGCJ-02"));
  const json* next = find_link(page["links"], "next");
  ASSERT_NE(next, nullptr);
  const std::string href = (*next)["href"];
  EXPECT_NE(href.find("family=meal"), std::string::npos) << href;
  EXPECT_NE(href.find("limit=2"), std::string::npos) << href;
  EXPECT_NE(href.find("offset=2"), std::string::npos) << href;
  EXPECT_NE(href.find("crs=urn:lifecircle:crs:GCJ-02"), std::string::npos) << href;
  const HttpResponse r = http_get(port_, test::target_of(href));
  EXPECT_EQ(r.header("content-crs"), std::string("<") + kGcj02 + ">");
  const json p2 = json::parse(r.body);
  for (const auto& f : p2["features"]) EXPECT_EQ(f["properties"]["family"], "meal");
}

TEST_F(ApiTest, BboxSelectsExactlyThePointsInsideIt) {
  const double b[4] = {121.44, 31.21, 121.53, 31.27};
  int expected = 0;
  for (int k = 0; k < kGrid * kGrid; ++k) {
    const double lon = kLon0 + (k % kGrid) * kDLon, lat = kLat0 + (k / kGrid) * kDLat;
    expected += lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3];
  }
  expected += 1;           // the extra facility at 121.473, 31.230
  ASSERT_EQ(expected, 7);  // 2 columns x 3 rows of the grid, plus the extra one
  const json j = get_json("/collections/facilities/items?bbox=121.44,31.21,121.53,31.27");
  EXPECT_EQ(j["numberMatched"], expected);
  for (const auto& f : j["features"]) {
    const double lon = f["geometry"]["coordinates"][0], lat = f["geometry"]["coordinates"][1];
    EXPECT_TRUE(lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3]);
  }
  // Polygons match by envelope: only the first district's square reaches west of 121.45.
  const json d = get_json("/collections/districts/items?bbox=121.41,31.21,121.45,31.22");
  ASSERT_EQ(d["numberMatched"], 1);
  EXPECT_EQ(d["features"][0]["id"], "310101");
  EXPECT_EQ(d["features"][0]["geometry"]["type"], "MultiPolygon");
  EXPECT_EQ(d["features"][0]["properties"]["population"], 662030);
}

TEST_F(ApiTest, PropertyFiltersSelectByValueAndCombineWithBbox) {
  auto count = [](auto pred) {
    int n = 0;
    for (int k = 0; k < kFacilities; ++k) n += pred(k);
    return n;
  };
  EXPECT_EQ(get_json("/collections/facilities/items?family=meal")["numberMatched"],
            count([](int k) { return family_of(k) == Family::meal; }));
  EXPECT_EQ(get_json("/collections/facilities/items?family=meal,columbarium")["numberMatched"],
            count([](int k) { return family_of(k) != Family::eldercare; }));
  EXPECT_EQ(get_json("/collections/facilities/items?status=planned")["numberMatched"],
            count([](int k) { return status_of(k) == Status::planned; }));
  EXPECT_EQ(get_json("/collections/facilities/items?status=closed")["numberMatched"], 1);
  EXPECT_EQ(get_json("/collections/facilities/items?type=canteen")["numberMatched"],
            count([](int k) { return k % 3 == 1; }));
  // Columns 0-2 of the grid lie west of 121.5 (121.405, 121.45, 121.495), plus the extra one.
  EXPECT_EQ(get_json("/collections/facilities/items?district_code=310101")["numberMatched"],
            3 * kGrid + 1);
  // Street 310101001 was given to points west of 121.45 and south of 31.25: column 0, rows 0-2.
  EXPECT_EQ(get_json("/collections/facilities/items?street_code=310101001")["numberMatched"], 3);
  EXPECT_EQ(
      get_json("/collections/facilities/items?district_code=310101&family=eldercare"
               "&bbox=121.4,31.2,121.46,31.3")["numberMatched"],
      count([](int k) { return k < 25 && k % kGrid < 2 && family_of(k) == Family::eldercare; }));
  EXPECT_EQ(get_json("/collections/streets_towns/items?kind=rural")["numberMatched"], 1);
  EXPECT_EQ(get_json("/collections/streets_towns/items?district_code=310110")["numberMatched"], 2);
  EXPECT_EQ(get_json("/collections/committees/items?kind=urban")["numberMatched"], 2);
  EXPECT_EQ(get_json("/collections/population/items?district_code=310110")["numberMatched"], 5);
  EXPECT_EQ(get_json("/collections/plan_indicators/items?kind=binding")["numberMatched"], 1);
}

TEST_F(ApiTest, CrsGcj02ConvertsCoordinatesAndSaysSoInContentCrs) {
  const LonLat stored{121.4731234567, 31.2304567891};
  const HttpResponse r =
      http_get(port_, "/collections/facilities/items/F025?crs=urn%3Alifecircle%3Acrs%3AGCJ-02");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-crs"), std::string("<") + kGcj02 + ">");
  const json c = json::parse(r.body)["geometry"]["coordinates"];
  const LonLat expected = wgs84_to_gcj02(stored);
  EXPECT_NEAR(c[0].get<double>(), expected.lon, 6e-8);
  EXPECT_NEAR(c[1].get<double>(), expected.lat, 6e-8);
  // In Shanghai GCJ-02 sits about 480 m from WGS84 (DOMAIN.md / data README).
  const double shift = haversine_m(stored, {c[0].get<double>(), c[1].get<double>()});
  EXPECT_GT(shift, 400);
  EXPECT_LT(shift, 600);

  const json bd = json::parse(
      http_get(port_, "/collections/facilities/items/F025?crs=urn:lifecircle:crs:BD-09").body);
  const LonLat expected_bd = wgs84_to_bd09(stored);
  EXPECT_NEAR(bd["geometry"]["coordinates"][0].get<double>(), expected_bd.lon, 6e-8);
  EXPECT_NEAR(bd["geometry"]["coordinates"][1].get<double>(), expected_bd.lat, 6e-8);

  // Polygons are converted vertex by vertex.
  const json d = get_json("/collections/districts/items/310110?crs=urn:lifecircle:crs:GCJ-02");
  const LonLat corner = wgs84_to_gcj02({121.50, 31.20});
  EXPECT_NEAR(d["geometry"]["coordinates"][0][0][0][0].get<double>(), corner.lon, 6e-8);
  EXPECT_NEAR(d["geometry"]["coordinates"][0][0][0][1].get<double>(), corner.lat, 6e-8);
}

TEST_F(ApiTest, BboxCrsGcj02SelectsByTheConvertedBox) {
  // A small GCJ-02 box around the GCJ-02 position of the extra facility finds it; the same
  // numbers read as WGS84 (about 480 m off) do not.
  const LonLat g = wgs84_to_gcj02({121.4731234567, 31.2304567891});
  char box[128];
  std::snprintf(box, sizeof box, "%.6f,%.6f,%.6f,%.6f", g.lon - 0.001, g.lat - 0.001, g.lon + 0.001,
                g.lat + 0.001);
  const json in_gcj = get_json(std::string("/collections/facilities/items?bbox=") + box +
                               "&bbox-crs=urn:lifecircle:crs:GCJ-02");
  ASSERT_EQ(in_gcj["numberMatched"], 1);
  EXPECT_EQ(in_gcj["features"][0]["id"], "F025");
  EXPECT_EQ(get_json(std::string("/collections/facilities/items?bbox=") + box)["numberMatched"], 0);
}

TEST_F(ApiTest, SingleFeaturesByIdOrCode) {
  const json f = get_json("/collections/facilities/items/F003");
  EXPECT_EQ(f["type"], "Feature");
  EXPECT_EQ(f["id"], "F003");
  EXPECT_NE(find_link(f["links"], "self"), nullptr);
  EXPECT_NE(find_link(f["links"], "collection"), nullptr);
  const json s = get_json("/collections/streets_towns/items/310110002");
  EXPECT_TRUE(s["geometry"].is_null());
  EXPECT_EQ(s["properties"]["kind"], "rural");
  EXPECT_EQ(s["properties"]["parent_code"], "310110");
  const json m = get_json("/collections/committees/items/310101001010");
  EXPECT_TRUE(m["geometry"].is_null());
  EXPECT_EQ(m["properties"]["parent_code"], "310101001");
  const json p = get_json("/collections/population/items/CELL");
  EXPECT_EQ(p["geometry"]["type"], "MultiPolygon");
  EXPECT_EQ(p["properties"]["population"], 500);
  const json pi = get_json("/collections/plan_indicators/items/eldercare_floor_area_per_1000");
  EXPECT_TRUE(pi["geometry"].is_null());
  EXPECT_EQ(pi["properties"]["target_2025"], 40);
}

TEST_F(ApiTest, OffsetPastTheEndReturnsAnEmptyPageWithPrev) {
  const json j = get_json("/collections/facilities/items?offset=100&limit=10");
  EXPECT_EQ(j["numberMatched"], kFacilities);
  EXPECT_EQ(j["numberReturned"], 0);
  EXPECT_EQ(find_link(j["links"], "next"), nullptr);
  EXPECT_NE(find_link(j["links"], "prev"), nullptr);
}

TEST_F(ApiTest, BadParametersAreProblemDocumentsNamingTheParameter) {
  expect_problem(http_get(port_, "/collections/facilities/items?colour=red"), 400,
                 "InvalidParameter", "colour");
  expect_problem(http_get(port_, "/collections/facilities/items?limit=0"), 400, "InvalidParameter",
                 "limit");
  expect_problem(http_get(port_, "/collections/facilities/items?limit=10001"), 400,
                 "InvalidParameter", "limit");
  expect_problem(http_get(port_, "/collections/facilities/items?limit=ten"), 400,
                 "InvalidParameter", "limit");
  expect_problem(http_get(port_, "/collections/facilities/items?offset=-1"), 400,
                 "InvalidParameter", "offset");
  expect_problem(http_get(port_, "/collections/facilities/items?bbox=1,2,3"), 400,
                 "InvalidParameter", "bbox");
  expect_problem(http_get(port_, "/collections/facilities/items?bbox=121,31,122,95"), 400,
                 "InvalidParameter", "bbox");
  expect_problem(http_get(port_, "/collections/facilities/items?bbox=122,31,121,32"), 400,
                 "InvalidParameter", "bbox");
  expect_problem(http_get(port_, "/collections/facilities/items?family=hospital"), 400,
                 "InvalidParameter", "family");
  expect_problem(http_get(port_, "/collections/facilities/items?status=demolished"), 400,
                 "InvalidParameter", "status");
  expect_problem(http_get(port_, "/collections/facilities/items?crs=EPSG:4326"), 400,
                 "InvalidParameter", "crs");
  expect_problem(http_get(port_, "/collections/plan_indicators/items?bbox=121,31,122,32"), 400,
                 "InvalidParameter", "bbox");
  expect_problem(http_get(port_, "/collections?limit=5"), 400, "InvalidParameter", "limit");
  expect_problem(http_get(port_, "/collections/facilities/items?f=html"), 406, "NotAcceptable",
                 "html");
}

TEST_F(ApiTest, UnknownCollectionsFeaturesAndPathsAre404) {
  expect_problem(http_get(port_, "/collections/hospitals"), 404, "NotFound", "hospitals");
  expect_problem(http_get(port_, "/collections/hospitals/items"), 404, "NotFound", "hospitals");
  expect_problem(http_get(port_, "/collections/facilities/items/NOPE"), 404, "NotFound", "NOPE");
  expect_problem(http_get(port_, "/no/such/path"), 404, "NotFound");
}

TEST_F(ApiTest, WrongMethodIs405WithAllow) {
  const HttpResponse r = http_request(port_, "POST", "/collections");
  expect_problem(r, 405, "MethodNotAllowed", "POST");
  EXPECT_EQ(r.header("allow"), "GET, HEAD, OPTIONS");  // HEAD is answered wherever GET is
  const HttpResponse d = http_request(port_, "DELETE", "/collections/facilities/items/F001");
  expect_problem(d, 405, "MethodNotAllowed");
  EXPECT_NE(d.header("allow").find("GET"), std::string::npos);
}

TEST_F(ApiTest, CorsHeadersAndPreflight) {
  const HttpResponse r = http_get(port_, "/collections");
  EXPECT_EQ(r.header("access-control-allow-origin"), "*");
  const HttpResponse p = http_request(port_, "OPTIONS", "/collections/facilities/items",
                                      {{"Origin", "http://localhost:3000"},
                                       {"Access-Control-Request-Method", "GET"},
                                       {"Access-Control-Request-Headers", "Accept"}});
  EXPECT_EQ(p.status, 204);
  EXPECT_EQ(p.header("access-control-allow-origin"), "*");
  EXPECT_NE(p.header("access-control-allow-methods").find("GET"), std::string::npos);
  EXPECT_EQ(p.header("access-control-allow-headers"), "Accept");
  // A problem document is readable cross-origin too.
  EXPECT_EQ(http_get(port_, "/collections/x").header("access-control-allow-origin"), "*");
}

TEST_F(ApiTest, MalformedRequestsDoNotHurtTheServer) {
  const std::string bad[] = {
      "GARBAGE\r\n\r\n",
      "GET /collections HTTP/9.9\r\n\r\n",
      "GET /collections HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\n\r\n",
      "GET /" + std::string(100000, 'a') + " HTTP/1.1\r\n\r\n",
      "GET /collections HTTP/1.1\r\nHost: x\r\n",  // never finished
      std::string("\0\x01\x02\xff\r\n\r\n", 8),
  };
  for (const auto& b : bad) {
    test::Socket s(port_);
    try {
      s.send_all(b);
    } catch (const std::exception&) {
      // The server may hang up before reading everything; that is fine.
    }
  }
  // Percent-escapes that do not decode, and odd but legal targets.
  EXPECT_EQ(http_get(port_, "/collections/facilities/items/%ZZ%").status, 404);
  EXPECT_EQ(http_get(port_, "/collections/facilities/items?family=%E5%").status, 400);
  EXPECT_EQ(http_get(port_, "//collections///facilities/").status, 200);
  const HttpResponse h = http_get(port_, "/health");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(json::parse(h.body)["status"], "ok");
}

TEST_F(ApiTest, KeepAliveConnectionsServeSeveralRequests) {
  test::Socket s(port_);
  std::string buffer;
  for (int i = 0; i < 3; ++i) {
    s.send_all(
        "GET /collections/facilities/items?limit=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Connection: keep-alive\r\n\r\n");
    const HttpResponse r = test::read_response(s, buffer);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(json::parse(r.body)["numberReturned"], 1);
  }
}

TEST(ServerLifecycle, StopClosesTheListenerAndABusyPortIsAnError) {
  auto store = std::make_shared<DatasetStore>(std::make_shared<const Dataset>(make_content()));
  ServerOptions o;
  o.port = 0;
  o.access_log = false;
  Server a(store, o);
  a.start();
  const std::uint16_t port = a.port();
  ASSERT_NE(port, 0);
  EXPECT_EQ(http_get(port, "/health").status, 200);

  ServerOptions same = o;
  same.port = port;
  Server b(store, same);
  EXPECT_THROW(b.start(), std::runtime_error);

  a.stop();
  EXPECT_THROW(test::Socket{port}, std::runtime_error);  // nobody listens any more
  a.stop();                                              // idempotent
}

// Last in the suite: it swaps the dataset.
TEST_F(ApiTest, PublishedVersionIsServedAndCachesFollowIt) {
  const auto version = get_json("/health")["dataset"]["version"].get<std::uint64_t>();
  const json before = get_json("/collections/facilities");
  DatasetContent c = make_content(3);  // F000..F002: the first three grid points
  c.info.version = version + 1;
  served_->store().publish(std::make_shared<const Dataset>(std::move(c)));
  EXPECT_EQ(get_json("/health")["dataset"]["version"], version + 1);
  EXPECT_EQ(get_json("/collections/facilities/items")["numberMatched"], 3);
  const json after = get_json("/collections/facilities");
  EXPECT_NE(before["extent"], after["extent"]);
  EXPECT_NEAR(after["extent"]["spatial"]["bbox"][0][2].get<double>(), kLon0 + 2 * kDLon, 1e-9);
  EXPECT_NEAR(after["extent"]["spatial"]["bbox"][0][3].get<double>(), kLat0, 1e-9);
  // The whole dataset again, as a newer version: the suite's other tests see the data they
  // expect whichever order they run in.
  DatasetContent full = make_content();
  full.info.version = version + 2;
  served_->store().publish(std::make_shared<const Dataset>(std::move(full)));
  EXPECT_EQ(get_json("/collections/facilities")["extent"], before["extent"]);
  EXPECT_EQ(get_json("/collections/facilities/items")["numberMatched"], kFacilities);
}

}  // namespace
}  // namespace lifecircle
