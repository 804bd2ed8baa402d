// The immutable, indexed, versioned in-memory dataset and the store that swaps versions.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lifecircle/distance.hpp"
#include "lifecircle/types.hpp"

namespace lifecircle {

struct DatasetInfo {
  std::string name;
  std::string title;
  std::string manifest_path;
  std::string metric_crs = "EPSG:32651";
  std::string standards_path;
  BBox extent;                // lon/lat extent the manifest declares
  std::uint64_t version = 0;  // increases with every published edit
  std::string loaded_at;      // ISO 8601 UTC
  double load_seconds = 0;
};

// Everything a dataset holds, as plain values. Build one, then freeze it into a Dataset.
struct DatasetContent {
  DatasetInfo info;
  // The city the districts make up (上海市, 310000). Left empty, the Dataset derives the code
  // from the districts' common province prefix and takes the name from the title.
  AdminUnit city;
  std::vector<AdminUnit> districts;
  std::vector<AdminUnit> streets_towns;
  std::vector<AdminUnit> committees;
  std::vector<Facility> facilities;
  std::vector<PopulationCell> population;
  std::vector<PlanIndicator> plan_indicators;
  // The walking network of the manifest's `network` layer, when it has one: part of the
  // version, so coverage in network mode never mixes a network with another version's data.
  std::shared_ptr<const DistanceModel> walking_network;
};

// Read-only after construction, so any number of threads may query it without locks.
// Registry edits make a new Dataset (with a higher version) and publish it through
// DatasetStore; readers holding the old shared_ptr finish on the old version.
class Dataset {
 public:
  explicit Dataset(DatasetContent content);
  ~Dataset();
  Dataset(const Dataset&) = delete;
  Dataset& operator=(const Dataset&) = delete;

  const DatasetInfo& info() const { return c_.info; }
  // The city as an administrative unit: level city, its code and name, residents summed over
  // the districts (when every district has them) and the districts' total area.
  const AdminUnit& city() const { return c_.city; }
  std::uint64_t version() const { return c_.info.version; }
  const std::vector<AdminUnit>& districts() const { return c_.districts; }
  const std::vector<AdminUnit>& streets_towns() const { return c_.streets_towns; }
  const std::vector<AdminUnit>& committees() const { return c_.committees; }
  const std::vector<Facility>& facilities() const { return c_.facilities; }
  const std::vector<PopulationCell>& population() const { return c_.population; }
  const std::vector<PlanIndicator>& plan_indicators() const { return c_.plan_indicators; }
  const DatasetContent& content() const { return c_; }
  // Null when the dataset has no walking network.
  const std::shared_ptr<const DistanceModel>& walking_network() const { return c_.walking_network; }

  // Look-ups by code / id; nullptr when absent.
  const AdminUnit* district(std::string_view code) const;
  const AdminUnit* street_town(std::string_view code) const;
  const AdminUnit* committee(std::string_view code) const;
  const Facility* facility(std::string_view id) const;

  // R-tree queries in lon/lat; indices into facilities() / population(), ascending.
  std::vector<std::size_t> facilities_in(const BBox& lonlat) const;
  std::vector<std::size_t> population_in(const BBox& lonlat) const;
  // The district whose polygon contains the point; nullptr when none does.
  const AdminUnit* district_at(LonLat p) const;
  // The street/town whose polygon contains the point (only units that have geometry).
  const AdminUnit* street_town_at(LonLat p) const;

 private:
  DatasetContent c_;
  struct Index;
  std::unique_ptr<Index> index_;
};

// Holds the current version. Readers take a snapshot (a shared_ptr copy) and never block
// writers; a writer publishes a complete new Dataset in one atomic step.
class DatasetStore {
 public:
  explicit DatasetStore(std::shared_ptr<const Dataset> initial = nullptr)
      : current_(std::move(initial)) {}
  std::shared_ptr<const Dataset> current() const { return std::atomic_load(&current_); }
  void publish(std::shared_ptr<const Dataset> next) {
    std::atomic_store(&current_, std::move(next));
  }

 private:
  std::shared_ptr<const Dataset> current_;
};

}  // namespace lifecircle
