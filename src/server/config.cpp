// Reading and writing the service configuration (lifecircle/config.hpp). One table of members
// per section, so the file, its defaults and its documentation cannot drift apart.
#include "lifecircle/config.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>

#ifndef LIFECIRCLE_CONFIG_PATH
#define LIFECIRCLE_CONFIG_PATH "config/lifecircle.json"
#endif

namespace lifecircle {
namespace {

using nlohmann::json;

// The members of one JSON object; reports the first unknown one, and type errors by key.
class Section {
 public:
  Section(const json& parent, const std::string& name, const std::string& file,
          const std::set<std::string>& known)
      : file_(file), prefix_(name) {
    const json* j = &parent;
    if (!name.empty()) {
      auto it = parent.find(name.substr(name.rfind('.') + 1));
      j = it == parent.end() ? nullptr : &*it;
    }
    if (!j) return;
    if (!j->is_object()) throw ConfigError(file_, key_of(""), "must be an object");
    for (const auto& [k, v] : j->items())
      if (!known.count(k) && k.rfind("_", 0) != 0)  // "_comment" members document the file
        throw ConfigError(file_, key_of(k), "unknown member");
    j_ = j;
  }
  const json* section() const { return j_; }
  std::string key_of(const std::string& k) const {
    return prefix_.empty() ? k : k.empty() ? prefix_ : prefix_ + "." + k;
  }

  template <class T>
  void whole(const std::string& k, T& out, double lo, double hi) const {
    const json* v = get(k);
    if (!v) return;
    if (!v->is_number() || !std::isfinite(v->get<double>()) ||
        std::floor(v->get<double>()) != v->get<double>())
      throw ConfigError(file_, key_of(k), "must be a whole number");
    const double x = v->get<double>();
    if (x < lo || x > hi) throw ConfigError(file_, key_of(k), "out of range");
    out = static_cast<T>(x);
  }
  void number(const std::string& k, double& out, double lo) const {
    const json* v = get(k);
    if (!v) return;
    if (!v->is_number() || !std::isfinite(v->get<double>()) || v->get<double>() < lo)
      throw ConfigError(file_, key_of(k), "must be a number of at least " + std::to_string(lo));
    out = v->get<double>();
  }
  // Seconds in the file, milliseconds in the options.
  void seconds(const std::string& k, std::chrono::milliseconds& out) const {
    double s = static_cast<double>(out.count()) / 1000;
    number(k, s, 0.001);
    if (s > 86400) throw ConfigError(file_, key_of(k), "at most 86400 seconds");
    out = std::chrono::milliseconds(static_cast<long long>(std::llround(s * 1000)));
  }
  void text(const std::string& k, std::string& out) const {
    const json* v = get(k);
    if (!v) return;
    if (!v->is_string()) throw ConfigError(file_, key_of(k), "must be a string");
    out = v->get<std::string>();
  }
  void flag(const std::string& k, bool& out) const {
    const json* v = get(k);
    if (!v) return;
    if (!v->is_boolean()) throw ConfigError(file_, key_of(k), "must be true or false");
    out = v->get<bool>();
  }
  void texts(const std::string& k, std::vector<std::string>& out) const {
    const json* v = get(k);
    if (!v) return;
    if (!v->is_array()) throw ConfigError(file_, key_of(k), "must be an array of strings");
    out.clear();
    for (const auto& e : *v) {
      if (!e.is_string()) throw ConfigError(file_, key_of(k), "must be an array of strings");
      out.push_back(e.get<std::string>());
    }
  }
  // [min, max] with min <= max.
  void range(const std::string& k, Range& out) const {
    const json* v = get(k);
    if (!v) return;
    if (!v->is_array() || v->size() != 2 || !(*v)[0].is_number() || !(*v)[1].is_number())
      throw ConfigError(file_, key_of(k), "must be [min, max]");
    const Range r{(*v)[0].get<double>(), (*v)[1].get<double>()};
    if (!std::isfinite(r.min) || !std::isfinite(r.max) || r.min > r.max || r.min <= 0)
      throw ConfigError(file_, key_of(k), "must be [min, max] with 0 < min <= max");
    out = r;
  }

 private:
  const json* get(const std::string& k) const {
    if (!j_) return nullptr;
    auto it = j_->find(k);
    return it == j_->end() || it->is_null() ? nullptr : &*it;
  }
  std::string file_, prefix_;
  const json* j_ = nullptr;
};

constexpr double kMaxCount = 1e15;  // exactly representable, far above any real limit

}  // namespace

ServerOptions config_from_json(const json& j, const std::string& file) {
  ServerOptions o;
  if (!j.is_object()) throw ConfigError(file, "(file)", "must be a JSON object");
  const Section top(
      j, "", file,
      {"server", "http", "jobs", "paging", "links", "overrides", "analysis", "planning"});

  const Section server(j, "server", file, {"host", "port", "threads", "access_log"});
  server.text("host", o.host);
  server.whole("port", o.port, 0, 65535);
  server.whole("threads", o.threads, 1, 256);
  server.flag("access_log", o.access_log);

  const Section http(j, "http", file,
                     {"max_target_bytes", "max_head_bytes", "max_header_count", "max_body_bytes",
                      "header_timeout_s", "body_timeout_s", "idle_timeout_s"});
  http.whole("max_target_bytes", o.max_target_bytes, 256, 1e8);
  http.whole("max_head_bytes", o.max_head_bytes, 1024, 1e8);
  http.whole("max_header_count", o.max_header_count, 8, 1e6);
  http.whole("max_body_bytes", o.max_body_bytes, 0, 1e11);
  http.seconds("header_timeout_s", o.header_timeout);
  http.seconds("body_timeout_s", o.body_timeout);
  http.seconds("idle_timeout_s", o.idle_timeout);

  const Section jobs(j, "jobs", file,
                     {"analysis_threads", "analysis_queue", "planning_threads", "planning_queue"});
  jobs.whole("analysis_threads", o.analysis_threads, 1, 256);
  jobs.whole("analysis_queue", o.analysis_queue, 0, 1e6);
  jobs.whole("planning_threads", o.planning_threads, 1, 256);
  jobs.whole("planning_queue", o.planning_queue, 0, 1e6);

  const Section paging(j, "paging", file, {"default_limit", "max_limit", "max_offset"});
  paging.whole("default_limit", o.paging.default_limit, 1, kMaxCount);
  paging.whole("max_limit", o.paging.max_limit, 1, kMaxCount);
  paging.whole("max_offset", o.paging.max_offset, 0, kMaxCount);
  // A smaller max_limit alone lowers the default page with it.
  if (paging.section() && !paging.section()->contains("default_limit"))
    o.paging.default_limit = std::min(o.paging.default_limit, o.paging.max_limit);
  if (o.paging.default_limit > o.paging.max_limit)
    throw ConfigError(file, "paging.default_limit", "must not exceed paging.max_limit");

  const Section links(j, "links", file, {"public_base_url", "allowed_hosts"});
  links.text("public_base_url", o.links.public_base_url);
  links.texts("allowed_hosts", o.links.allowed_hosts);
  for (std::string& h : o.links.allowed_hosts)  // Host is case-insensitive (RFC 9110)
    std::transform(h.begin(), h.end(), h.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  while (!o.links.public_base_url.empty() && o.links.public_base_url.back() == '/')
    o.links.public_base_url.pop_back();
  if (!o.links.public_base_url.empty() && o.links.public_base_url.rfind("http://", 0) != 0 &&
      o.links.public_base_url.rfind("https://", 0) != 0)
    throw ConfigError(file, "links.public_base_url", "must start with http:// or https://");

  const Section overrides(j, "overrides", file, {"minutes", "speed", "detour"});
  overrides.range("minutes", o.overrides.minutes);
  overrides.range("speed", o.overrides.speed_m_s);
  overrides.range("detour", o.overrides.detour_factor);
  if (o.overrides.detour_factor.min < 1)
    throw ConfigError(file, "overrides.detour", "a detour factor is at least 1");

  const Section analysis(j, "analysis", file, {"cache_entries"});
  analysis.whole("cache_entries", o.analysis_cache_entries, 0, 1e7);

  planning::PlanningLimits& p = o.planning;
  const Section plan(j, "planning", file,
                     {"max_grid_candidates", "max_supplied_candidates", "max_excluded_vertices",
                      "min_grid_m", "default_time_limit_s", "max_time_limit_s",
                      "max_scenario_changes", "scenario_entries", "solver"});
  plan.whole("max_grid_candidates", p.max_grid_candidates, 1, kMaxCount);
  plan.whole("max_supplied_candidates", p.max_supplied_candidates, 0, kMaxCount);
  plan.whole("max_excluded_vertices", p.max_excluded_vertices, 0, kMaxCount);
  plan.number("min_grid_m", p.min_grid_m, 1);
  plan.number("default_time_limit_s", p.default_time_limit_s, 0.001);
  plan.number("max_time_limit_s", p.max_time_limit_s, 0.001);
  plan.whole("max_scenario_changes", p.max_scenario_changes, 1, kMaxCount);
  plan.whole("scenario_entries", p.scenario_entries, 0, kMaxCount);
  if (p.default_time_limit_s > p.max_time_limit_s)
    throw ConfigError(file, "planning.default_time_limit_s",
                      "must not exceed planning.max_time_limit_s");
  if (plan.section()) {
    const Section solver(*plan.section(), "planning.solver", file,
                         {"max_demand", "max_candidates", "max_nonzeros", "max_spacing_pairs",
                          "max_mip_columns", "max_mip_nonzeros", "max_time_limit_s"});
    solver.whole("max_demand", p.solver.max_demand, 1, kMaxCount);
    solver.whole("max_candidates", p.solver.max_candidates, 1, kMaxCount);
    solver.whole("max_nonzeros", p.solver.max_nonzeros, 1, kMaxCount);
    solver.whole("max_spacing_pairs", p.solver.max_spacing_pairs, 0, kMaxCount);
    solver.whole("max_mip_columns", p.solver.max_mip_columns, 1, kMaxCount);
    solver.whole("max_mip_nonzeros", p.solver.max_mip_nonzeros, 1, kMaxCount);
    solver.number("max_time_limit_s", p.solver.max_time_limit_s, 0.001);
  }
  p.overrides = o.overrides;
  return o;
}

ServerOptions read_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path, "(file)", "cannot open");
  json j;
  try {
    in >> j;
  } catch (const json::exception& e) {
    throw ConfigError(path, "(file)", std::string("not valid JSON: ") + e.what());
  }
  return config_from_json(j, path);
}

json to_json(const ServerOptions& o) {
  auto seconds = [](std::chrono::milliseconds ms) {
    return static_cast<double>(ms.count()) / 1000;
  };
  auto range = [](const Range& r) { return json::array({r.min, r.max}); };
  const planning::PlanningLimits& p = o.planning;
  return {
      {"server",
       {{"host", o.host}, {"port", o.port}, {"threads", o.threads}, {"access_log", o.access_log}}},
      {"http",
       {{"max_target_bytes", o.max_target_bytes},
        {"max_head_bytes", o.max_head_bytes},
        {"max_header_count", o.max_header_count},
        {"max_body_bytes", o.max_body_bytes},
        {"header_timeout_s", seconds(o.header_timeout)},
        {"body_timeout_s", seconds(o.body_timeout)},
        {"idle_timeout_s", seconds(o.idle_timeout)}}},
      {"jobs",
       {{"analysis_threads", o.analysis_threads},
        {"analysis_queue", o.analysis_queue},
        {"planning_threads", o.planning_threads},
        {"planning_queue", o.planning_queue}}},
      {"paging",
       {{"default_limit", o.paging.default_limit},
        {"max_limit", o.paging.max_limit},
        {"max_offset", o.paging.max_offset}}},
      {"links",
       {{"public_base_url", o.links.public_base_url}, {"allowed_hosts", o.links.allowed_hosts}}},
      {"overrides",
       {{"minutes", range(o.overrides.minutes)},
        {"speed", range(o.overrides.speed_m_s)},
        {"detour", range(o.overrides.detour_factor)}}},
      {"analysis", {{"cache_entries", o.analysis_cache_entries}}},
      {"planning",
       {{"max_grid_candidates", p.max_grid_candidates},
        {"max_supplied_candidates", p.max_supplied_candidates},
        {"max_excluded_vertices", p.max_excluded_vertices},
        {"min_grid_m", p.min_grid_m},
        {"default_time_limit_s", p.default_time_limit_s},
        {"max_time_limit_s", p.max_time_limit_s},
        {"max_scenario_changes", p.max_scenario_changes},
        {"scenario_entries", p.scenario_entries},
        {"solver",
         {{"max_demand", p.solver.max_demand},
          {"max_candidates", p.solver.max_candidates},
          {"max_nonzeros", p.solver.max_nonzeros},
          {"max_spacing_pairs", p.solver.max_spacing_pairs},
          {"max_mip_columns", p.solver.max_mip_columns},
          {"max_mip_nonzeros", p.solver.max_mip_nonzeros},
          {"max_time_limit_s", p.solver.max_time_limit_s}}}}},
  };
}

std::string default_config_path() { return LIFECIRCLE_CONFIG_PATH; }

}  // namespace lifecircle
