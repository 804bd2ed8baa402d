// The analysis facade the server and the CLI share: resolves a standards profile with a request's
// overrides, picks the distance model for the request's mode, and caches results per dataset
// version and parameter set. Thread-safe.
#pragma once

#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "lifecircle/coverage.hpp"
#include "lifecircle/dataset.hpp"
#include "lifecircle/indicators.hpp"
#include "lifecircle/standards.hpp"

namespace lifecircle {

// A small least-recently-used map from a text key to an immutable result.
class ResultCache {
 public:
  explicit ResultCache(std::size_t capacity) : capacity_(capacity) {}
  std::shared_ptr<const void> get(const std::string& key);
  void put(const std::string& key, std::shared_ptr<const void> value);
  std::size_t size() const;
  std::size_t hits() const;
  std::size_t misses() const;

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const void>>;
  mutable std::mutex mu_;
  std::size_t capacity_;
  std::list<Entry> lru_;  // most recent first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::size_t hits_ = 0, misses_ = 0;
};

// Parameters shared by the indicator calls.
struct IndicatorRequest {
  std::string profile;
  StandardsOverrides overrides;
  AggregateBy by = AggregateBy::district;
  std::string district;
  std::string mode = "euclidean";
  std::string cache_key() const;
};

class Analyzer;
// The Analyzer a dataset is analysed with: the standards table the dataset names (or
// `standards_path` when given), euclidean mode, and network mode when the dataset carries a
// walking network. Throws StandardsError when the table cannot be read.
// `bounds` limit the overrides every call accepts (the service's configuration).
std::shared_ptr<Analyzer> make_analyzer(const Dataset& d, const std::string& standards_path = "",
                                        const OverrideBounds& bounds = {},
                                        std::size_t cache_entries = 128);

class Analyzer {
 public:
  // Builds the model for a mode, given the dataset and the resolved profile. Returns null when
  // the mode cannot serve this dataset (e.g. no walking network was loaded).
  using ModelFactory =
      std::function<std::shared_ptr<const DistanceModel>(const Dataset&, const StandardsProfile&)>;

  // `euclidean` and `network` (the dataset's walking network, when it has one) are registered
  // from the start.
  explicit Analyzer(std::shared_ptr<const Standards> standards, std::size_t cache_entries = 128,
                    const OverrideBounds& bounds = {});

  const Standards& standards() const { return *standards_; }
  const OverrideBounds& override_bounds() const { return bounds_; }
  // Adds (or replaces) a mode, e.g. "network" once a walking network is available.
  void register_mode(const std::string& mode, ModelFactory factory);
  std::vector<std::string> modes() const;

  // Every call below checks the request (profile, overrides within the bounds, mode) before it
  // looks in the cache, and keys the cache on the validated request with the profile resolved.
  // Throws AnalysisError: unknown_profile, invalid_parameter, network_unavailable...
  StandardsProfile profile(const std::string& id, const StandardsOverrides& o) const;
  // The same, for a dataset: a profile that takes its detour from the network gets the
  // dataset's measured factor (unless the request overrides it).
  StandardsProfile profile(const Dataset& d, const std::string& id,
                           const StandardsOverrides& o) const;
  std::shared_ptr<const DistanceModel> model(const Dataset& d, const StandardsProfile& p,
                                             const std::string& mode) const;

  std::shared_ptr<const CoverageResult> coverage(const Dataset& d, const CoverageRequest& r);
  std::shared_ptr<const GapsResult> gaps(const Dataset& d, const CoverageRequest& r);
  std::shared_ptr<const std::vector<ServiceArea>> service_areas(const Dataset& d,
                                                                const CoverageRequest& r);
  // "1+N" with the profile's center types (request.selection is ignored).
  std::shared_ptr<const OnePlusNResult> one_plus_n(const Dataset& d, const IndicatorRequest& r);
  std::shared_ptr<const PerThousandResult> per_thousand(const Dataset& d, Family f,
                                                        const IndicatorRequest& r);
  std::shared_ptr<const MealCapacityResult> meal_capacity(const Dataset& d,
                                                          const IndicatorRequest& r);
  std::shared_ptr<const ColumbariaResult> columbaria(const Dataset& d, const IndicatorRequest& r);

  const ResultCache& cache() const { return cache_; }

 private:
  template <class T, class F>
  std::shared_ptr<const T> cached(const Dataset& d, const std::string& key, F compute);

  // The profile a request resolves to (validating its overrides and mode), and its id.
  StandardsProfile checked(const Dataset& d, const std::string& profile,
                           const StandardsOverrides& o, const std::string& mode) const;

  std::shared_ptr<const Standards> standards_;
  OverrideBounds bounds_;
  mutable std::mutex modes_mu_;
  std::unordered_map<std::string, ModelFactory> modes_;
  ResultCache cache_;
};

}  // namespace lifecircle
