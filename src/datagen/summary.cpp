#include "datagen/summary.hpp"

#include <cstdio>
#include <sstream>

namespace lifecircle::datagen {
namespace {

const char* const kTypes[] = {"comprehensive_center", "doorstep_station",   "canteen",
                              "meal_point",           "public_columbarium", "nursing_home",
                              "small_nursing_home"};

std::size_t get(const std::map<std::string, std::size_t>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}

std::string cell_text(std::size_t open, std::size_t planned) {
  std::string s = std::to_string(open);
  if (planned) s += " (+" + std::to_string(planned) + ")";
  return s;
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

std::string summary_markdown(const BuildSummary& s, std::uint64_t seed, double cell_size_m) {
  std::ostringstream o;
  o << "# Shanghai dataset: generated counts\n\n"
    << "Written by `lifecircle build-data` (seed " << seed << ", population cells "
    << fixed(cell_size_m, 0) << " m). Do not edit: rebuild instead.\n\n"
    << "## Layers (shanghai.gpkg)\n\n| layer | features |\n|---|---:|\n";
  for (const auto& [name, n] : s.layer_counts) o << "| " << name << " | " << n << " |\n";

  o << "\n## Per district\n\n"
    << "Facility columns: open count, `(+n)` planned. Yangpu's eldercare and meal columns are the "
       "real official lists (nursing homes, 长者照护之家, canteens); everything else is "
       "synthetic.\n\n"
    << "| code | district | population 2020 | 60+ (model) | 60+ share | cells | street/town "
       "polygons |"
       " comprehensive_center | doorstep_station | canteen | meal_point | public_columbarium |"
       " nursing_home | small_nursing_home |\n"
    << "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  long long pop = 0, aged = 0;
  std::size_t cells = 0, units = 0;
  std::map<std::string, std::size_t> total;
  for (const auto& d : s.districts) {
    o << "| " << d.code << " | " << d.name << " | " << d.population << " | " << d.population_60plus
      << " | "
      << fixed(100.0 * static_cast<double>(d.population_60plus) / static_cast<double>(d.population),
               1)
      << "% | " << d.cells << " | " << d.units_with_geometry;
    for (const char* t : kTypes) {
      const std::string type(t);
      o << " | " << cell_text(get(d.facilities, type), get(d.facilities, type + " (planned)"));
    }
    o << " |\n";
    pop += d.population;
    aged += d.population_60plus;
    cells += d.cells;
    units += d.units_with_geometry;
    for (const auto& [k, n] : d.facilities) total[k] += n;
  }
  o << "| | **total** | " << pop << " | " << aged << " | "
    << fixed(100.0 * static_cast<double>(aged) / static_cast<double>(pop), 1) << "% | " << cells
    << " | " << units;
  for (const char* t : kTypes) {
    const std::string type(t);
    o << " | " << cell_text(get(total, type), get(total, type + " (planned)"));
  }
  o << " |\n\n## Coordinate conversions (real Yangpu rows)\n\n"
    << "- Eldercare institutions, BD-09 -> WGS84 with lifecircle::bd09_to_wgs84, against the "
       "list's own WGS84 column: mean "
    << fixed(s.bd09_vs_file_wgs84_mean_m, 2) << " m, max " << fixed(s.bd09_vs_file_wgs84_max_m, 2)
    << " m.\n"
    << "- Canteens, GCJ-02 -> WGS84 with lifecircle::gcj02_to_wgs84: moved "
    << fixed(s.canteen_shift_min_m, 0) << "-" << fixed(s.canteen_shift_max_m, 0) << " m.\n";
  return o.str();
}

}  // namespace lifecircle::datagen
