// On the shipped Shanghai dataset: the indexed coverage equals a brute-force all-pairs
// computation, the indicators add up to the census, and facilities whose source gives no
// floor area or meal capacity (Yangpu's official lists) are counted from the GeoPackage itself
// with SQL, independently of the loader, and must come out flagged, never as zero.
#include <gtest/gtest.h>

#include <gdal.h>
#include <ogr_api.h>

#include <cmath>
#include <filesystem>
#include <map>

#include "lifecircle/analyzer.hpp"
#include "lifecircle/coverage.hpp"
#include "lifecircle/euclidean_distance.hpp"
#include "lifecircle/loader.hpp"

using namespace lifecircle;

namespace {

std::shared_ptr<const Dataset> shipped() {
  static std::shared_ptr<const Dataset> d = [] {
    const std::string m = std::string(LIFECIRCLE_SOURCE_DIR) + "/gis-data/shanghai/manifest.json";
    if (!std::filesystem::exists(m)) return std::shared_ptr<const Dataset>();
    return load_dataset(m).dataset;
  }();
  return d;
}

}  // namespace

TEST(ShippedData, IndexedCoverageEqualsBruteForce) {
  const auto d = shipped();
  ASSERT_TRUE(d) << "gis-data/shanghai/manifest.json missing or not loadable";
  const StandardsProfile p = Standards::load(d->info().standards_path).resolve("", {});
  for (const Family fam : {Family::eldercare, Family::meal, Family::columbarium}) {
    CoverageRequest req;
    req.selection.family = fam;
    req.by = AggregateBy::city;
    req.area = false;
    const auto c = compute_coverage(*d, p, req, EuclideanDistance(p.detour_factor));
    ASSERT_FALSE(c.facilities.empty());
    double covered = 0;
    for (std::size_t i = 0; i < d->population().size(); ++i) {
      const XY q = d->population()[i].xy;
      double best = INFINITY;
      bool cov = false;
      for (std::size_t k : c.facilities) {
        const Facility& f = d->facilities()[k];
        const double walk = std::hypot(q.x - f.xy.x, q.y - f.xy.y) * p.detour_factor;
        best = std::min(best, walk);
        cov = cov || walk <= p.access.at(f.type).walk_m();
      }
      ASSERT_FLOAT_EQ(c.distance_m[i], static_cast<float>(best)) << "cell " << i;
      ASSERT_EQ(c.covered[i] != 0, cov) << "cell " << i;
      if (cov) covered += d->population()[i].population;
    }
    EXPECT_DOUBLE_EQ(c.total.covered, covered) << to_string(fam);
  }
}

TEST(ShippedData, AggregatesAddUpToTheCity) {
  const auto d = shipped();
  ASSERT_TRUE(d);
  Analyzer a(std::make_shared<const Standards>(Standards::load(d->info().standards_path)));
  CoverageRequest req;
  req.selection.types = {"comprehensive_center"};
  req.area = false;
  const auto c = a.coverage(*d, req);
  double residents = 0, covered = 0;
  for (const auto& u : c->units) residents += u.residents, covered += u.covered;
  EXPECT_DOUBLE_EQ(residents, c->total.residents);
  EXPECT_DOUBLE_EQ(covered, c->total.covered);
  double census = 0;
  for (const auto& dist : d->districts()) census += dist.population.value_or(0);
  IndicatorRequest ir;
  const auto pt = a.per_thousand(*d, Family::eldercare, ir);
  EXPECT_DOUBLE_EQ(pt->city.residents.total, census);
  double area = 0;
  for (const auto& r : pt->rows) area += r.floor_area_m2;
  EXPECT_NEAR(area, pt->city.floor_area_m2, 1e-6 * pt->city.floor_area_m2);
}

namespace {

struct Known {
  long long counted = 0, missing = 0;
  double sum = 0;
};

// Per district: open facilities of `types` and how many have `field` NULL, read with SQL
// straight from the GeoPackage (GDAL's SQLite dialect), not through the loader.
std::map<std::string, Known> count_in_gpkg(const std::vector<std::string>& types,
                                           const std::string& field) {
  const std::string gpkg = std::string(LIFECIRCLE_SOURCE_DIR) + "/gis-data/shanghai/shanghai.gpkg";
  GDALAllRegister();
  GDALDatasetH ds =
      GDALOpenEx(gpkg.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  std::map<std::string, Known> out;
  if (!ds) return out;
  std::string in;
  for (const auto& t : types) in += (in.empty() ? "'" : ",'") + t + "'";
  const std::string sql =
      "SELECT district_code, count(*) AS n, sum(" + field + " IS NULL) AS missing, total(" + field +
      ") AS s FROM (SELECT district_code, type, status, " + field +
      " FROM facilities_real UNION ALL SELECT district_code, type, status, " + field +
      " FROM facilities_synthetic) WHERE status = 'open' AND type IN (" + in +
      ") GROUP BY district_code";
  OGRLayerH l = GDALDatasetExecuteSQL(ds, sql.c_str(), nullptr, "SQLite");
  if (l) {
    while (OGRFeatureH f = OGR_L_GetNextFeature(l)) {
      Known& k = out[OGR_F_GetFieldAsString(f, 0)];
      k.counted = OGR_F_GetFieldAsInteger64(f, 1);
      k.missing = OGR_F_GetFieldAsInteger64(f, 2);
      k.sum = OGR_F_GetFieldAsDouble(f, 3);
      OGR_F_Destroy(f);
    }
    GDALDatasetReleaseResultSet(ds, l);
  }
  GDALClose(ds);
  return out;
}

}  // namespace

TEST(ShippedData, FacilitiesWithoutFloorAreaMakeTheirDistrictIncompleteNotZero) {
  const auto d = shipped();
  ASSERT_TRUE(d);
  Analyzer a(std::make_shared<const Standards>(Standards::load(d->info().standards_path)));
  const auto pt = a.per_thousand(*d, Family::eldercare, IndicatorRequest{});
  const auto gpkg = count_in_gpkg(pt->counted_types, "floor_area_m2");
  ASSERT_EQ(gpkg.size(), 16u);
  ASSERT_GT(gpkg.at("310110").missing, 0);  // Yangpu's official list gives no floor area
  std::vector<std::string> incomplete;
  int ranked = 0;
  for (const auto& row : pt->rows) {
    const Known& k = gpkg.at(row.code);
    EXPECT_EQ(static_cast<long long>(row.facilities), k.counted) << row.code;
    EXPECT_EQ(static_cast<long long>(row.facilities_without_area), k.missing) << row.code;
    EXPECT_NEAR(row.floor_area_m2, k.sum, 1e-6) << row.code;
    EXPECT_EQ(row.area_known().incomplete(), k.missing > 0) << row.code;
    if (k.missing > 0) {
      incomplete.push_back(row.code);
      EXPECT_FALSE(row.rank) << row.code;
      EXPECT_FALSE(row.surplus_m2) << row.code;
    } else {
      EXPECT_TRUE(row.rank) << row.code;
      ++ranked;
    }
    if (k.missing == k.counted) {
      EXPECT_FALSE(row.per_thousand) << row.code << ": no data";
    }
  }
  EXPECT_EQ(pt->incomplete_districts, incomplete);
  // Ranks run 1..ranked over the complete districts only.
  std::vector<int> ranks;
  for (const auto& row : pt->rows)
    if (row.rank) ranks.push_back(*row.rank);
  std::sort(ranks.begin(), ranks.end());
  for (int k = 0; k < ranked; ++k) EXPECT_EQ(ranks[k], k + 1);
  // The complete city leaves the incomplete districts out of both sides of the ratio.
  double area = 0, residents = 0;
  for (const auto& [code, k] : gpkg)
    if (k.missing == 0) area += k.sum, residents += d->district(code)->population.value_or(0);
  EXPECT_NEAR(*pt->city_complete.per_thousand, area / residents * 1000, 1e-9);
  EXPECT_TRUE(pt->city.area_known().incomplete());

  const auto meal = a.meal_capacity(*d, IndicatorRequest{});
  const auto cap = count_in_gpkg(meal->counted_types, "meal_capacity_per_day");
  for (const auto& row : meal->rows) {
    const Known& k = cap.at(row.code);
    EXPECT_EQ(static_cast<long long>(row.sites_without_capacity), k.missing) << row.code;
    if (k.missing == k.counted) {
      EXPECT_FALSE(row.per_1000_60plus) << row.code;
    }
    if (k.missing > 0) {
      EXPECT_FALSE(row.surplus_meals_per_day) << row.code;
    }
  }
}

TEST(ShippedData, TheCityRowIsShanghaiWithItsCode) {
  const auto d = shipped();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->city().code, "310000");
  EXPECT_EQ(d->city().name, "上海市");
  EXPECT_EQ(d->city().level, UnitLevel::city);
  Analyzer a(std::make_shared<const Standards>(Standards::load(d->info().standards_path)));
  CoverageRequest req;
  req.selection.types = {"comprehensive_center"};
  req.area = false;
  const auto c = a.coverage(*d, req);
  EXPECT_EQ(c->total.level, "city");
  EXPECT_EQ(c->total.code, "310000");
  EXPECT_EQ(c->total.name, "上海市");
  req.district = "310110";
  const auto y = a.coverage(*d, req);
  EXPECT_EQ(y->total.level, "district");  // restricted to a district, the total is that district
  EXPECT_EQ(y->total.code, "310110");
  EXPECT_EQ(y->total.name, "杨浦区");
  EXPECT_EQ(a.per_thousand(*d, Family::meal, IndicatorRequest{})->city.name, "上海市");
  EXPECT_EQ(a.meal_capacity(*d, IndicatorRequest{})->city.code, "310000");
}

// The district boundaries run out over the estuary and the tidal flats (7,983 km²); the land
// mask brings the denominator to Shanghai's published land area, 6,340.5 km² (上海统计年鉴),
// within 2%, and coverage says it divides by land.
TEST(ShippedData, LandMaskedAreaIsThePublishedLandAreaWithinTwoPercent) {
  const auto d = shipped();
  ASSERT_TRUE(d);
  double boundary = 0, land = 0;
  for (const auto& u : d->districts()) {
    ASSERT_TRUE(u.land_area_m2) << u.code;
    EXPECT_LE(*u.land_area_m2, u.area_m2 * (1 + 1e-9)) << u.code << ": land within the boundary";
    boundary += u.area_m2;
    land += *u.land_area_m2;
  }
  constexpr double kPublishedLandKm2 = 6340.5;
  EXPECT_GT(boundary / 1e6, kPublishedLandKm2 * 1.2);  // the problem: flats and shoals included
  EXPECT_NEAR(land / 1e6, kPublishedLandKm2, 0.02 * kPublishedLandKm2);
  EXPECT_DOUBLE_EQ(*d->city().land_area_m2, land);
  Analyzer a(std::make_shared<const Standards>(Standards::load(d->info().standards_path)));
  CoverageRequest req;
  req.selection.types = {"comprehensive_center"};
  const auto c = a.coverage(*d, req);
  EXPECT_EQ(c->area_basis, "land");
  EXPECT_NEAR(*c->total.area_m2, land, 1e-6 * land);
  EXPECT_LE(*c->total.covered_area_m2, *c->total.area_m2);
}

// Urban or rural from the registry: 华泾镇 (Xuhui) has only residents' committees, so it is an
// urbanised town outside the rural columbarium rule; a town with villages stays rural.
TEST(ShippedData, UrbanisedTownsAreUrbanByTheirCommittees) {
  const auto d = shipped();
  ASSERT_TRUE(d);
  ASSERT_NE(d->street_town("310104103"), nullptr);
  EXPECT_EQ(d->street_town("310104103")->name, "华泾镇");
  EXPECT_EQ(d->street_town("310104103")->kind, "urban");
  std::map<std::string, int> villages;
  for (const auto& c : d->committees())
    if (c.name.size() >= 9 && c.name.compare(c.name.size() - 9, 9, "村委会") == 0)
      ++villages[c.parent_code];
  for (const auto& u : d->streets_towns()) {
    const bool town = u.name.size() >= 3 && (u.name.compare(u.name.size() - 3, 3, "镇") == 0 ||
                                             u.name.compare(u.name.size() - 3, 3, "乡") == 0);
    if (town) {
      EXPECT_EQ(u.kind, villages[u.code] > 0 ? "rural" : "urban") << u.code << u.name;
    }
  }
  Analyzer a(std::make_shared<const Standards>(Standards::load(d->info().standards_path)));
  const auto col = a.columbaria(*d, IndicatorRequest{});
  for (const auto& t : col->towns) EXPECT_NE(t.code, "310104103");
}
