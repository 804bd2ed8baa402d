// What-if scenarios: a modified copy of the dataset, and coverage and per-thousand indicators
// computed on both with the same profile and distance model.
#include <cstdio>
#include <unordered_map>

#include "lifecircle/coverage.hpp"
#include "lifecircle/crs.hpp"
#include "lifecircle/indicators.hpp"
#include "lifecircle/planning.hpp"

namespace lifecircle::planning {
namespace {

using nlohmann::json;

std::string kind_name(ScenarioChange::Kind k) {
  switch (k) {
    case ScenarioChange::Kind::add:
      return "add";
    case ScenarioChange::Kind::remove:
      return "remove";
    case ScenarioChange::Kind::move:
      return "move";
    case ScenarioChange::Kind::change:
      return "change";
  }
  return "";
}

json opt(const std::optional<double>& v) { return v ? json(*v) : json(); }
json delta(const std::optional<double>& a, const std::optional<double>& b) {
  return a && b ? json(*b - *a) : json();
}

json coverage_row(const UnitCoverage& b, const UnitCoverage& a) {
  return {{"level", b.level},
          {"code", b.code},
          {"name", b.name},
          {"residents", b.residents},
          {"residents_60plus", b.residents_60plus},
          {"facilities_before", b.facilities},
          {"facilities_after", a.facilities},
          {"covered_before", b.covered},
          {"covered_after", a.covered},
          {"covered_delta", a.covered - b.covered},
          {"covered_60plus_before", b.covered_60plus},
          {"covered_60plus_after", a.covered_60plus},
          {"covered_60plus_delta", a.covered_60plus - b.covered_60plus},
          {"ratio_before", opt(b.ratio)},
          {"ratio_after", opt(a.ratio)},
          {"ratio_delta", delta(b.ratio, a.ratio)},
          {"ratio_60plus_before", opt(b.ratio_60plus)},
          {"ratio_60plus_after", opt(a.ratio_60plus)},
          {"ratio_60plus_delta", delta(b.ratio_60plus, a.ratio_60plus)}};
}

json per_thousand_row(const PerThousandRow& b, const PerThousandRow& a) {
  return {{"level", b.level},
          {"code", b.code},
          {"name", b.name},
          {"residents", b.residents.total},
          {"facilities_before", b.facilities},
          {"facilities_after", a.facilities},
          {"floor_area_m2_before", b.floor_area_m2},
          {"floor_area_m2_after", a.floor_area_m2},
          {"floor_area_m2_delta", a.floor_area_m2 - b.floor_area_m2},
          {"per_thousand_before", opt(b.per_thousand)},
          {"per_thousand_after", opt(a.per_thousand)},
          {"per_thousand_delta", delta(b.per_thousand, a.per_thousand)},
          {"target", opt(b.target)},
          {"meets_target_before", b.meets_target ? json(*b.meets_target) : json()},
          {"meets_target_after", a.meets_target ? json(*a.meets_target) : json()}};
}

const PerThousandRow* find_row(const std::vector<PerThousandRow>& rows, const std::string& code) {
  for (const auto& r : rows)
    if (r.code == code) return &r;
  return nullptr;
}

std::uint64_t fnv1a(const std::string& s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace

std::shared_ptr<const Dataset> apply_changes(const Dataset& d,
                                             const std::vector<ScenarioChange>& changes) {
  DatasetContent c = d.content();
  auto& fs = c.facilities;
  std::unordered_map<std::string, std::size_t> at;
  for (std::size_t i = 0; i < fs.size(); ++i) at.emplace(fs[i].id, i);
  std::vector<std::uint8_t> removed(fs.size(), 0);
  const MetricProjection proj(c.info.metric_crs);
  // District and street/town from the polygons, so a moved facility counts where it now is.
  auto place = [&](Facility& f, bool keep_given) {
    f.xy = proj.forward(f.pos);
    if (!keep_given || f.district_code.empty()) {
      const AdminUnit* u = d.district_at(f.pos);
      f.district_code = u ? u->code : "";
    }
    if (!keep_given || f.street_code.empty()) {
      const AdminUnit* u = d.street_town_at(f.pos);
      f.street_code = u ? u->code : "";
    }
  };

  for (std::size_t n = 0; n < changes.size(); ++n) {
    const ScenarioChange& ch = changes[n];
    const std::string field = "changes[" + std::to_string(n) + "].id";
    if (ch.kind == ScenarioChange::Kind::add) {
      auto it = at.find(ch.id);
      if (it != at.end() && !removed[it->second])
        throw PlanningError(ErrorCode::duplicate_facility, field,
                            "a facility with id '" + ch.id + "' already exists");
      Facility f = ch.facility;
      f.id = ch.id;
      place(f, true);
      at[f.id] = fs.size();
      fs.push_back(std::move(f));
      removed.push_back(0);
      continue;
    }
    auto it = at.find(ch.id);
    if (it == at.end() || removed[it->second])
      throw PlanningError(ErrorCode::unknown_facility, field,
                          "no facility with id '" + ch.id + "'");
    Facility& f = fs[it->second];
    switch (ch.kind) {
      case ScenarioChange::Kind::remove:
        removed[it->second] = 1;
        break;
      case ScenarioChange::Kind::move:
        f.pos = *ch.pos;
        place(f, false);
        break;
      case ScenarioChange::Kind::change:
        if (ch.floor_area_m2) f.floor_area_m2 = ch.floor_area_m2;
        if (ch.meal_capacity_per_day) f.meal_capacity_per_day = ch.meal_capacity_per_day;
        if (ch.beds) f.beds = ch.beds;
        if (ch.status) f.status = *ch.status;
        break;
      case ScenarioChange::Kind::add:
        break;
    }
  }
  std::vector<Facility> kept;
  kept.reserve(fs.size());
  for (std::size_t i = 0; i < fs.size(); ++i)
    if (!removed[i]) kept.push_back(std::move(fs[i]));
  fs = std::move(kept);
  return std::make_shared<const Dataset>(std::move(c));
}

json run_scenario(const Dataset& d, const Analyzer& analyzer, const ScenarioRequest& req) {
  if (!req.district.empty() && !d.district(req.district))
    throw PlanningError(ErrorCode::unknown_district, "district",
                        "no district '" + req.district + "'");
  const std::shared_ptr<const Dataset> after = apply_changes(d, req.changes);
  const StandardsProfile profile = analyzer.profile(req.profile, req.overrides);
  // The model is asked for each dataset: a walking network is the same for both, but a model
  // may depend on its dataset.
  const auto model_before = analyzer.model(d, profile, req.mode);
  const auto model_after = analyzer.model(*after, profile, req.mode);

  // Selections: the one asked for, or every family with all its types.
  std::vector<FacilitySelection> selections;
  if (req.family || !req.types.empty()) {
    FacilitySelection s;
    s.family = req.family;
    s.types = req.types;
    selections.push_back(s);
  } else {
    for (Family f : {Family::eldercare, Family::meal, Family::columbarium}) {
      FacilitySelection s;
      s.family = f;
      selections.push_back(s);
    }
  }

  json coverage = json::array();
  std::vector<Family> families;
  for (const FacilitySelection& s : selections) {
    CoverageRequest cr;
    cr.selection = s;
    cr.profile = req.profile;
    cr.overrides = req.overrides;
    cr.by = AggregateBy::district;
    cr.district = req.district;
    cr.mode = req.mode;
    cr.area = false;
    // Direct calls, not the Analyzer's cache: the scenario's dataset is a temporary.
    const CoverageResult b = compute_coverage(d, profile, cr, *model_before);
    const CoverageResult a = compute_coverage(*after, profile, cr, *model_after);
    std::vector<std::string> types;
    for (const auto& t : b.thresholds) {
      types.push_back(t.type);
      const Family fam = find_facility_type(t.type)->family;
      if (std::find(families.begin(), families.end(), fam) == families.end())
        families.push_back(fam);
    }
    json units = json::array();
    for (std::size_t i = 0; i < b.units.size() && i < a.units.size(); ++i)
      units.push_back(coverage_row(b.units[i], a.units[i]));
    json thresholds = json::array();
    for (const auto& t : b.thresholds)
      thresholds.push_back({{"type", t.type}, {"walk_m", t.walk_m}, {"minutes", t.minutes}});
    coverage.push_back({{"family", s.family ? json(std::string(to_string(*s.family))) : json()},
                        {"types", types},
                        {"thresholds", thresholds},
                        {"city", coverage_row(b.total, a.total)},
                        {"districts", units}});
  }

  json per_thousand = json::array();
  for (Family f : families) {
    const PerThousandResult b =
        per_thousand_floor_area(d, profile, f, AggregateBy::district, req.district);
    const PerThousandResult a =
        per_thousand_floor_area(*after, profile, f, AggregateBy::district, req.district);
    json rows = json::array();
    for (const auto& rb : b.rows)
      if (const PerThousandRow* ra = find_row(a.rows, rb.code))
        rows.push_back(per_thousand_row(rb, *ra));
    per_thousand.push_back({{"family", std::string(to_string(f))},
                            {"counted_types", b.counted_types},
                            {"city", per_thousand_row(b.city, a.city)},
                            {"districts", rows}});
  }

  json applied = json::array();
  for (const ScenarioChange& ch : req.changes) {
    json c = {{"op", kind_name(ch.kind)}, {"id", ch.id}};
    if (const Facility* f = after->facility(ch.id)) {
      c["type"] = f->type;
      c["lon"] = f->pos.lon;
      c["lat"] = f->pos.lat;
      c["district_code"] = f->district_code;
      c["street_code"] = f->street_code;
      c["status"] = std::string(to_string(f->status));
      c["floor_area_m2"] = opt(f->floor_area_m2);
      c["meal_capacity_per_day"] = opt(f->meal_capacity_per_day);
    }
    applied.push_back(std::move(c));
  }

  return {{"dataset", {{"name", d.info().name}, {"version", d.version()}}},
          {"profile", profile.id},
          {"standards_version", analyzer.standards().version()},
          {"mode", std::string(model_before->mode())},
          {"district", req.district.empty() ? json() : json(req.district)},
          {"changes", applied},
          {"facilities_before", d.facilities().size()},
          {"facilities_after", after->facilities().size()},
          {"coverage", coverage},
          {"per_thousand", per_thousand}};
}

std::string scenario_id(const Dataset& d, const nlohmann::json& canonical_body) {
  // nlohmann::json keeps object members sorted, so member order and spacing do not matter.
  const std::string text =
      d.info().name + "\n" + std::to_string(d.version()) + "\n" + canonical_body.dump();
  char buf[24];
  std::snprintf(buf, sizeof buf, "s%016llx", static_cast<unsigned long long>(fnv1a(text)));
  return buf;
}

void ScenarioStore::put(const std::string& id, const std::string& dataset_name,
                        std::uint64_t version, std::shared_ptr<const nlohmann::json> result) {
  std::lock_guard<std::mutex> lock(mu_);
  if (capacity_ == 0) return;
  if (auto it = index_.find(id); it != index_.end()) {
    lru_.erase(it->second);
    index_.erase(it);
  }
  lru_.push_front(Entry{id, dataset_name, version, std::move(result)});
  index_[id] = lru_.begin();
  while (lru_.size() > capacity_) {
    index_.erase(lru_.back().id);
    lru_.pop_back();
  }
}

std::shared_ptr<const nlohmann::json> ScenarioStore::get(const std::string& id,
                                                         const Dataset& current) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(id);
  if (it == index_.end()) return nullptr;
  const Entry& e = *it->second;
  if (e.dataset_name != current.info().name || e.version != current.version()) {
    // Computed on a version that is no longer current: gone for good.
    lru_.erase(it->second);
    index_.erase(it);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  return e.result;
}

std::size_t ScenarioStore::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lru_.size();
}

}  // namespace lifecircle::planning
