#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "lifecircle/loader.hpp"
#include "lifecircle/manifest.hpp"
#include "lifecircle/network.hpp"
#include "lifecircle/server.hpp"

namespace lifecircle::cli {

namespace {

// Reads the manifest and loads its data; null (with the problems on stderr) when anything is
// wrong, so half-loaded data is never served.
std::shared_ptr<const Dataset> load_for_serving(const std::string& path, std::string* description) {
  Manifest manifest;
  try {
    manifest = read_manifest(path);
  } catch (const ManifestError& e) {
    std::fprintf(stderr, "lifecircle serve: %s\nnot serving: the manifest is invalid\n", e.what());
    return nullptr;
  }
  if (description) *description = manifest.description;
  const LoadResult loaded = load_dataset(manifest, network_load_options());
  if (!loaded.report.ok() || !loaded.dataset) {
    std::fputs(loaded.report.to_text().c_str(), stderr);
    std::fprintf(stderr, "lifecircle serve: %zu errors in %s: not serving\n",
                 loaded.report.error_count(), path.c_str());
    return nullptr;
  }
  if (loaded.report.warning_count() > 0) std::fputs(loaded.report.to_text().c_str(), stderr);
  return loaded.dataset;
}

}  // namespace

int cmd_serve(const Argv& argv) {
  const Args args(argv, {"data", "config", "host", "port", "threads"}, {"help", "quiet"});
  if (args.flag("help")) {
    std::puts(
        "usage: lifecircle serve [--data MANIFEST] [--config FILE] [--host H] [--port P]\n"
        "         [--threads N] [--quiet]\n"
        "Loads MANIFEST (default: the shipped Shanghai data) and serves it as OGC API - Features\n"
        "on http://H:P (default 127.0.0.1:8080; --port 0 picks a free port). Refuses to start\n"
        "when the data has errors. FILE sets the request limits, timeouts, paging, links and\n"
        "override bounds (config/lifecircle.json documents every member and its default;\n"
        "absent members keep it); --host, --port, --threads and --quiet override the file.\n"
        "--quiet turns off the per-request log. Stops on SIGTERM or SIGINT after the requests\n"
        "in progress are answered. SIGHUP reloads MANIFEST and its files and swaps the new data\n"
        "in atomically; with errors it keeps serving the old data. Server settings (address,\n"
        "threads, limits, the configuration file) need a restart.");
    return 0;
  }
  if (!args.positionals().empty()) throw UsageError("takes no positional arguments");
  const std::string path = args.get_or("data", default_manifest_path());
  ServerOptions options;
  if (const auto config = args.get("config")) {
    try {
      options = read_config(*config);
    } catch (const ConfigError& e) {
      std::fprintf(stderr, "lifecircle serve: %s\nnot serving: the configuration is invalid\n",
                   e.what());
      return 1;
    }
  }
  options.host = args.get_or("host", options.host);
  options.port = static_cast<std::uint16_t>(args.get_long("port", options.port, 0, 65535));
  options.threads = static_cast<int>(args.get_long("threads", options.threads, 1, 256));
  if (args.flag("quiet")) options.access_log = false;

  // Block the stop and reload signals before any thread exists, so every server thread
  // inherits the mask and the main thread alone receives them through sigwait.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::string description;
  const std::shared_ptr<const Dataset> initial = load_for_serving(path, &description);
  if (!initial) return 1;
  options.description = description;
  auto store = std::make_shared<DatasetStore>(initial);
  Server server(store, options);
  server.start();
  std::cout << "listening on " << server.url() << std::endl;  // tests parse this line

  int sig = 0;
  while (sigwait(&signals, &sig) == 0 && sig == SIGHUP) {
    // Requests keep being answered from the old snapshot while the new one loads; the swap
    // is one atomic store, so a request sees one version or the other, never a mix.
    if (const auto next = load_for_serving(path, nullptr)) {
      store->publish(next);
      std::cout << "reloaded " << path << std::endl;
    } else {
      std::cout << "not reloaded: " << path << " has errors; serving the previous data"
                << std::endl;
    }
  }
  std::fprintf(stderr, "lifecircle serve: %s received, stopping\n",
               sig == SIGTERM ? "SIGTERM" : "SIGINT");
  server.stop();
  return 0;
}

}  // namespace lifecircle::cli
