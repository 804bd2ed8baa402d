#include "lifecircle/dataset.hpp"

#include <boost/geometry.hpp>

#include <algorithm>

#include "lifecircle/geometry.hpp"

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace lifecircle {
namespace {

using BPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BBox2 = bg::model::box<BPoint>;
using PointEntry = std::pair<BPoint, std::size_t>;
using BoxEntry = std::pair<BBox2, std::size_t>;
// Lon/lat treated as planar for bbox filtering only; exact tests run on the polygons.
using PointTree = bgi::rtree<PointEntry, bgi::rstar<16>>;
using BoxTree = bgi::rtree<BoxEntry, bgi::rstar<16>>;

template <class T, class F>
PointTree point_tree(const std::vector<T>& items, F pos) {
  std::vector<PointEntry> entries;
  entries.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const LonLat p = pos(items[i]);
    entries.emplace_back(BPoint(p.lon, p.lat), i);
  }
  return PointTree(entries.begin(), entries.end());  // packing (bulk) load
}

BoxTree box_tree(const std::vector<AdminUnit>& units) {
  std::vector<BoxEntry> entries;
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (units[i].geometry.empty()) continue;
    const BBox b = bbox_of(units[i].geometry);
    entries.emplace_back(BBox2(BPoint(b.min_x, b.min_y), BPoint(b.max_x, b.max_y)), i);
  }
  return BoxTree(entries.begin(), entries.end());
}

std::vector<std::size_t> query(const PointTree& t, const BBox& b) {
  std::vector<PointEntry> hits;
  t.query(bgi::intersects(BBox2(BPoint(b.min_x, b.min_y), BPoint(b.max_x, b.max_y))),
          std::back_inserter(hits));
  std::vector<std::size_t> out;
  out.reserve(hits.size());
  for (const auto& h : hits) out.push_back(h.second);
  std::sort(out.begin(), out.end());
  return out;
}

const AdminUnit* unit_at(const BoxTree& t, const std::vector<AdminUnit>& units, LonLat p) {
  std::vector<BoxEntry> hits;
  t.query(bgi::intersects(BPoint(p.lon, p.lat)), std::back_inserter(hits));
  // Deterministic when polygons touch: the lowest index wins.
  std::sort(hits.begin(), hits.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  for (const auto& h : hits)
    if (contains(units[h.second].geometry, p)) return &units[h.second];
  return nullptr;
}

template <class T, class K>
std::unordered_map<std::string_view, std::size_t> by_key(const std::vector<T>& items, K key) {
  std::unordered_map<std::string_view, std::size_t> m;
  m.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) m.emplace(key(items[i]), i);
  return m;
}

template <class T>
const T* find(const std::unordered_map<std::string_view, std::size_t>& m, const std::vector<T>& v,
              std::string_view k) {
  auto it = m.find(k);
  return it == m.end() ? nullptr : &v[it->second];
}

// Chinese division codes: the first two digits are the province-level unit (31 = Shanghai).
std::string province_code(const std::vector<AdminUnit>& districts) {
  if (districts.empty() || districts.front().code.size() < 2) return {};
  const std::string prefix = districts.front().code.substr(0, 2);
  for (const auto& d : districts)
    if (d.code.compare(0, 2, prefix) != 0) return {};
  return prefix + "0000";
}

void complete_city(DatasetContent& c) {
  AdminUnit& city = c.city;
  city.level = UnitLevel::city;
  if (city.code.empty()) city.code = province_code(c.districts);
  if (city.name.empty()) city.name = c.info.title.empty() ? c.info.name : c.info.title;
  bool all_pop = !c.districts.empty(), all_aged = all_pop, all_land = all_pop;
  double pop = 0, aged = 0, area = 0, land = 0;
  for (const auto& d : c.districts) {
    all_land = all_land && d.land_area_m2.has_value();
    land += d.land_area_m2.value_or(0);
    all_pop = all_pop && d.population.has_value();
    all_aged = all_aged && d.population_60plus.has_value();
    pop += d.population.value_or(0);
    aged += d.population_60plus.value_or(0);
    area += d.area_m2;
  }
  if (!city.population && all_pop) city.population = pop;
  if (!city.population_60plus && all_aged) city.population_60plus = aged;
  if (city.area_m2 == 0) city.area_m2 = area;
  if (!city.land_area_m2 && all_land) city.land_area_m2 = land;
}

}  // namespace

struct Dataset::Index {
  PointTree facilities;
  PointTree population;
  BoxTree districts;
  BoxTree streets_towns;
  std::unordered_map<std::string_view, std::size_t> district_by_code, street_by_code,
      committee_by_code, facility_by_id;
};

Dataset::Dataset(DatasetContent content)
    : c_(std::move(content)), index_(std::make_unique<Index>()) {
  complete_city(c_);
  auto code = [](const AdminUnit& u) -> std::string_view { return u.code; };
  index_->facilities = point_tree(c_.facilities, [](const Facility& f) { return f.pos; });
  index_->population = point_tree(c_.population, [](const PopulationCell& p) { return p.pos; });
  index_->districts = box_tree(c_.districts);
  index_->streets_towns = box_tree(c_.streets_towns);
  index_->district_by_code = by_key(c_.districts, code);
  index_->street_by_code = by_key(c_.streets_towns, code);
  index_->committee_by_code = by_key(c_.committees, code);
  index_->facility_by_id =
      by_key(c_.facilities, [](const Facility& f) -> std::string_view { return f.id; });
}

Dataset::~Dataset() = default;

const AdminUnit* Dataset::district(std::string_view code) const {
  return find(index_->district_by_code, c_.districts, code);
}
const AdminUnit* Dataset::street_town(std::string_view code) const {
  return find(index_->street_by_code, c_.streets_towns, code);
}
const AdminUnit* Dataset::committee(std::string_view code) const {
  return find(index_->committee_by_code, c_.committees, code);
}
const Facility* Dataset::facility(std::string_view id) const {
  return find(index_->facility_by_id, c_.facilities, id);
}

std::vector<std::size_t> Dataset::facilities_in(const BBox& b) const {
  return query(index_->facilities, b);
}
std::vector<std::size_t> Dataset::population_in(const BBox& b) const {
  return query(index_->population, b);
}
const AdminUnit* Dataset::district_at(LonLat p) const {
  return unit_at(index_->districts, c_.districts, p);
}
const AdminUnit* Dataset::street_town_at(LonLat p) const {
  return unit_at(index_->streets_towns, c_.streets_towns, p);
}

}  // namespace lifecircle
