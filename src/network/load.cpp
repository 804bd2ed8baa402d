// The manifest's network layer -> graph -> DistanceModel, with problems reported, not thrown.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <stdexcept>

#include "lifecircle/network.hpp"

namespace lifecircle {

bool is_osm_path(const std::string& path) {
  std::string p = path;
  std::transform(p.begin(), p.end(), p.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* suffix : {".osm", ".pbf", ".osm.gz", ".osm.bz2", ".osm.xml"}) {
    const std::string s(suffix);
    if (p.size() >= s.size() && p.compare(p.size() - s.size(), s.size(), s) == 0) return true;
  }
  return false;
}

std::shared_ptr<const WalkingNetwork> load_network(const LayerSource& layer,
                                                   const std::string& metric_crs,
                                                   ValidationReport& report,
                                                   const NetworkBuildOptions& options) {
  const std::string file = layer.source.empty() ? layer.path : layer.source;
  try {
    const MetricProjection metric(metric_crs);
    NetworkInput in = is_osm_path(layer.path) ? read_osm_network(layer.path, metric)
                                              : read_line_network(layer, metric, report);
    auto net = WalkingNetwork::build(std::move(in), options);
    const NetworkStats& st = net->stats();
    if (st.components.size() > 1) {
      char msg[256];
      std::snprintf(
          msg, sizeof msg,
          "%zu connected components; %s the largest (%zu nodes, %.1f km); %zu nodes "
          "and %zu edges in %zu smaller pieces %s",
          st.components.size(), options.keep_largest_component ? "kept" : "found",
          st.components.front().nodes, st.components.front().length_m / 1000,
          st.dropped_nodes +
              (options.keep_largest_component ? 0 : st.nodes - st.components.front().nodes),
          st.dropped_edges, st.components.size() - 1,
          options.keep_largest_component ? "dropped" : "kept");
      report.warning("network_components", file, "network", "", "", msg);
    }
    return net;
  } catch (const std::invalid_argument& e) {
    report.error("network_empty", file, "network", "", "", e.what());
  } catch (const std::exception& e) {
    report.error("network_unreadable", file, "network", "", "", e.what());
  }
  return nullptr;
}

std::unique_ptr<NetworkDistanceModel> load_network_model(const LayerSource& layer,
                                                         const std::string& metric_crs,
                                                         ValidationReport& report,
                                                         NetworkModelOptions options) {
  auto net = load_network(layer, metric_crs, report);
  if (!net) return nullptr;
  return std::make_unique<NetworkDistanceModel>(std::move(net), options);
}

LoadOptions network_load_options() {
  LoadOptions o;
  o.load_network = [](const LayerSource& layer, const std::string& metric_crs,
                      ValidationReport& report) -> std::shared_ptr<const DistanceModel> {
    return load_network_model(layer, metric_crs, report);
  };
  return o;
}

}  // namespace lifecircle
