// The service's configuration: every request limit, timeout and link rule in one struct, read
// from one JSON file (`lifecircle serve --config FILE`, documented in config/lifecircle.json and
// the README). Members absent from the file keep the defaults written here; an unknown member or
// a value of the wrong type is a ConfigError naming the key, so a typo never passes silently.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lifecircle/planning.hpp"
#include "lifecircle/standards.hpp"

namespace lifecircle {

// OGC API - Features paging.
struct PageLimits {
  std::size_t default_limit = 100;  // items per page when `limit` is absent
  std::size_t max_limit = 10000;    // a larger `limit` is a 400
  std::size_t max_offset = 1'000'000'000;
};

// How links in answers are built. Links never follow an arbitrary Host header: a client that
// sends `Host: evil.example` must not make the service hand out links to that host.
struct LinkOptions {
  // e.g. "https://planning.example.gov.cn/lifecircle"; empty: http://HOST:PORT of the socket.
  std::string public_base_url;
  // Host header values (host[:port]) that may appear in links when public_base_url is empty;
  // loopback names with the bound port are always allowed.
  std::vector<std::string> allowed_hosts;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks an ephemeral port; Server::port() tells which
  int threads = 2;
  bool access_log = true;    // one line per request to stderr
  std::string description;   // landing page description (the manifest's); empty: a default
  std::string openapi_path;  // empty: the api/openapi.yaml of the source tree

  // HTTP/1.1 limits: a longer request target is a 414, a larger head or more header fields a
  // 431, a larger body a 413 (0: large enough for the planning limits, see max_body()).
  std::size_t max_target_bytes = 8 * 1024;
  std::size_t max_head_bytes = 64 * 1024;
  std::size_t max_header_count = 100;
  std::size_t max_body_bytes = 0;
  // The whole head must arrive within header_timeout of its first byte, a body must not stall
  // longer than body_timeout (both a 408), and a keep-alive connection with nothing asked
  // closes after idle_timeout.
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  // Heavy analyses run on pools apart from the request threads: coverage, gaps and service
  // areas on one, siting and scenarios on the other. A full queue answers 503 + Retry-After.
  int analysis_threads = 2;
  std::size_t analysis_queue = 256;
  int planning_threads = 1;
  std::size_t planning_queue = 16;

  PageLimits paging;
  LinkOptions links;
  OverrideBounds overrides;                  // bounds of minutes=, speed=, detour= on every route
  std::size_t analysis_cache_entries = 128;  // analysis results kept per dataset version
  planning::PlanningLimits planning;         // POST /siting and /scenarios
};

// A configuration file that cannot be used: `key` is the JSON path, e.g. "paging.max_limit".
class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& file, std::string key, const std::string& message)
      : std::runtime_error(file + ": " + key + ": " + message), key_(std::move(key)) {}
  const std::string& key() const { return key_; }

 private:
  std::string key_;
};

// Reads a configuration file over the defaults. Throws ConfigError.
ServerOptions read_config(const std::string& path);
// The same from a parsed document; `file` names it in errors.
ServerOptions config_from_json(const nlohmann::json& j, const std::string& file);
// Every member with its value, in the file's layout (config/lifecircle.json is this for the
// defaults; a test keeps the two equal).
nlohmann::json to_json(const ServerOptions& o);

// config/lifecircle.json of the source tree.
std::string default_config_path();

}  // namespace lifecircle
