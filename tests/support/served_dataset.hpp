// The real server on an ephemeral port, serving one dataset for a test suite's lifetime, so API
// tests talk HTTP to the same code `lifecircle serve` runs. Quiet unless the options say so.
#pragma once

#include <memory>

#include "lifecircle/dataset.hpp"
#include "lifecircle/server.hpp"

namespace lifecircle::test {

class ServedDataset {
 public:
  explicit ServedDataset(DatasetContent content, ServerOptions options = quiet())
      : ServedDataset(std::make_shared<const Dataset>(std::move(content)), std::move(options)) {}
  // A dataset as the loader returned it.
  explicit ServedDataset(std::shared_ptr<const Dataset> dataset, ServerOptions options = quiet())
      : store_(std::make_shared<DatasetStore>(std::move(dataset))) {
    options.port = 0;
    server_ = std::make_unique<Server>(store_, options);
    server_->start();
  }

  static ServerOptions quiet() {
    ServerOptions o;
    o.access_log = false;
    return o;
  }

  std::uint16_t port() const { return server_->port(); }
  DatasetStore& store() const { return *store_; }

 private:
  std::shared_ptr<DatasetStore> store_;
  std::unique_ptr<Server> server_;
};

}  // namespace lifecircle::test
