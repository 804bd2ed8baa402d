#include "metrics.hpp"

#include <cstdio>
#include <ctime>
#include <sstream>

#include "collections.hpp"
#include "context.hpp"
#include "params.hpp"
#include "router.hpp"

namespace lifecircle::server {

namespace {

constexpr std::string_view kUnmatched = "unmatched";
constexpr std::string_view kExposition = "text/plain; version=0.0.4; charset=utf-8";

// Label values may carry any text (a dataset title); the format escapes \, " and newline.
std::string label(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

// Shortest text that reads back as the same double: Prometheus parses Go floats.
std::string number(double v) {
  char buf[32];
  double back = 0;
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::sscanf(buf, "%lf", &back) == 1 && back == v) break;
  }
  return buf;
}

// "2024-05-01T08:00:00Z" as Unix seconds; nullopt when it does not parse.
std::optional<double> unix_seconds(const std::string& iso) {
  std::tm tm{};
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  double s = 0;
  if (std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%lf", &y, &mo, &d, &h, &mi, &s) != 6)
    return std::nullopt;
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  const std::time_t t = timegm(&tm);
  return static_cast<double>(t) + s;
}

void help(std::ostringstream& o, std::string_view name, std::string_view type,
          std::string_view text) {
  o << "# HELP " << name << ' ' << text << "\n# TYPE " << name << ' ' << type << '\n';
}

}  // namespace

void Metrics::observe(std::string_view method, std::string_view route, int status, double seconds) {
  const std::string r(route.empty() ? kUnmatched : route);
  std::size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{std::string(method), r, status}];
  Histogram& h = latency_[r];
  ++h.buckets[bucket];
  h.sum += seconds;
  ++h.count;
}

std::uint64_t Metrics::count(std::string_view method, std::string_view route, int status) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = requests_.find(
      {std::string(method), std::string(route.empty() ? kUnmatched : route), status});
  return it == requests_.end() ? 0 : it->second;
}

std::string Metrics::render(const Dataset* d) const {
  std::ostringstream o;
  {
    std::lock_guard<std::mutex> lock(mu_);
    help(o, "lifecircle_http_requests_total", "counter",
         "HTTP requests answered, by method, route pattern and status.");
    for (const auto& [key, n] : requests_) {
      const auto& [method, route, status] = key;
      o << "lifecircle_http_requests_total{method=\"" << label(method) << "\",route=\""
        << label(route) << "\",status=\"" << status << "\"} " << n << '\n';
    }
    help(o, "lifecircle_http_request_duration_seconds", "histogram",
         "Time from reading a request to having its response ready to send, by route pattern.");
    for (const auto& [route, h] : latency_) {
      const std::string l = label(route);
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i <= kBuckets.size(); ++i) {
        cumulative += h.buckets[i];
        o << "lifecircle_http_request_duration_seconds_bucket{route=\"" << l << "\",le=\""
          << (i < kBuckets.size() ? number(kBuckets[i]) : std::string("+Inf")) << "\"} "
          << cumulative << '\n';
      }
      o << "lifecircle_http_request_duration_seconds_sum{route=\"" << l << "\"} " << number(h.sum)
        << '\n';
      o << "lifecircle_http_request_duration_seconds_count{route=\"" << l << "\"} " << h.count
        << '\n';
    }
  }
  help(o, "lifecircle_start_time_seconds", "gauge", "When this server started (Unix time).");
  o << "lifecircle_start_time_seconds "
    << number(static_cast<double>(std::chrono::system_clock::to_time_t(started_))) << '\n';
  if (!d) return o.str();

  const DatasetInfo& info = d->info();
  help(o, "lifecircle_dataset_info", "gauge", "The dataset being served (value always 1).");
  o << "lifecircle_dataset_info{name=\"" << label(info.name) << "\",title=\"" << label(info.title)
    << "\",version=\"" << d->version() << "\",loaded_at=\"" << label(info.loaded_at) << "\"} 1\n";
  help(o, "lifecircle_dataset_version", "gauge",
       "Version of the dataset being served; it increases with every published edit.");
  o << "lifecircle_dataset_version " << d->version() << '\n';
  help(o, "lifecircle_dataset_load_seconds", "gauge",
       "How long reading and validating the dataset took.");
  o << "lifecircle_dataset_load_seconds " << number(info.load_seconds) << '\n';
  if (const auto t = unix_seconds(info.loaded_at)) {
    help(o, "lifecircle_dataset_loaded_timestamp_seconds", "gauge",
         "When the dataset was loaded (Unix time).");
    o << "lifecircle_dataset_loaded_timestamp_seconds " << number(*t) << '\n';
  }
  help(o, "lifecircle_dataset_features", "gauge", "Features per collection of the dataset.");
  for (const auto& c : feature_collections())
    o << "lifecircle_dataset_features{collection=\"" << label(c->id) << "\"} " << c->size(*d)
      << '\n';
  return o.str();
}

void register_metrics_routes(Router& router, ServiceContext& ctx) {
  router.get("/metrics", [&ctx](const Request& req) {
    require_known_params(req, {});
    // Metrics must answer even before a dataset is loaded: that is when operators look.
    const auto d = ctx.store ? ctx.store->current() : nullptr;
    Response r;
    r.content_type = kExposition;
    r.body = ctx.metrics.render(d.get());
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  });
}

}  // namespace lifecircle::server
