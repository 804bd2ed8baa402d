// The HTTP service: OGC API - Features (Part 1 Core, GeoJSON, Part 2 `crs`) over the dataset
// held in a DatasetStore, plus the endpoint groups other modules register (see
// src/server/routes.hpp). Pistache stays behind this header.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "lifecircle/config.hpp"
#include "lifecircle/dataset.hpp"

namespace lifecircle {

// ServerOptions: lifecircle/config.hpp.

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
