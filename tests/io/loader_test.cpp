#include "lifecircle/loader.hpp"

#include <cpl_vsi.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>

#include "lifecircle/crs.hpp"
#include "support/temp_dir.hpp"

namespace lifecircle {
namespace {

using testing::TempDir;

// Two districts side by side: A = [121.40, 121.45] x [31.20, 31.25], B east of it.
const char* kDistricts = R"({"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"code": "310101", "name": "甲区", "population": 1000, "population_60plus": 300},
  "geometry": {"type": "Polygon", "coordinates": [[[121.40,31.20],[121.45,31.20],[121.45,31.25],[121.40,31.25],[121.40,31.20]]]}},
 {"type": "Feature", "properties": {"code": "310104", "name": "乙区", "population": 2000},
  "geometry": {"type": "MultiPolygon", "coordinates": [[[[121.45,31.20],[121.50,31.20],[121.50,31.25],[121.45,31.25],[121.45,31.20]]]]}}
]})";

const char* kStreets =
    "code,name,parent_code\n"
    "310101001,甲街道,310101\n"
    "310104100,乙镇,310104\n"
    "310104501,丙工业区,310104\n";

const char* kCommittees =
    "code,name,parent_code\n"
    "310101001001,一居委会,310101001\n"
    "310104100201,二村委会,310104100\n";

const char* kPopulation = R"({"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"id": "c1", "population": 100, "population_60plus": 30},
  "geometry": {"type": "Point", "coordinates": [121.42, 31.22]}},
 {"type": "Feature", "properties": {"id": "c2", "population": 200},
  "geometry": {"type": "Polygon", "coordinates": [[[121.46,31.21],[121.48,31.21],[121.48,31.23],[121.46,31.23],[121.46,31.21]]]}}
]})";

const char* kIndicators =
    "id,name_zh,name_en,unit,kind,baseline_2020,target_2025,target_op\n"
    "2,养老床位数,Eldercare beds,10k beds,expected,15.9,17.8,>=\n";

std::string csv_row(const std::vector<std::string>& cells) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + cells[i];
  return out + "\n";
}

std::string fmt(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.9f", v);
  return b;
}

// A facilities CSV in GCJ-02, as AMap-based registries publish them. Coordinates are made by
// the forward formula (pinned to published vectors in the CRS tests) from known WGS84 points.
std::string gcj_facilities_csv(const std::vector<std::pair<std::string, LonLat>>& wgs_points) {
  std::string csv = "id,title,family,type,status,floor_area_m2,lon,lat\n";
  for (const auto& [id, p] : wgs_points) {
    const LonLat g = wgs84_to_gcj02(p);
    csv += csv_row({id, "设施" + id, "eldercare", "comprehensive_center", "open", "900", fmt(g.lon),
                    fmt(g.lat)});
  }
  return csv;
}

std::string manifest(const std::string& facilities_layer, const std::string& extra = "") {
  return R"({"name": "fixture", "title": "Fixture", "metric_crs": "EPSG:32651",
    "extent": [121.0, 30.9, 122.0, 31.9],
    "layers": {
      "districts": {"source": "districts.geojson"},
      "streets_towns": {"source": "streets.csv"},
      "committees": {"source": "committees.csv"},
      "population": {"source": "population.geojson"},
      "plan_indicators": {"source": "indicators.csv"},
      "facilities": [)" +
         facilities_layer + "]" + extra + "}}";
}

const char* kFacilityLayer =
    R"({"source": "facilities.csv", "crs": "GCJ-02", "x_field": "lon", "y_field": "lat", "fields": {"name": "title"}})";
// The same CSV in WGS84 (no crs): the layer the problem-report tests write their rows into.
const char* kWgsFacilityLayer =
    R"({"source": "facilities.csv", "x_field": "lon", "y_field": "lat", "fields": {"name": "title"}})";

void write_base(const TempDir& dir) {
  dir.write("districts.geojson", kDistricts);
  dir.write("streets.csv", kStreets);
  dir.write("committees.csv", kCommittees);
  dir.write("population.geojson", kPopulation);
  dir.write("indicators.csv", kIndicators);
}

// The base layers and `facilities_csv` in WGS84; returns the manifest's path.
std::string write_facilities(const TempDir& dir, const std::string& facilities_csv) {
  write_base(dir);
  dir.write("facilities.csv", facilities_csv);
  return dir.write("manifest.json", manifest(kWgsFacilityLayer));
}

const Problem* find_problem(const ValidationReport& r, const std::string& code,
                            const std::string& feature = "") {
  for (const auto& p : r.problems())
    if (p.code == code && (feature.empty() || p.feature == feature)) return &p;
  return nullptr;
}

TEST(Loader, LoadsEveryLayerConvertsGcj02AndAttributes) {
  TempDir dir;
  write_base(dir);
  const LonLat in_a{121.43, 31.24}, in_b{121.49, 31.205};
  dir.write("facilities.csv", gcj_facilities_csv({{"f1", in_a}, {"f2", in_b}}));
  const auto path = dir.write("manifest.json", manifest(kFacilityLayer));

  const LoadResult r = load_dataset(path);
  ASSERT_TRUE(r.report.ok()) << r.report.to_text();
  ASSERT_TRUE(r.dataset);
  const Dataset& d = *r.dataset;
  EXPECT_EQ(d.districts().size(), 2u);
  EXPECT_EQ(d.streets_towns().size(), 3u);
  EXPECT_EQ(d.committees().size(), 2u);
  EXPECT_EQ(d.population().size(), 2u);
  EXPECT_EQ(d.plan_indicators().size(), 1u);
  ASSERT_EQ(d.facilities().size(), 2u);

  // GCJ-02 input lands back on the WGS84 point to well under half a metre.
  const Facility* f1 = d.facility("f1");
  ASSERT_NE(f1, nullptr);
  EXPECT_LT(haversine_m(f1->pos, in_a), 0.5);
  EXPECT_EQ(f1->name, "设施f1");  // mapped from the 'title' column
  EXPECT_EQ(f1->district_code, "310101");
  EXPECT_EQ(d.facility("f2")->district_code, "310104");
  EXPECT_DOUBLE_EQ(*f1->floor_area_m2, 900);

  // Kinds derived from the unit names.
  EXPECT_EQ(d.street_town("310101001")->kind, "urban");
  EXPECT_EQ(d.street_town("310104100")->kind, "rural");
  EXPECT_EQ(d.street_town("310104501")->kind, "zone");
  EXPECT_EQ(d.committee("310104100201")->kind, "rural");

  // Demand attributed by point-in-polygon; the polygon cell's demand point is its centre.
  EXPECT_EQ(d.population()[0].district_code, "310101");
  EXPECT_EQ(d.population()[1].district_code, "310104");
  EXPECT_NEAR(d.population()[1].pos.lon, 121.47, 1e-6);
  EXPECT_NEAR(d.population()[1].pos.lat, 31.22, 1e-6);

  // Planar area in UTM of a 0.05 deg square at 31.2 N: about 5.2 km x 5.6 km.
  const double expected = haversine_m({121.40, 31.225}, {121.45, 31.225}) *
                          haversine_m({121.425, 31.20}, {121.425, 31.25});
  EXPECT_NEAR(d.district("310101")->area_m2 / expected, 1.0, 0.005);

  // The R-tree answers bbox queries.
  EXPECT_EQ(d.facilities_in({121.40, 31.20, 121.45, 31.25}).size(), 1u);
  EXPECT_EQ(d.district_at({121.46, 31.21})->code, "310104");
  EXPECT_EQ(d.district_at({121.60, 31.21}), nullptr);
  EXPECT_FALSE(d.info().loaded_at.empty());
}

TEST(Loader, EveryBadFacilityIsReportedWithFileFeatureAndFieldAndNothingIsServed) {
  TempDir dir;
  std::string csv = "id,title,family,type,status,floor_area_m2,lon,lat\n";
  csv += csv_row({"ok1", "好", "meal", "canteen", "open", "300", "121.43", "31.22"});
  csv += csv_row({"num", "面积", "meal", "canteen", "open", "big", "121.43", "31.22"});
  csv += csv_row({"ok1", "重复", "meal", "canteen", "open", "300", "121.43", "31.22"});
  csv += csv_row({"typ", "类型", "meal", "rocket_pad", "open", "", "121.43", "31.22"});
  csv += csv_row({"fam", "家族", "columbarium", "canteen", "open", "", "121.43", "31.22"});
  csv += csv_row({"swp", "颠倒", "meal", "canteen", "open", "", "31.22", "121.43"});
  csv += csv_row({"far", "远方", "meal", "canteen", "open", "", "116.40", "39.90"});
  csv += csv_row({"nam", "", "meal", "canteen", "open", "", "121.43", "31.22"});
  csv += csv_row({"sta", "状态", "meal", "canteen", "demolished", "", "121.43", "31.22"});
  csv += csv_row({"neg", "负", "meal", "canteen", "open", "-5", "121.43", "31.22"});
  const auto path = write_facilities(dir, csv);

  const LoadResult r = load_dataset(path);
  EXPECT_FALSE(r.dataset) << "a dataset with errors must not be served";
  const struct {
    const char* code;
    const char* feature;
    const char* field;
  } expected[] = {
      {"non_numeric", "num", "floor_area_m2"},
      {"duplicate_id", "ok1", "id"},
      {"unknown_type", "typ", "type"},
      {"type_family_mismatch", "fam", "type"},
      {"swapped_coordinates", "swp", ""},
      {"outside_extent", "far", ""},
      {"missing_field", "nam", "title"},
      {"unknown_status", "sta", "status"},
      {"negative_value", "neg", "floor_area_m2"},
  };
  for (const auto& e : expected) {
    const Problem* p = find_problem(r.report, e.code, e.feature);
    ASSERT_NE(p, nullptr) << e.code << " for " << e.feature << "\n" << r.report.to_text();
    EXPECT_EQ(p->severity, Severity::error);
    EXPECT_EQ(p->file, "facilities.csv");
    EXPECT_EQ(p->layer, "facilities[0]");
    EXPECT_EQ(p->field, e.field) << e.code;
    EXPECT_FALSE(p->message.empty());
  }
  EXPECT_EQ(r.report.error_count(), std::size(expected)) << r.report.to_text();
  // The text report carries the same places, one line each.
  EXPECT_NE(r.report.to_text().find(
                "facilities.csv: layer facilities[0], feature num, field floor_area_m2"),
            std::string::npos);
}

TEST(Loader, InvalidPolygonIsRepairedWithAWarningNamingTheFeature) {
  TempDir dir;
  write_base(dir);
  // District A drawn as a bow-tie: MakeValid splits it into two triangles of half the area.
  std::string districts = kDistricts;
  const std::string square =
      "[[121.40,31.20],[121.45,31.20],[121.45,31.25],[121.40,31.25],[121.40,31.20]]";
  const std::string bowtie =
      "[[121.40,31.20],[121.45,31.25],[121.45,31.20],[121.40,31.25],[121.40,31.20]]";
  districts.replace(districts.find(square), square.size(), bowtie);
  dir.write("districts.geojson", districts);
  dir.write("facilities.csv", gcj_facilities_csv({{"f1", {121.47, 31.22}}}));
  const auto path = dir.write("manifest.json", manifest(kFacilityLayer));

  const LoadResult r = load_dataset(path);
  ASSERT_TRUE(r.dataset) << r.report.to_text();
  const Problem* p = find_problem(r.report, "invalid_polygon_repaired", "310101");
  ASSERT_NE(p, nullptr) << r.report.to_text();
  EXPECT_EQ(p->severity, Severity::warning);
  EXPECT_EQ(p->file, "districts.geojson");
  const double full = r.dataset->district("310104")->area_m2;  // the intact square next door
  EXPECT_NEAR(r.dataset->district("310101")->area_m2 / full, 0.5, 0.01);
  // The place is given in lon/lat: the bow-tie's diagonals cross at the square's centre.
  double lon = 0, lat = 0;
  const auto at = p->message.find("at lon ");
  ASSERT_NE(at, std::string::npos) << p->message;
  ASSERT_EQ(std::sscanf(p->message.c_str() + at, "at lon %lf, lat %lf", &lon, &lat), 2);
  EXPECT_NEAR(lon, 121.425, 1e-4) << p->message;
  EXPECT_NEAR(lat, 31.225, 1e-4) << p->message;
}

TEST(Loader, RepairDropsSliversThatWouldCollapseAtTheServedPrecision) {
  // Each district's ring crosses itself in a loop 2e-8 degrees (2 mm) wide: MakeValid keeps the
  // loop as a part or a hole of ~1e-12 m2 whose vertices all round to one served position.
  const LoadResult r = load_dataset(std::string(LIFECIRCLE_TEST_DATA) + "/repair/manifest.json");
  ASSERT_TRUE(r.dataset) << r.report.to_text();
  // Each district is a 0.02 x 0.02 degree square at latitude 31.21: about 1903 m x 2218 m.
  const double square_m2 = 0.02 * 111320 * std::cos(31.21 * M_PI / 180) * 0.02 * 110950;
  for (const char* code : {"310101", "310104"}) {
    const AdminUnit* d = r.dataset->district(code);
    ASSERT_NE(d, nullptr);
    EXPECT_NEAR(d->area_m2, square_m2, 0.01 * square_m2) << code;
    EXPECT_EQ(d->geometry.size(), 1u) << code << ": the sliver part is gone";
    for (const auto& poly : d->geometry) {
      EXPECT_EQ(poly.rings.size(), 1u) << code << ": the sliver hole is gone";
      for (const auto& ring : poly.rings) {
        std::set<std::pair<long long, long long>> served;  // positions as written, 7 decimals
        for (const auto& c : ring)
          served.insert({std::llround(c.lon * 1e7), std::llround(c.lat * 1e7)});
        EXPECT_GE(served.size(), 4u) << code;
      }
    }
    const Problem* p = find_problem(r.report, "invalid_polygon_repaired", code);
    ASSERT_NE(p, nullptr) << r.report.to_text();
    EXPECT_NE(p->message.find(code == std::string("310101") ? "lon 121.41" : "lon 121.43"),
              std::string::npos)
        << p->message;
  }
}

TEST(Loader, DistrictErrorsAreReportedOnceNotAsThousandsOfUnknownDistricts) {
  TempDir dir;
  write_base(dir);
  // Neither district loads (population is required), so every facility names a missing one.
  std::string districts = kDistricts;
  for (const std::string pop : {R"("population": 1000, )", R"(, "population": 2000)"})
    districts.replace(districts.find(pop), pop.size(), "");
  dir.write("districts.geojson", districts);
  std::string csv = "id,name,family,type,district_code,lon,lat\n";
  for (int i = 0; i < 1200; ++i)
    csv += csv_row({"f" + std::to_string(i), "设施", "eldercare", "doorstep_station",
                    i % 3 ? "310101" : "310104", "121.42", "31.22"});
  dir.write("facilities.csv", csv);
  const std::string layer = R"({"source": "facilities.csv", "x_field": "lon", "y_field": "lat"})";
  const LoadResult r = load_dataset(dir.write("manifest.json", manifest(layer)));
  EXPECT_FALSE(r.dataset);
  std::size_t root = 0, unknown = 0, summaries = 0;
  const Problem* facilities = nullptr;
  for (const auto& p : r.report.problems()) {
    root += p.layer == "districts" && p.code == "missing_field";
    unknown += p.code == "unknown_district" || p.code == "unknown_parent";
    if (p.code == "unloaded_parent") {
      ++summaries;
      if (p.layer == "facilities[0]") facilities = &p;
    }
  }
  EXPECT_EQ(root, 2u) << "the root cause, once per district";
  EXPECT_EQ(unknown, 0u) << r.report.to_text();
  // Facilities, streets/towns (whose districts are missing) and committees (whose streets are).
  EXPECT_EQ(summaries, 3u) << r.report.to_text();
  ASSERT_NE(facilities, nullptr) << r.report.to_text();
  EXPECT_EQ(facilities->severity, Severity::error);
  EXPECT_EQ(facilities->field, "district_code");
  EXPECT_NE(facilities->message.find("1200 facilities name 2 code(s)"), std::string::npos)
      << facilities->message;
  EXPECT_NE(facilities->message.find("310101 (800)"), std::string::npos) << facilities->message;
  EXPECT_NE(facilities->message.find("310104 (400)"), std::string::npos) << facilities->message;
  EXPECT_LT(r.report.problems().size(), 10u) << r.report.to_text();
}

TEST(Loader, AnUnknownDistrictIsStillNamedPerFacilityWhenTheDistrictsLoaded) {
  TempDir dir;
  write_base(dir);
  dir.write("facilities.csv",
            "id,name,family,type,district_code,lon,lat\n"
            "ok,设施,eldercare,doorstep_station,310101,121.42,31.22\n"
            "typo,设施,eldercare,doorstep_station,310199,121.42,31.22\n");
  const std::string layer = R"({"source": "facilities.csv", "x_field": "lon", "y_field": "lat"})";
  const LoadResult r = load_dataset(dir.write("manifest.json", manifest(layer)));
  EXPECT_FALSE(r.dataset);
  ASSERT_NE(find_problem(r.report, "unknown_district", "typo"), nullptr) << r.report.to_text();
  EXPECT_EQ(find_problem(r.report, "unknown_district", "ok"), nullptr);
  EXPECT_EQ(find_problem(r.report, "unloaded_parent"), nullptr) << r.report.to_text();
}

TEST(Loader, EmptyGeometryAndMissingRequiredNumbersAreErrors) {
  TempDir dir;
  write_base(dir);
  dir.write("population.geojson", R"({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"id": "c1", "population": 100}, "geometry": null},
    {"type": "Feature", "properties": {"id": "c2"}, "geometry": {"type": "Point", "coordinates": [121.42, 31.22]}},
    {"type": "Feature", "properties": {"id": "c3", "population": 10, "population_60plus": 11}, "geometry": {"type": "Point", "coordinates": [121.42, 31.22]}}
  ]})");
  dir.write("facilities.csv", gcj_facilities_csv({}));
  const auto path = dir.write("manifest.json", manifest(kFacilityLayer));
  const LoadResult r = load_dataset(path);
  EXPECT_FALSE(r.dataset);
  EXPECT_NE(find_problem(r.report, "empty_geometry", "c1"), nullptr) << r.report.to_text();
  const Problem* missing = find_problem(r.report, "missing_field", "c2");
  ASSERT_NE(missing, nullptr) << r.report.to_text();
  EXPECT_EQ(missing->field, "population");
  EXPECT_NE(find_problem(r.report, "inconsistent_value", "c3"), nullptr);
}

TEST(Loader, UnreadableFilesAndBadMappingsAreNamed) {
  TempDir dir;
  write_base(dir);
  dir.write("facilities.csv", "this is not,a facility table\n\x01\x02");
  dir.write("garbage.geojson", "{\"type\": \"FeatureCollection\", \"features\": [ {");
  {
    const auto path = dir.write("m1.json", manifest(R"({"source": "nowhere.gpkg"})"));
    const LoadResult r = load_dataset(path);
    const Problem* p = find_problem(r.report, "unreadable_file");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->file, "nowhere.gpkg");
    EXPECT_FALSE(r.dataset);
  }
  {
    const auto path = dir.write("m2.json", manifest(R"({"source": "garbage.geojson"})"));
    const LoadResult r = load_dataset(path);
    const Problem* p = find_problem(r.report, "unreadable_file");
    ASSERT_NE(p, nullptr) << r.report.to_text();
    EXPECT_EQ(p->file, "garbage.geojson");
  }
  {
    const auto path = dir.write(
        "m3.json",
        manifest(
            R"({"source": "facilities.csv", "x_field": "lon", "y_field": "lat", "fields": {"name": "title"}})"));
    const LoadResult r = load_dataset(path);
    const Problem* p = find_problem(r.report, "missing_field");
    ASSERT_NE(p, nullptr) << r.report.to_text();
    EXPECT_EQ(p->file, "facilities.csv");
    EXPECT_FALSE(r.dataset);
  }
  {
    const auto path = dir.write("m4.json", "{\"layers\": ");
    const LoadResult r = load_dataset(path);
    ASSERT_NE(find_problem(r.report, "bad_manifest"), nullptr);
  }
}

TEST(Loader, UnknownStreetCodeAndStreetOfAnotherDistrictAreErrors) {
  TempDir dir;
  write_base(dir);
  std::string csv = "id,name,family,type,street_code,lon,lat\n";
  csv += csv_row({"a", "甲", "meal", "meal_point", "310101999", "121.43", "31.22"});
  csv += csv_row({"b", "乙", "meal", "meal_point", "310104100", "121.43", "31.22"});
  csv += csv_row({"c", "丙", "meal", "meal_point", "310101001", "121.43", "31.22"});
  dir.write("f.csv", csv);
  const auto path = dir.write(
      "manifest.json", manifest(R"({"source": "f.csv", "x_field": "lon", "y_field": "lat"})"));
  const LoadResult r = load_dataset(path);
  EXPECT_NE(find_problem(r.report, "unknown_street", "a"), nullptr) << r.report.to_text();
  EXPECT_NE(find_problem(r.report, "street_not_in_district", "b"), nullptr) << r.report.to_text();
  EXPECT_EQ(find_problem(r.report, "street_not_in_district", "c"), nullptr);
  EXPECT_EQ(r.report.error_count(), 2u);
}

TEST(Loader, ReadsAGeoPackageAndAProjectedCrs) {
  TempDir dir;
  write_base(dir);
  // Facilities stored in CGCS2000 / 3-degree GK CM 120E (EPSG:4549) inside a GeoPackage, made
  // with GDAL's own ogr2ogr from a WGS84 GeoJSON.
  dir.write("f.geojson", R"({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"id": "g1", "name": "骨灰堂", "family": "columbarium", "type": "public_columbarium"},
     "geometry": {"type": "Point", "coordinates": [121.48, 31.24]}}]})");
  const std::string cmd = "ogr2ogr -f GPKG -t_srs EPSG:4549 -nln sites " + dir.file("f.gpkg") +
                          " " + dir.file("f.geojson") + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const auto path =
      dir.write("manifest.json", manifest(R"({"source": "f.gpkg", "layer": "sites"})"));
  const LoadResult r = load_dataset(path);
  ASSERT_TRUE(r.dataset) << r.report.to_text();
  const Facility* g = r.dataset->facility("g1");
  ASSERT_NE(g, nullptr);
  EXPECT_LT(haversine_m(g->pos, {121.48, 31.24}), 0.01);
  EXPECT_EQ(g->district_code, "310104");
}

// GDAL's virtual files (/vsimem/, as the loader fuzz target uses, or /vsizip/) pass through the
// manifest unresolved; the loader used to refuse them as "file not found" before GDAL saw them.
TEST(Loader, ReadsGdalVirtualFiles) {
  const std::string text = kDistricts;
  const std::string path = "/vsimem/lifecircle-loader-test/districts.geojson";
  VSILFILE* f =
      VSIFileFromMemBuffer(path.c_str(), reinterpret_cast<GByte*>(const_cast<char*>(text.data())),
                           static_cast<vsi_l_offset>(text.size()), FALSE);
  ASSERT_NE(f, nullptr);
  VSIFCloseL(f);
  TempDir dir;
  const auto manifest_path =
      dir.write("manifest.json", R"({"name": "vsi", "extent": [121.0, 30.9, 122.0, 31.9],
        "layers": {"districts": {"source": ")" +
                                     path + R"("}}})");
  const LoadResult r = load_dataset(manifest_path);
  VSIUnlink(path.c_str());
  ASSERT_TRUE(r.report.ok()) << r.report.to_text();
  ASSERT_EQ(r.dataset->districts().size(), 2u);
  EXPECT_EQ(r.dataset->districts()[1].code, "310104");

  // A virtual path that does not exist is still named as an unreadable file.
  const LoadResult missing = load_dataset(dir.write(
      "missing.json", R"({"layers": {"districts": {"source": "/vsimem/nowhere.geojson"}}})"));
  EXPECT_NE(find_problem(missing.report, "unreadable_file"), nullptr) << missing.report.to_text();
}

// A 1e9 m² floor area or a canteen serving a million meals a day is a slip, not a facility:
// loaded, but reported as a warning naming the feature and field; CSV problems give the line.
TEST(Loader, ImplausibleValuesWarnWithFeatureAndFieldAndCsvProblemsNameTheLine) {
  TempDir dir;
  std::string csv = "id,title,family,type,status,floor_area_m2,meal_capacity_per_day,lon,lat\n";
  csv += csv_row({"big", "大", "meal", "canteen", "open", "1e9", "300", "121.43", "31.22"});
  csv += csv_row({"meals", "餐", "meal", "canteen", "open", "400", "1000000", "121.43", "31.22"});
  csv += csv_row({"ok", "好", "meal", "canteen", "open", "400", "300", "121.43", "31.22"});
  csv += csv_row({"bad", "坏", "meal", "canteen", "open", "lots", "300", "121.43", "31.22"});
  const auto path = write_facilities(dir, csv);
  const LoadResult r = load_dataset(path);
  const Problem* area = find_problem(r.report, "implausible_value", "big");
  ASSERT_NE(area, nullptr) << r.report.to_text();
  EXPECT_EQ(area->severity, Severity::warning);
  EXPECT_EQ(area->field, "floor_area_m2");
  EXPECT_EQ(area->message.rfind("line 2: ", 0), 0u) << area->message;  // header is line 1
  const Problem* meals = find_problem(r.report, "implausible_value", "meals");
  ASSERT_NE(meals, nullptr);
  EXPECT_EQ(meals->field, "meal_capacity_per_day");
  EXPECT_EQ(meals->message.rfind("line 3: ", 0), 0u) << meals->message;
  EXPECT_EQ(find_problem(r.report, "implausible_value", "ok"), nullptr);
  const Problem* bad = find_problem(r.report, "non_numeric", "bad");
  ASSERT_NE(bad, nullptr);
  EXPECT_EQ(bad->message.rfind("line 5: ", 0), 0u) << bad->message;
}

}  // namespace
}  // namespace lifecircle
