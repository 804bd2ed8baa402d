// The HTTP service: OGC API - Features (Part 1 Core, GeoJSON, Part 2 `crs`) over the dataset
// held in a DatasetStore, plus the endpoint groups other modules register (see
// src/server/routes.hpp). Pistache stays behind this header.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "lifecircle/dataset.hpp"

namespace lifecircle {

namespace planning {
struct PlanningLimits;  // lifecircle/planning.hpp
}

// Request limits and service metadata live here, not in handlers.
struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks an ephemeral port; Server::port() tells which
  int threads = 2;
  std::string description;          // landing page description (the manifest's); empty: a default
  std::size_t default_limit = 100;  // items per page when `limit` is absent
  std::size_t max_limit = 10000;    // a larger `limit` is a 400
  bool access_log = true;           // one line per request to stderr
  std::string openapi_path;         // empty: the api/openapi.yaml of the source tree
  // Limits of POST /siting and /scenarios (sizes, solver time cap); null: the defaults.
  std::shared_ptr<const planning::PlanningLimits> planning_limits;

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
};

// The body limit in force: max_body_bytes, or room for the largest planning request the
// planning limits allow (every supplied candidate and excluded vertex written out).
std::size_t max_body(const ServerOptions& options);

class Server {
 public:
  // The store must outlive nothing: the server shares ownership.
  Server(std::shared_ptr<DatasetStore> store, ServerOptions options);
  ~Server();  // stops if still running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and serves on background threads. Throws std::runtime_error when it cannot bind.
  void start();
  // The bound port (the ephemeral one when options.port was 0); valid after start().
  std::uint16_t port() const;
  // http://HOST:PORT of the bound socket.
  std::string url() const;
  // Graceful stop: new requests get 503, requests being answered finish (up to `drain`),
  // then the listener and every connection close. Idempotent.
  void stop(std::chrono::milliseconds drain = std::chrono::seconds(5));

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lifecircle
