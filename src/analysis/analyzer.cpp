#include "lifecircle/analyzer.hpp"

#include <algorithm>
#include <sstream>

#include "lifecircle/euclidean_distance.hpp"

namespace lifecircle {

std::shared_ptr<const void> ResultCache::get(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->second;
}

void ResultCache::put(const std::string& key, std::shared_ptr<const void> value) {
  std::lock_guard<std::mutex> lock(mu_);
  if (capacity_ == 0) return;
  if (auto it = index_.find(key); it != index_.end()) {
    it->second->second = std::move(value);
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.emplace_front(key, std::move(value));
  index_[key] = lru_.begin();
  while (lru_.size() > capacity_) {
    index_.erase(lru_.back().first);
    lru_.pop_back();
  }
}

std::size_t ResultCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lru_.size();
}
std::size_t ResultCache::hits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return hits_;
}
std::size_t ResultCache::misses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return misses_;
}

std::string IndicatorRequest::cache_key() const {
  std::ostringstream k;
  k << "profile=" << profile << ";" << overrides_key(overrides) << ";by=" << to_string(by)
    << ";district=" << district << ";mode=" << mode;
  return k.str();
}

Analyzer::Analyzer(std::shared_ptr<const Standards> standards, std::size_t cache_entries,
                   const OverrideBounds& bounds)
    : standards_(std::move(standards)), bounds_(bounds), cache_(cache_entries) {
  modes_["euclidean"] = [](const Dataset&, const StandardsProfile& p) {
    return std::make_shared<const EuclideanDistance>(p.detour_factor);
  };
  // The walking network travels with the dataset version; null (so network_unavailable) when
  // the dataset has none.
  modes_["network"] = [](const Dataset& d, const StandardsProfile&) { return d.walking_network(); };
}

std::shared_ptr<Analyzer> make_analyzer(const Dataset& d, const std::string& standards_path,
                                        const OverrideBounds& bounds, std::size_t cache_entries) {
  std::string path = standards_path.empty() ? d.info().standards_path : standards_path;
  if (path.empty()) path = default_standards_path();
  return std::make_shared<Analyzer>(std::make_shared<const Standards>(Standards::load(path)),
                                    cache_entries, bounds);
}

void Analyzer::register_mode(const std::string& mode, ModelFactory factory) {
  std::lock_guard<std::mutex> lock(modes_mu_);
  modes_[mode] = std::move(factory);
}

std::vector<std::string> Analyzer::modes() const {
  std::lock_guard<std::mutex> lock(modes_mu_);
  std::vector<std::string> out;
  for (const auto& [k, v] : modes_) out.push_back(k);
  std::sort(out.begin(), out.end());
  return out;
}

StandardsProfile Analyzer::profile(const std::string& id, const StandardsOverrides& o) const {
  return standards_->resolve(id, o, bounds_);
}

StandardsProfile Analyzer::checked(const Dataset& d, const std::string& id,
                                   const StandardsOverrides& o, const std::string& mode) const {
  StandardsProfile p = profile(d, id, o);
  model(d, p, mode);
  return p;
}

StandardsProfile Analyzer::profile(const Dataset& d, const std::string& id,
                                   const StandardsOverrides& o) const {
  StandardsProfile p = profile(id, o);
  if (p.detour_from_network && !o.detour_factor && d.walking_network())
    if (const auto measured = d.walking_network()->measured_detour()) {
      p.detour_factor = *measured;
      p.detour_source = "measured";
    }
  return p;
}

std::shared_ptr<const DistanceModel> Analyzer::model(const Dataset& d, const StandardsProfile& p,
                                                     const std::string& mode) const {
  ModelFactory f;
  {
    std::lock_guard<std::mutex> lock(modes_mu_);
    if (auto it = modes_.find(mode); it != modes_.end()) f = it->second;
  }
  if (!f && mode != "network")
    throw AnalysisError(ErrorCode::invalid_parameter, "mode",
                        "mode must be euclidean or network, not '" + mode + "'");
  std::shared_ptr<const DistanceModel> m = f ? f(d, p) : nullptr;
  if (!m)
    throw AnalysisError(ErrorCode::network_unavailable, "mode",
                        mode + " not available for this dataset (it has no walking network)");
  return m;
}

template <class T, class F>
std::shared_ptr<const T> Analyzer::cached(const Dataset& d, const std::string& key, F compute) {
  // The dataset's address guards against two datasets that share a version number.
  std::ostringstream full;
  full << static_cast<const void*>(&d) << '|' << d.info().name << '|' << d.version() << '|' << key;
  if (auto hit = cache_.get(full.str())) return std::static_pointer_cast<const T>(hit);
  auto value = std::make_shared<const T>(compute());
  cache_.put(full.str(), value);
  return value;
}

std::shared_ptr<const CoverageResult> Analyzer::coverage(const Dataset& d,
                                                         const CoverageRequest& r) {
  const StandardsProfile p = checked(d, r.profile, r.overrides, r.mode);
  CoverageRequest key = r;
  key.profile = p.id;
  return cached<CoverageResult>(d, "coverage|" + key.cache_key(), [&] {
    const auto m = model(d, p, r.mode);
    CoverageResult c = compute_coverage(d, p, r, *m);
    c.standards_version = standards_->version();
    return c;
  });
}

std::shared_ptr<const GapsResult> Analyzer::gaps(const Dataset& d, const CoverageRequest& r) {
  CoverageRequest counts = r;
  counts.area = false;
  counts.by = AggregateBy::city;
  counts.profile = checked(d, r.profile, r.overrides, r.mode).id;
  return cached<GapsResult>(d, "gaps|" + counts.cache_key(),
                            [&] { return compute_gaps(d, *coverage(d, counts)); });
}

std::shared_ptr<const std::vector<ServiceArea>> Analyzer::service_areas(const Dataset& d,
                                                                        const CoverageRequest& r) {
  CoverageRequest counts = r;
  counts.area = false;
  counts.by = AggregateBy::city;
  counts.profile = checked(d, r.profile, r.overrides, r.mode).id;
  return cached<std::vector<ServiceArea>>(d, "service_areas|" + counts.cache_key(), [&] {
    const auto c = coverage(d, counts);
    return compute_service_areas(d, *c, *model(d, profile(r.profile, r.overrides), r.mode));
  });
}

std::shared_ptr<const OnePlusNResult> Analyzer::one_plus_n(const Dataset& d,
                                                           const IndicatorRequest& r) {
  const StandardsProfile p = checked(d, r.profile, r.overrides, r.mode);
  IndicatorRequest key = r;
  key.profile = p.id;
  return cached<OnePlusNResult>(d, "one_plus_n|" + key.cache_key(), [&] {
    CoverageRequest c;
    c.selection.family = Family::eldercare;
    c.selection.types = p.one_plus_n.center_types;
    c.profile = r.profile;
    c.overrides = r.overrides;
    c.by = AggregateBy::city;
    c.district = r.district;
    c.mode = r.mode;
    c.area = false;
    return lifecircle::one_plus_n(d, p, *coverage(d, c));
  });
}

std::shared_ptr<const PerThousandResult> Analyzer::per_thousand(const Dataset& d, Family f,
                                                                const IndicatorRequest& r) {
  const StandardsProfile p = checked(d, r.profile, r.overrides, r.mode);
  IndicatorRequest key = r;
  key.profile = p.id;
  return cached<PerThousandResult>(
      d, "per_thousand|" + std::string(to_string(f)) + "|" + key.cache_key(),
      [&] { return per_thousand_floor_area(d, p, f, r.by, r.district); });
}

std::shared_ptr<const MealCapacityResult> Analyzer::meal_capacity(const Dataset& d,
                                                                  const IndicatorRequest& r) {
  const StandardsProfile p = checked(d, r.profile, r.overrides, r.mode);
  IndicatorRequest key = r;
  key.profile = p.id;
  return cached<MealCapacityResult>(d, "meal_capacity|" + key.cache_key(), [&] {
    CoverageRequest c;
    c.selection.types = p.meal_capacity.counted_types;
    c.selection.family = Family::meal;
    c.profile = r.profile;
    c.overrides = r.overrides;
    c.by = AggregateBy::district;
    c.mode = r.mode;
    c.area = false;
    return lifecircle::meal_capacity(d, p, coverage(d, c).get());
  });
}

std::shared_ptr<const ColumbariaResult> Analyzer::columbaria(const Dataset& d,
                                                             const IndicatorRequest& r) {
  const StandardsProfile p = checked(d, r.profile, r.overrides, r.mode);
  IndicatorRequest key = r;
  key.profile = p.id;
  return cached<ColumbariaResult>(d, "columbaria|" + key.cache_key(), [&] {
    return lifecircle::columbaria(d, p, *model(d, p, r.mode), r.district);
  });
}

}  // namespace lifecircle
