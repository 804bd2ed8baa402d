// Request counters and latency histograms for `/metrics` (Prometheus text exposition format
// 0.0.4), plus gauges for the dataset being served. The server's request path calls observe()
// once per answered request; everything else here only reads.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

#include "lifecircle/dataset.hpp"

namespace lifecircle::server {

class Router;
struct ServiceContext;

class Metrics {
 public:
  // Upper bounds (seconds) of the latency histogram's buckets; +Inf is implied. They span a
  // cached feature page (sub-millisecond) to a cold citywide analysis (seconds).
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

  // `route` is the matched route pattern (e.g. "/collections/{collectionId}/items"), never the
  // raw path, so the number of series stays bounded whatever URLs clients send; empty when no
  // route matched (404, 405, OPTIONS), reported as "unmatched".
  void observe(std::string_view method, std::string_view route, int status, double seconds);

  // The whole exposition: request counters, the latency histogram, and dataset gauges for `d`
  // (none when null).
  std::string render(const Dataset* d) const;

  // Requests counted so far for one (method, route, status); for tests and logs.
  std::uint64_t count(std::string_view method, std::string_view route, int status) const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size() + 1> buckets{};  // last: +Inf
    double sum = 0;
    std::uint64_t count = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;  // by route
  const std::chrono::system_clock::time_point started_ = std::chrono::system_clock::now();
};

// `/metrics`.
void register_metrics_routes(Router& router, ServiceContext& ctx);

}  // namespace lifecircle::server
