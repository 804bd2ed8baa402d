// The shipped Shanghai dataset, checked against the real input files and independent
// geometry: the GeoPackage is read back through GDAL (OGR), containment is tested with OGR's
// GEOS binding, distances with a haversine written here, totals against the census CSV read
// by GDAL's own CSV driver.
#include "lifecircle/datagen.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "lifecircle/loader.hpp"

namespace fs = std::filesystem;

namespace lifecircle::datagen {
namespace {

const std::string kRepo = LIFECIRCLE_SOURCE_DIR;
const std::string kSources = kRepo + "/gis-data/sources";
const std::string kShipped = kRepo + "/gis-data/shanghai";
constexpr long long kCity60Plus = 5815462;  // 7th census, the bureau's report

struct Closer {
  void operator()(GDALDataset* d) const { GDALClose(GDALDataset::ToHandle(d)); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, Closer>;
struct FeatureDeleter {
  void operator()(OGRFeature* f) const { OGRFeature::DestroyFeature(f); }
};

// One feature as read back: its fields as strings (empty when NULL) and its geometry.
struct Row {
  std::map<std::string, std::string> f;
  std::map<std::string, bool> is_null;
  std::unique_ptr<OGRGeometry> geom;
  const std::string& operator[](const std::string& k) const { return f.at(k); }
  double num(const std::string& k) const { return std::stod(f.at(k)); }
};

std::vector<Row> read_layer(const std::string& path, const std::string& layer_name) {
  GDALAllRegister();
  DatasetPtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!ds) throw std::runtime_error("cannot open " + path);
  OGRLayer* layer = layer_name.empty() ? ds->GetLayer(0) : ds->GetLayerByName(layer_name.c_str());
  if (!layer) throw std::runtime_error(path + ": no layer " + layer_name);
  std::vector<Row> rows;
  layer->ResetReading();
  while (OGRFeature* raw = layer->GetNextFeature()) {
    std::unique_ptr<OGRFeature, FeatureDeleter> feat(raw);
    Row r;
    for (int i = 0; i < feat->GetFieldCount(); ++i) {
      const std::string name = feat->GetFieldDefnRef(i)->GetNameRef();
      const bool null = !feat->IsFieldSetAndNotNull(i);
      r.is_null[name] = null;
      r.f[name] = null ? "" : feat->GetFieldAsString(i);
    }
    if (OGRGeometry* g = feat->GetGeometryRef()) r.geom.reset(g->clone());
    rows.push_back(std::move(r));
  }
  return rows;
}

double haversine(double lon1, double lat1, double lon2, double lat2) {
  const double r = 6371008.8, rad = M_PI / 180;
  const double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
  const double a =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(lat1 * rad) * std::cos(lat2 * rad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * r * std::asin(std::sqrt(a));
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The checks read the shipped GeoPackage (what the service serves); the reproducibility test
// rebuilds it from gis-data/sources into a temp dir and requires identical bytes, so these
// checks hold for what build-data writes too.
class ShanghaiBuild : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("lifecircle_datagen_" + std::to_string(::getpid()));
    gpkg_ = kShipped + "/shanghai.gpkg";
    districts_ = new std::vector<Row>(read_layer(gpkg_, "districts"));
    streets_ = new std::vector<Row>(read_layer(gpkg_, "streets_towns"));
    cells_ = new std::vector<Row>(read_layer(gpkg_, "population"));
    real_ = new std::vector<Row>(read_layer(gpkg_, "facilities_real"));
    synthetic_ = new std::vector<Row>(read_layer(gpkg_, "facilities_synthetic"));
  }
  static void TearDownTestSuite() {
    for (auto* v : {districts_, streets_, cells_, real_, synthetic_}) delete v;
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  static const Row& district(const std::string& code) {
    for (const Row& d : *districts_)
      if (d["code"] == code) return d;
    throw std::runtime_error("no district " + code);
  }
  // street/town code -> district code, from the registry CSV read by GDAL.
  static std::map<std::string, std::string> registry() {
    std::map<std::string, std::string> out;
    for (const Row& r : read_layer(kSources + "/shanghai_streets_towns_2023.csv", ""))
      out[r["code"]] = r["areaCode"];
    return out;
  }

  static inline fs::path dir_;
  static inline std::string gpkg_;
  static inline std::vector<Row>* districts_ = nullptr;
  static inline std::vector<Row>* streets_ = nullptr;
  static inline std::vector<Row>* cells_ = nullptr;
  static inline std::vector<Row>* real_ = nullptr;
  static inline std::vector<Row>* synthetic_ = nullptr;
};

TEST_F(ShanghaiBuild, LayerCountsMatchTheRegistries) {
  EXPECT_EQ(districts_->size(), 16u);
  EXPECT_EQ(streets_->size(), 234u);
  EXPECT_EQ(read_layer(gpkg_, "committees").size(), 6509u);
  EXPECT_EQ(read_layer(gpkg_, "plan_indicators").size(), 15u);
  std::map<std::string, int> kinds;
  int with_geometry = 0;
  for (const Row& s : *streets_) {
    ++kinds[s["kind"]];
    // Only the 215 official 街道/镇/乡 get a (synthetic) polygon; statistical zones get none.
    const bool official = s["kind"] != "zone";
    EXPECT_EQ(s.geom != nullptr, official) << s["code"];
    if (s.geom) {
      ++with_geometry;
      EXPECT_EQ(s["geometry_synthetic"], "1");
    }
  }
  // 107 街道 + 13 镇 whose committees are all residents' committees (urbanised, e.g. 华泾镇);
  // 95 of the 106 镇 + 2 乡 have villages (counted from the committee CSV by name).
  EXPECT_EQ(kinds["urban"], 107 + 13);
  EXPECT_EQ(kinds["rural"], 95);
  EXPECT_EQ(kinds["zone"], 19);
  EXPECT_EQ(with_geometry, 215);
}

TEST_F(ShanghaiBuild, DistrictPopulationSumsEqualTheCensusExactly) {
  std::map<std::string, long long> census;
  for (const Row& r : read_layer(kSources + "/shanghai_district_census2020.csv", ""))
    census[r["adcode"]] = std::stoll(r["resident_pop_2020_census"]);
  ASSERT_EQ(census.size(), 16u);
  std::map<std::string, long long> sums;
  for (const Row& c : *cells_) {
    const long long p = std::stoll(c["population"]);
    EXPECT_GT(p, 0) << c["id"];
    sums[c["district_code"]] += p;
  }
  for (const auto& [code, pop] : census) {
    EXPECT_EQ(sums[code], pop) << code;
    EXPECT_EQ(std::stoll(district(code)["population"]), pop) << code;
  }
  long long city = 0;
  for (const auto& [code, pop] : sums) city += pop;
  EXPECT_EQ(city, 24870895);
}

TEST_F(ShanghaiBuild, YangpuStreetSumsFollowTheCensusStreetFigures) {
  // The 12 street totals are rounded to 100 and sum to 1,242,600, 52 more than the district;
  // scaled to the district total, each street may differ from its figure by a few people.
  std::map<std::string, long long> sums;
  for (const Row& c : *cells_)
    if (c["district_code"] == "310110") sums[c["street_code"]] += std::stoll(c["population"]);
  const auto raw = read_layer(kSources + "/yangpu_subdistrict_census2020.csv", "");
  ASSERT_EQ(raw.size(), 12u);
  ASSERT_EQ(sums.size(), 12u);
  for (const Row& r : raw)
    EXPECT_NEAR(sums[r["subdistrict_id"]], std::stoll(r["resident_pop_2020_census_rounded100"]), 10)
        << r["subdistrict_name"];
}

TEST_F(ShanghaiBuild, SixtyPlusSumsToTheCensusCityTotal) {
  long long aged = 0;
  std::map<std::string, long long> by_district;
  for (const Row& c : *cells_) {
    const long long a = std::stoll(c["population_60plus"]);
    EXPECT_GE(a, 0);
    EXPECT_LE(a, std::stoll(c["population"])) << c["id"];
    aged += a;
    by_district[c["district_code"]] += a;
  }
  EXPECT_EQ(aged, kCity60Plus);
  // The modelled shares: older in the centre (Huangpu) than in the outer suburbs (Songjiang).
  double share_centre = 0, share_suburb = 0;
  for (const Row& d : *districts_) {
    EXPECT_EQ(std::stoll(d["population_60plus"]), by_district[d["code"]]) << d["code"];
    const double share = std::stod(d["population_60plus"]) / std::stod(d["population"]);
    if (d["code"] == "310101") share_centre = share;
    if (d["code"] == "310117") share_suburb = share;
  }
  EXPECT_GT(share_centre, share_suburb);
}

TEST_F(ShanghaiBuild, CellsAreClippedToTheirDistrictAndCarryItsStreetCodes) {
  const auto reg = registry();
  std::set<std::string> ids;
  for (const Row& c : *cells_) {
    EXPECT_TRUE(ids.insert(c["id"]).second) << "duplicate " << c["id"];
    EXPECT_EQ(c["source"], "synthetic");
    ASSERT_TRUE(c.geom) << c["id"];
    auto it = reg.find(c["street_code"]);
    ASSERT_NE(it, reg.end()) << c["id"] << " street " << c["street_code"];
    EXPECT_EQ(it->second, c["district_code"]) << c["id"];
  }
  // Clipping, checked on a sample (every 50th cell) to keep the test fast: a cell may not
  // stick out of its district by more than rounding.
  for (std::size_t i = 0; i < cells_->size(); i += 50) {
    const Row& c = (*cells_)[i];
    std::unique_ptr<OGRGeometry> outside(
        c.geom->Difference(district(c["district_code"]).geom.get()));
    // The difference may be a Polygon, a MultiPolygon or an empty collection.
    const double area = outside ? OGR_G_Area(OGRGeometry::ToHandle(outside.get())) : 0;
    EXPECT_LT(area, 1e-10) << c["id"];  // degrees², about 1 m²
  }
}

void expect_inside_own_district(const std::vector<Row>& rows, const std::vector<Row>& districts) {
  for (const Row& f : rows) {
    ASSERT_TRUE(f.geom) << f["id"];
    int containing = 0;
    std::string code;
    for (const Row& d : districts)
      if (d.geom->Contains(f.geom.get())) ++containing, code = d["code"];
    EXPECT_EQ(containing, 1) << f["id"];
    EXPECT_EQ(code, f["district_code"]) << f["id"] << " " << f["name"];
  }
}

TEST_F(ShanghaiBuild, EveryFacilityLiesInsideItsDistrict) {
  expect_inside_own_district(*real_, *districts_);
  expect_inside_own_district(*synthetic_, *districts_);
}

TEST_F(ShanghaiBuild, StreetCodesExistAndBelongToTheDistrict) {
  const auto reg = registry();
  std::map<std::string, const Row*> street_rows;
  for (const Row& s : *streets_) street_rows[s["code"]] = &s;
  int empty = 0;
  for (const auto* rows : {real_, synthetic_})
    for (const Row& f : *rows) {
      if (f["street_code"].empty()) {
        ++empty;
        continue;
      }
      auto it = reg.find(f["street_code"]);
      ASSERT_NE(it, reg.end()) << f["id"];
      EXPECT_EQ(it->second, f["district_code"]) << f["id"];
    }
  EXPECT_EQ(empty, 1);  // the one Yangpu canteen whose name names no street (汇晨…)
  // Synthetic facilities take the street of the synthetic polygon they stand in.
  for (const Row& f : *synthetic_) {
    const Row& s = *street_rows.at(f["street_code"]);
    ASSERT_TRUE(s.geom) << f["id"];
    EXPECT_LT(s.geom->Distance(f.geom.get()), 1e-7) << f["id"];
  }
}

TEST_F(ShanghaiBuild, YangpuCanteensAreConvertedFromGcj02IntoYangpu) {
  const auto raw = read_layer(kSources + "/yangpu_elder_canteens_gcj02.csv", "");
  ASSERT_EQ(raw.size(), 43u);
  std::map<std::string, const Row*> by_name;
  for (const Row& r : *real_)
    if (r["type"] == "canteen") by_name[r["name"]] = &r;
  ASSERT_EQ(by_name.size(), 43u);
  const Row& yangpu = district("310110");
  for (const Row& r : raw) {
    const Row& c = *by_name.at(r["name"]);
    const OGRPoint* p = c.geom->toPoint();
    EXPECT_TRUE(yangpu.geom->Contains(p)) << r["name"];
    const double moved = haversine(r.num("lon_gcj02"), r.num("lat_gcj02"), p->getX(), p->getY());
    EXPECT_GT(moved, 400) << r["name"];
    EXPECT_LT(moved, 600) << r["name"];
    // GCJ-02 sits east and south of WGS84 in Shanghai, so WGS84 is west and north of it.
    EXPECT_LT(p->getX(), r.num("lon_gcj02"));
    EXPECT_GT(p->getY(), r.num("lat_gcj02"));
    EXPECT_EQ(c["family"], "meal");
    EXPECT_EQ(c["address"], r["address"]);
  }
}

TEST_F(ShanghaiBuild, YangpuEldercareKeepsOfficialNamesAndStreets) {
  const auto raw = read_layer(kSources + "/yangpu_eldercare_institutions.csv", "");
  ASSERT_EQ(raw.size(), 65u);
  std::map<std::string, std::string> street_by_name;
  for (const Row& s : *streets_)
    if (s["parent_code"] == "310110") street_by_name[s["name"]] = s["code"];
  int small = 0;
  for (const Row& r : raw) {
    const Row* f = nullptr;
    for (const Row& x : *real_)
      if (x["id"] == "yangpu-eldercare-" + r["request_id"]) f = &x;
    ASSERT_NE(f, nullptr) << r["request_id"];
    EXPECT_EQ((*f)["name"], r["facility_name"]);
    EXPECT_EQ((*f)["street_code"], street_by_name.at(r["official_subdistrict"]));
    EXPECT_EQ((*f)["geometry_confidence"], r["geometry_confidence"]);
    const bool is_small = r["facility_name"].find("长者照护之家") != std::string::npos;
    small += is_small;
    EXPECT_EQ((*f)["type"], is_small ? "small_nursing_home" : "nursing_home");
    // Our BD-09 conversion agrees with the list's own WGS84 column to a few metres.
    const OGRPoint* p = f->geom->toPoint();
    EXPECT_LT(haversine(p->getX(), p->getY(), r.num("wgs84_lon_P06"), r.num("wgs84_lat_P06")), 5.0);
  }
  EXPECT_GT(small, 0);
}

TEST_F(ShanghaiBuild, SyntheticFeaturesAreLabelledAndPlausible) {
  std::set<std::string> ids;
  std::map<std::string, int> open, planned;
  for (const Row& f : *synthetic_) {
    EXPECT_TRUE(ids.insert(f["id"]).second) << f["id"];
    EXPECT_EQ(f["source"], "synthetic") << f["id"];
    EXPECT_EQ(f["name"].rfind("合成-", 0), 0u) << f["name"];
    EXPECT_NE(f["name"].find("(synthetic)"), std::string::npos) << f["name"];
    EXPECT_NE(f["name"].find(f["district_code"]), std::string::npos) << f["name"];
    // Real data exists for eldercare and meals in Yangpu: no synthetic ones there.
    if (f["district_code"] == "310110") {
      EXPECT_EQ(f["family"], "columbarium") << f["id"];
    }
    ASSERT_FALSE(f.is_null.at("floor_area_m2")) << f["id"];
    const double area = f.num("floor_area_m2");
    const std::string& t = f["type"];
    if (t == "comprehensive_center") {
      EXPECT_GE(area, 800) << f["id"];
    }
    if (t == "doorstep_station") {
      EXPECT_TRUE(area >= 50 && area <= 200) << f["id"];
    }
    if (t == "canteen") {
      // >= 150 per sitting, at least lunch and supper.
      EXPECT_GE(f.num("meal_capacity_per_day"), 300) << f["id"];
    }
    if (t == "meal_point") {
      EXPECT_GT(f.num("meal_capacity_per_day"), 0) << f["id"];
    }
    ASSERT_TRUE(f["status"] == "open" || f["status"] == "planned") << f["id"];
    ++(f["status"] == "open" ? open : planned)[t];
  }
  for (const Row& s : *streets_)
    if (s.geom) {
      EXPECT_NE(s["source"].find("SYNTHETIC"), std::string::npos) << s["code"];
    }
  // About 459 centres: the published 2023 count, less Yangpu's population share
  // (459 x 1,242,548 / 24,870,895 = 22.9), which its real lists stand in for.
  EXPECT_NEAR(open["comprehensive_center"], 459 - 23, 1);
  EXPECT_GT(planned["comprehensive_center"], 0);
  const int meal_sites = open["canteen"] + open["meal_point"];
  EXPECT_NEAR(meal_sites + 43, 1473, 80);  // 1232 (2020) + 200 + 41, with Yangpu's real 43
  // Most rural towns have a columbarium; a documented share does not.
  std::set<std::string> towns_with;
  for (const Row& f : *synthetic_)
    if (f["type"] == "public_columbarium" && f["status"] == "open")
      towns_with.insert(f["street_code"]);
  int rural = 0, without = 0;
  for (const Row& s : *streets_)
    if (s["kind"] == "rural") ++rural, without += towns_with.count(s["code"]) ? 0 : 1;
  EXPECT_EQ(rural, 95);
  EXPECT_GT(without, 0);
  EXPECT_LT(without, rural / 4);
  for (const Row& f : *synthetic_)
    if (f["type"] == "public_columbarium") {
      bool rural_town = false;
      for (const Row& s : *streets_)
        rural_town |= s["code"] == f["street_code"] && s["kind"] == "rural";
      EXPECT_TRUE(rural_town) << f["id"];
    }
}

TEST_F(ShanghaiBuild, DistrictBoundariesWereShiftedFromGcj02) {
  // The first vertex of the source polygon against the first vertex written: the conversion
  // moves every vertex by the GCJ-02 offset, about 480 m in Shanghai.
  const auto raw = read_layer(kSources + "/shanghai_districts_gcj02.geojson", "");
  ASSERT_EQ(raw.size(), 16u);
  for (const Row& r : raw) {
    const OGRPolygon* src = r.geom->toMultiPolygon()->getGeometryRef(0);
    const OGRPolygon* out = district(r["adcode"]).geom->toMultiPolygon()->getGeometryRef(0);
    const OGRLinearRing* a = src->getExteriorRing();
    const OGRLinearRing* b = out->getExteriorRing();
    ASSERT_EQ(a->getNumPoints(), b->getNumPoints()) << r["adcode"];
    const double moved = haversine(a->getX(0), a->getY(0), b->getX(0), b->getY(0));
    EXPECT_GT(moved, 400) << r["adcode"];
    EXPECT_LT(moved, 600) << r["adcode"];
  }
}

TEST_F(ShanghaiBuild, RebuildIsByteIdenticalAndMatchesTheShippedFiles) {
  BuildOptions opt;
  opt.sources_dir = kSources;
  for (const char* sub : {"a", "b"}) {
    opt.out_dir = (dir_ / sub).string();
    const BuildSummary s = build_shanghai(opt);
    EXPECT_EQ(s.layer_counts.at("districts"), 16u);
  }
  for (const char* file : {"shanghai.gpkg", "manifest.json", "summary.md"}) {
    const std::string a = slurp((dir_ / "a" / file).string());
    const std::string b = slurp((dir_ / "b" / file).string());
    ASSERT_FALSE(a.empty()) << file;
    EXPECT_TRUE(a == b) << file << " differs between two builds";
    const std::string shipped = slurp(kShipped + "/" + file);
    EXPECT_TRUE(a == shipped) << "gis-data/shanghai/" << file
                              << " is stale: run `lifecircle build-data`";
  }
  // A different seed gives a different synthetic layer (the seed is really used).
  opt.out_dir = (dir_ / "c").string();
  opt.seed = 7;
  build_shanghai(opt);
  EXPECT_FALSE(slurp((dir_ / "a" / "shanghai.gpkg").string()) ==
               slurp((dir_ / "c" / "shanghai.gpkg").string()));
}

TEST_F(ShanghaiBuild, TheShippedManifestValidatesWithoutErrors) {
  const LoadResult r = load_dataset(kShipped + "/manifest.json");
  EXPECT_TRUE(r.report.ok()) << r.report.to_text();
  ASSERT_TRUE(r.dataset);
  EXPECT_EQ(r.dataset->districts().size(), 16u);
  EXPECT_EQ(r.dataset->facilities().size(), real_->size() + synthetic_->size());
  EXPECT_EQ(r.dataset->population().size(), cells_->size());
}

}  // namespace
}  // namespace lifecircle::datagen
