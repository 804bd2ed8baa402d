#include "lifecircle/indicators.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "lifecircle/crs.hpp"
#include "lifecircle/geometry.hpp"

namespace lifecircle {
namespace {

bool contains_str(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Demand sums per unit code at one level.
struct DemandSums {
  double total = 0, aged = 0;
  bool any = false, any_aged = false;
};

std::unordered_map<std::string, DemandSums> demand_by(const Dataset& d, bool street) {
  std::unordered_map<std::string, DemandSums> m;
  for (const auto& c : d.population()) {
    auto& s = m[street ? c.street_code : c.district_code];
    s.any = true;
    s.total += c.population;
    if (c.population_60plus) s.any_aged = true, s.aged += *c.population_60plus;
  }
  return m;
}

Residents residents_of(const AdminUnit& u, const std::unordered_map<std::string, DemandSums>& m) {
  Residents r;
  auto it = m.find(u.code);
  if (u.population) {
    r.total = *u.population;
    r.source = "attribute";
  } else if (it != m.end() && it->second.any) {
    r.total = it->second.total;
    r.source = "demand";
  } else {
    r.source = "none";
  }
  if (u.population_60plus)
    r.aged_60plus = u.population_60plus;
  else if (it != m.end() && it->second.any_aged)
    r.aged_60plus = it->second.aged;
  return r;
}

std::vector<const AdminUnit*> units_for(const Dataset& d, AggregateBy by,
                                        const std::string& district) {
  std::vector<const AdminUnit*> out;
  if (!district.empty() && !d.district(district))
    throw AnalysisError(ErrorCode::unknown_district, "district", "no district '" + district + "'");
  if (by == AggregateBy::city)
    throw AnalysisError(ErrorCode::invalid_parameter, "by", "by must be district or street here");
  const bool street = by == AggregateBy::street;
  for (const auto& u : street ? d.streets_towns() : d.districts()) {
    const std::string& dist = street ? u.parent_code : u.code;
    if (district.empty() || dist == district) out.push_back(&u);
  }
  std::sort(out.begin(), out.end(),
            [](const AdminUnit* a, const AdminUnit* b) { return a->code < b->code; });
  return out;
}

}  // namespace

std::optional<double> Completeness::share_known() const {
  if (counted == 0) return std::nullopt;
  return static_cast<double>(counted - missing) / static_cast<double>(counted);
}

PerThousandResult per_thousand_floor_area(const Dataset& d, const StandardsProfile& profile,
                                          Family family, AggregateBy by,
                                          const std::string& district) {
  PerThousandResult r;
  r.profile_id = profile.id;
  r.family = family;
  const PerThousandRule* rule = profile.per_thousand_rule(family);
  if (rule) {
    r.counted_types = rule->counted_types;
    r.has_target = rule->citywide_target_m2 || !rule->district_targets_m2.empty() ||
                   !rule->class_targets_m2.empty();
    r.note = rule->note;
    r.citations = rule->citations;
  } else {
    for (const auto& t : facility_types())
      if (t.family == family) r.counted_types.emplace_back(t.type);
  }
  const bool street = by == AggregateBy::street;
  const auto units = units_for(d, by, district);
  const auto sums = demand_by(d, street);

  std::unordered_map<std::string, std::size_t> row_of;
  for (const AdminUnit* u : units) {
    PerThousandRow row;
    row.level = street ? "street_town" : "district";
    row.code = u->code;
    row.name = u->name;
    row.parent_code = u->parent_code;
    row.residents = residents_of(*u, sums);
    if (rule) row.target = profile.per_thousand_target(family, street ? u->parent_code : u->code);
    row_of[u->code] = r.rows.size();
    r.rows.push_back(std::move(row));
  }

  // The city row is always citywide: it is the yardstick the rows are compared with.
  r.city.level = "city";
  r.city.code = d.city().code;
  r.city.name = d.city().name;
  r.city.residents.source = "attribute";
  r.city_complete.level = "city_complete";
  r.city_complete.code = r.city.code;
  r.city_complete.name = r.city.name;
  r.city_complete.residents.source = "attribute";
  bool all_aged = !d.districts().empty();
  const auto district_sums = street ? demand_by(d, false) : sums;
  std::unordered_map<std::string, Residents> district_residents;
  for (const auto& u : d.districts()) {
    const Residents res = residents_of(u, district_sums);
    district_residents[u.code] = res;
    r.city.residents.total += res.total;
    if (res.source != "attribute") r.city.residents.source = res.source;
    if (res.aged_60plus)
      r.city.residents.aged_60plus = r.city.residents.aged_60plus.value_or(0) + *res.aged_60plus;
    else
      all_aged = false;
  }
  if (!all_aged) r.city.residents.aged_60plus.reset();
  if (rule) r.city.target = r.city_complete.target = rule->citywide_target_m2;

  std::unordered_map<std::string, PerThousandRow> by_district;  // for the complete city
  for (const auto& f : d.facilities()) {
    if (f.status != Status::open || f.family != family) continue;
    if (!contains_str(r.counted_types, f.type)) continue;
    auto count = [&](PerThousandRow& row) {
      ++row.facilities;
      if (f.floor_area_m2)
        row.floor_area_m2 += *f.floor_area_m2;
      else
        ++row.facilities_without_area;
    };
    count(r.city);
    count(by_district[f.district_code]);
    if (auto it = row_of.find(street ? f.street_code : f.district_code); it != row_of.end())
      count(r.rows[it->second]);
  }
  for (const auto& u : d.districts()) {
    const auto it = by_district.find(u.code);
    if (it != by_district.end() && it->second.area_known().incomplete()) {
      r.incomplete_districts.push_back(u.code);
      continue;
    }
    const Residents& res = district_residents[u.code];
    r.city_complete.residents.total += res.total;
    if (res.source != "attribute") r.city_complete.residents.source = res.source;
    if (res.aged_60plus)
      r.city_complete.residents.aged_60plus =
          r.city_complete.residents.aged_60plus.value_or(0) + *res.aged_60plus;
    if (it == by_district.end()) continue;
    r.city_complete.facilities += it->second.facilities;
    r.city_complete.floor_area_m2 += it->second.floor_area_m2;
  }
  if (!all_aged) r.city_complete.residents.aged_60plus.reset();
  std::sort(r.incomplete_districts.begin(), r.incomplete_districts.end());

  auto finish = [&](PerThousandRow& row) {
    const Completeness known = row.area_known();
    if (row.residents.total > 0 && !known.no_data())
      row.per_thousand = row.floor_area_m2 / (row.residents.total / 1000.0);
    if (row.target && row.per_thousand) {
      if (!known.incomplete()) {
        row.surplus_m2 = row.floor_area_m2 - *row.target * row.residents.total / 1000.0;
        row.meets_target = *row.per_thousand >= *row.target;
      } else if (*row.per_thousand >= *row.target) {
        row.meets_target = true;  // the known part alone meets it
      }
    }
  };
  finish(r.city);
  finish(r.city_complete);
  const auto& yardstick = r.city_complete.per_thousand;
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    PerThousandRow& row = r.rows[i];
    finish(row);
    // Incomplete rows are lower bounds: ranking or comparing them would mislead.
    if (!row.per_thousand || row.area_known().incomplete()) continue;
    order.push_back(i);
    if (yardstick && *yardstick > 0) row.ratio_to_city = *row.per_thousand / *yardstick;
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return *r.rows[a].per_thousand > *r.rows[b].per_thousand;
  });
  for (std::size_t k = 0; k < order.size(); ++k) r.rows[order[k]].rank = static_cast<int>(k + 1);
  return r;
}

MealCapacityResult meal_capacity(const Dataset& d, const StandardsProfile& profile,
                                 const CoverageResult* cov) {
  MealCapacityResult r;
  const MealCapacityRule& rule = profile.meal_capacity;
  r.profile_id = profile.id;
  r.counted_types = rule.counted_types;
  if (r.counted_types.empty())
    for (const auto& t : facility_types())
      if (t.family == Family::meal) r.counted_types.emplace_back(t.type);
  r.city_target_meals_per_day = rule.citywide_target_meals_per_day;
  r.target_year = rule.target_year;
  r.citations = rule.citations;
  const auto rate = rule.target_per_1000_60plus();
  const auto sums = demand_by(d, false);

  std::unordered_map<std::string, std::size_t> row_of;
  for (const AdminUnit* u : units_for(d, AggregateBy::district, {})) {
    MealCapacityRow row;
    row.level = "district";
    row.code = u->code;
    row.name = u->name;
    row.residents_60plus = residents_of(*u, sums).aged_60plus;
    row_of[u->code] = r.rows.size();
    r.rows.push_back(std::move(row));
  }
  r.city.level = "city";
  r.city.code = d.city().code;
  r.city.name = d.city().name;
  r.city_complete.level = "city_complete";
  r.city_complete.code = r.city.code;
  r.city_complete.name = r.city.name;
  for (const auto& row : r.rows) {
    if (!row.residents_60plus) {
      r.city.residents_60plus.reset();
      break;
    }
    r.city.residents_60plus = r.city.residents_60plus.value_or(0) + *row.residents_60plus;
  }
  for (const auto& f : d.facilities()) {
    if (f.status != Status::open || !contains_str(r.counted_types, f.type)) continue;
    auto count = [&](MealCapacityRow& row) {
      ++row.sites;
      if (f.meal_capacity_per_day)
        row.meals_per_day += *f.meal_capacity_per_day;
      else
        ++row.sites_without_capacity;
    };
    count(r.city);
    if (auto it = row_of.find(f.district_code); it != row_of.end()) count(r.rows[it->second]);
  }
  bool all_aged = !r.rows.empty();
  for (const auto& row : r.rows) {
    if (row.capacity_known().incomplete()) {
      r.incomplete_districts.push_back(row.code);
      continue;
    }
    r.city_complete.sites += row.sites;
    r.city_complete.meals_per_day += row.meals_per_day;
    if (row.residents_60plus)
      r.city_complete.residents_60plus =
          r.city_complete.residents_60plus.value_or(0) + *row.residents_60plus;
    else
      all_aged = false;
  }
  if (!all_aged) r.city_complete.residents_60plus.reset();
  if (cov) {
    auto take = [&](MealCapacityRow& row, const UnitCoverage& u) {
      row.coverage_60plus = u.ratio_60plus;
      if (!cov->max_snap_m) return;
      row.residents_60plus_unsnapped = u.residents_60plus_unsnapped;
      row.coverage_60plus_snapped = u.ratio_60plus_snapped;
    };
    for (const auto& u : cov->units)
      if (auto it = row_of.find(u.code); it != row_of.end()) take(r.rows[it->second], u);
    take(r.city, cov->total);
  }
  auto finish = [&](MealCapacityRow& row) {
    const Completeness known = row.capacity_known();
    if (row.residents_60plus && *row.residents_60plus > 0 && !known.no_data())
      row.per_1000_60plus = row.meals_per_day / (*row.residents_60plus / 1000.0);
    row.target_per_1000_60plus = rate;
    if (rate && row.residents_60plus) {
      row.target_meals_per_day = *rate * *row.residents_60plus / 1000.0;
      if (!known.incomplete())
        row.surplus_meals_per_day = row.meals_per_day - *row.target_meals_per_day;
    }
  };
  for (auto& row : r.rows) finish(row);
  finish(r.city);
  finish(r.city_complete);
  return r;
}

ColumbariaResult columbaria(const Dataset& d, const StandardsProfile& profile,
                            const DistanceModel& model, const std::string& district) {
  ColumbariaResult r;
  const ColumbariumRule& rule = profile.columbarium;
  r.profile_id = profile.id;
  r.mode = std::string(model.mode());
  r.detour_factor = profile.detour_factor;
  r.detour_source = profile.detour_source;
  if (d.walking_network()) r.detour_factor_measured = d.walking_network()->measured_detour();
  r.min_per_rural_town = rule.min_per_rural_town;
  r.types = rule.types;
  r.citations = rule.citations;
  if (!district.empty() && !d.district(district))
    throw AnalysisError(ErrorCode::unknown_district, "district", "no district '" + district + "'");

  std::unordered_map<std::string, std::size_t> row_of;
  for (const auto& u : d.streets_towns()) {
    const std::string& kind = rule.kind_of(u.code, u.kind);
    if (!contains_str(rule.rural_kinds, kind)) continue;
    if (!district.empty() && u.parent_code != district) continue;
    RuralTownRow row;
    row.code = u.code;
    row.name = u.name;
    row.district_code = u.parent_code;
    row.kind = kind;
    row_of[u.code] = r.towns.size();
    r.towns.push_back(std::move(row));
  }
  std::vector<std::size_t> sources_idx;
  const auto& fs = d.facilities();
  for (std::size_t i = 0; i < fs.size(); ++i) {
    if (fs[i].status != Status::open || !contains_str(rule.types, fs[i].type)) continue;
    sources_idx.push_back(i);
    if (auto it = row_of.find(fs[i].street_code); it != row_of.end())
      ++r.towns[it->second].columbaria;
  }

  // Population-weighted centre of each town's demand points (metric for distance, lon/lat for
  // display; over a town the two means differ by centimetres).
  struct Acc {
    double w = 0, x = 0, y = 0, lon = 0, lat = 0;
  };
  std::vector<Acc> acc(r.towns.size());
  for (const auto& c : d.population()) {
    auto it = row_of.find(c.street_code);
    if (it == row_of.end() || c.population <= 0) continue;
    Acc& a = acc[it->second];
    a.w += c.population;
    a.x += c.population * c.xy.x;
    a.y += c.population * c.xy.y;
    a.lon += c.population * c.pos.lon;
    a.lat += c.population * c.pos.lat;
  }
  std::vector<XY> centres;
  std::vector<std::size_t> centre_row;
  std::unique_ptr<MetricProjection> proj;
  for (std::size_t k = 0; k < r.towns.size(); ++k) {
    auto& row = r.towns[k];
    row.meets_rule = static_cast<int>(row.columbaria) >= rule.min_per_rural_town;
    r.rural_towns_without += !row.meets_rule;
    const Acc& a = acc[k];
    row.residents = a.w;
    if (a.w > 0) {
      row.centre = LonLat{a.lon / a.w, a.lat / a.w};
      row.centre_source = "population";
      centres.push_back({a.x / a.w, a.y / a.w});
      centre_row.push_back(k);
    } else if (const AdminUnit* u = d.street_town(row.code); u && !u->geometry_xy.empty()) {
      if (!proj) proj = std::make_unique<MetricProjection>(d.info().metric_crs);
      const XY c = centroid_of(u->geometry_xy);
      row.centre = proj->inverse(c);
      row.centre_source = "geometry";
      centres.push_back(c);
      centre_row.push_back(k);
    }
  }
  r.rural_towns = r.towns.size();
  std::vector<XY> sources;
  for (std::size_t i : sources_idx) sources.push_back(fs[i].xy);
  for (std::uint32_t k : model.unplaced(centres)) {
    r.towns[centre_row[k]].centre_unsnapped = true;
    ++r.centres_unsnapped;
  }
  const NearestResult nr = model.nearest(centres, sources, std::numeric_limits<double>::infinity());
  for (std::size_t k = 0; k < centres.size(); ++k) {
    if (nr.source[k] < 0) continue;
    auto& row = r.towns[centre_row[k]];
    const Facility& f = fs[sources_idx[nr.source[k]]];
    row.nearest_m = nr.distance_m[k];
    row.nearest_id = f.id;
    row.nearest_name = f.name;
    row.nearest_district_code = f.district_code;
  }
  return r;
}

}  // namespace lifecircle
