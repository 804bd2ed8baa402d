// JSON, GeoJSON and CSV renderings of the analysis results, shared by the CLI and the server so
// both print the same numbers under the same names. Absent values are JSON null / empty CSV cells.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lifecircle/coverage.hpp"
#include "lifecircle/crs.hpp"
#include "lifecircle/dataset.hpp"
#include "lifecircle/indicators.hpp"
#include "lifecircle/standards.hpp"

namespace lifecircle {

void to_json(nlohmann::json& j, const TypeThreshold& t);
void to_json(nlohmann::json& j, const UnitCoverage& u);
// Summary, thresholds, units and total; the per-point arrays are left out (see gaps).
void to_json(nlohmann::json& j, const CoverageResult& c);
void to_json(nlohmann::json& j, const OnePlusNUnit& u);
void to_json(nlohmann::json& j, const OnePlusNResult& r);
void to_json(nlohmann::json& j, const GapsResult& g);
void to_json(nlohmann::json& j, const ServiceArea& s);
void to_json(nlohmann::json& j, const PerThousandRow& r);
void to_json(nlohmann::json& j, const PerThousandResult& r);
void to_json(nlohmann::json& j, const MealCapacityRow& r);
void to_json(nlohmann::json& j, const MealCapacityResult& r);
void to_json(nlohmann::json& j, const RuralTownRow& r);
void to_json(nlohmann::json& j, const ColumbariaResult& r);
void to_json(nlohmann::json& j, const StandardsProfile& p);

// A GeoJSON geometry object for a WGS84 multipolygon (null when empty).
nlohmann::json geojson_geometry(const MultiPolygon& mp);
// One feature per unit with its polygon (null geometry where the unit has none) and the
// metrics as properties: ready for a choropleth.
nlohmann::json coverage_geojson(const Dataset& d, const CoverageResult& c);
// Uncovered populated points, and the dissolved uncovered area as one feature (kind "area").
nlohmann::json gaps_geojson(const GapsResult& g);
nlohmann::json service_areas_geojson(const std::vector<ServiceArea>& s);
nlohmann::json per_thousand_geojson(const Dataset& d, const PerThousandResult& r);
nlohmann::json meal_capacity_geojson(const Dataset& d, const MealCapacityResult& r);
// Rural towns on their polygons (at their population-weighted centre where they have none).
nlohmann::json columbaria_geojson(const Dataset& d, const ColumbariaResult& r);
nlohmann::json one_plus_n_geojson(const Dataset& d, const OnePlusNResult& r);

// A GeoJSON feature collection as CSV for spreadsheets: `id`, every property (in first-seen
// order; nested values as JSON text), and `lon`, `lat` for point features. Polygons are left out
// (a spreadsheet cannot use them); the GeoJSON answer keeps them.
std::string features_csv(const nlohmann::json& collection);

// Moves every coordinate of a GeoJSON object (a feature collection from the functions above)
// from WGS84 into `datum`, for base maps in GCJ-02 (AMap) or BD-09 (Baidu). WGS84 is a no-op.
void to_output_datum(nlohmann::json& geojson, OutputDatum datum);

// CSV with a header row; one row per unit plus the city/total row last.
std::string coverage_csv(const CoverageResult& c);
std::string gaps_csv(const GapsResult& g);
std::string per_thousand_csv(const PerThousandResult& r);
std::string meal_capacity_csv(const MealCapacityResult& r);
std::string columbaria_csv(const ColumbariaResult& r);
std::string one_plus_n_csv(const OnePlusNResult& r);
std::string service_areas_csv(const std::vector<ServiceArea>& s);

}  // namespace lifecircle
