// Builds the shipped Shanghai dataset (gis-data/shanghai/) from the real inputs in
// gis-data/sources/: real layers converted to WGS84, plus clearly labelled synthetic layers
// (street/town polygons, population cells, citywide facilities) where no real data exists.
// The same inputs and seed always give byte-identical output files.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace lifecircle::datagen {

class BuildError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct BuildOptions {
  std::string sources_dir;  // the directory holding the copied real inputs
  std::string out_dir;      // receives shanghai.gpkg, manifest.json and summary.md
  std::uint64_t seed = 20260101;
  double cell_size_m = 500;  // population cell edge in EPSG:32651
};

// The shipped layout: <repo>/gis-data/sources and <repo>/gis-data/shanghai, found from the
// shipped manifest path.
std::string default_sources_dir();
std::string default_output_dir();

struct DistrictSummary {
  std::string code;
  std::string name;
  long long population = 0;
  long long population_60plus = 0;
  std::size_t cells = 0;
  std::size_t units_with_geometry = 0;  // official 街道/镇/乡 with a synthetic polygon
  // Facility counts for this district, real + synthetic: open ones under their type (e.g.
  // "comprehensive_center"), others under "<type> (planned)" / "<type> (closed)".
  std::map<std::string, std::size_t> facilities;
};

struct BuildSummary {
  std::string gpkg_path;
  std::string manifest_path;
  std::string summary_path;
  std::map<std::string, std::size_t> layer_counts;  // GPKG layer -> feature count
  std::vector<DistrictSummary> districts;           // by district code
  // BD-09 -> WGS84 (lifecircle::bd09_to_wgs84) against the WGS84 column shipped with the
  // Yangpu eldercare list, in metres.
  double bd09_vs_file_wgs84_mean_m = 0;
  double bd09_vs_file_wgs84_max_m = 0;
  // How far the GCJ-02 -> WGS84 conversion moved the Yangpu canteens, in metres.
  double canteen_shift_min_m = 0;
  double canteen_shift_max_m = 0;
  double seconds = 0;
};

// Reads options.sources_dir, writes options.out_dir. Throws BuildError naming the file and
// row of a bad input.
BuildSummary build_shanghai(const BuildOptions& options);

}  // namespace lifecircle::datagen
