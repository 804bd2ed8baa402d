// What every route group shares: the dataset store, the options, and caches of values derived
// from one dataset version (extents, analysis results), dropped when a new version is published.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "http.hpp"
#include "lifecircle/dataset.hpp"
#include "lifecircle/server.hpp"
#include "metrics.hpp"

namespace lifecircle::server {

// Values computed from one Dataset snapshot, keyed by name. An entry is valid only for the
// very Dataset object it was computed from, so a published edit invalidates it without any
// explicit call. Safe for concurrent use; two threads may compute the same value once each.
class DatasetCache {
 public:
  template <class T, class Make>
  std::shared_ptr<const T> get(const std::string& key, const std::shared_ptr<const Dataset>& d,
                               Make make) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = entries_.find(key);
      if (it != entries_.end() && it->second.owner.lock() == d)
        return std::static_pointer_cast<const T>(it->second.value);
    }
    // Computed outside the lock so a slow value does not stall other keys.
    std::shared_ptr<const T> value = std::make_shared<const T>(make(*d));
    std::lock_guard<std::mutex> lock(mu_);
    entries_[key] = Entry{d, value};
    return value;
  }

 private:
  struct Entry {
    std::weak_ptr<const Dataset> owner;
    std::shared_ptr<const void> value;
  };
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

struct ServiceContext {
  std::shared_ptr<DatasetStore> store;
  ServerOptions options;
  DatasetCache cache;
  Metrics metrics;  // filled by the request path in server.cpp, served at /metrics

  // The snapshot one request answers from; 503 when nothing is loaded.
  std::shared_ptr<const Dataset> snapshot() const {
    auto d = store ? store->current() : nullptr;
    if (!d) throw ApiError(ErrorCode::service_unavailable, "no dataset is loaded");
    return d;
  }
};

}  // namespace lifecircle::server
