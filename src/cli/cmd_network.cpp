#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "lifecircle/network.hpp"

namespace lifecircle::cli {

int cmd_network_report(const Argv& argv) {
  const Args args(argv,
                  {"network", "layer", "crs", "metric-crs", "origins", "per-origin", "seed",
                   "min-straight", "max-straight", "format"},
                  {"help", "keep-all-components"});
  if (args.flag("help")) {
    std::puts(
        "usage: lifecircle network-report --network FILE [--layer NAME] [--crs CRS]\n"
        "         [--metric-crs EPSG:32651] [--origins 100] [--per-origin 10] [--seed 1]\n"
        "         [--min-straight 200] [--max-straight 2000] [--keep-all-components]\n"
        "         [--format text|json]\n"
        "Builds the walking graph of FILE (OpenStreetMap .osm/.pbf, or any GDAL line layer),\n"
        "prints what was kept and excluded, its connected components, and the straight-line\n"
        "vs network detour factor over random node pairs (the factor a straight-line fallback\n"
        "divides the walking threshold by).");
    return 0;
  }
  if (!args.positionals().empty()) throw UsageError("takes no positional arguments");
  const auto file = args.get("network");
  if (!file) throw UsageError("--network FILE is required");
  const std::string format = args.get_or("format", "text");
  if (format != "text" && format != "json") throw UsageError("--format must be text or json");

  LayerSource src;
  src.source = src.path = *file;
  src.layer = args.get_or("layer", "");
  if (const auto crs = args.get("crs")) src.crs = CrsSpec::parse(*crs);
  NetworkBuildOptions build;
  build.keep_largest_component = !args.flag("keep-all-components");
  DetourOptions detour;
  detour.origins = static_cast<std::size_t>(args.get_long("origins", 100, 1, 100000));
  detour.per_origin = static_cast<std::size_t>(args.get_long("per-origin", 10, 1, 100000));
  detour.seed = static_cast<std::uint64_t>(args.get_long("seed", 1, 0, 1L << 40));
  detour.min_straight_m = static_cast<double>(args.get_long("min-straight", 200, 0, 100000));
  detour.max_straight_m = static_cast<double>(args.get_long("max-straight", 2000, 1, 1000000));

  ValidationReport report;
  const auto t0 = std::chrono::steady_clock::now();
  const auto net = load_network(src, args.get_or("metric-crs", "EPSG:32651"), report, build);
  const double load_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!net) {
    std::cerr << report.to_text();
    return 1;
  }
  const NetworkStats& st = net->stats();
  const DetourReport d = detour_report(*net, detour);

  if (format == "json") {
    nlohmann::json j;
    j["source"] = st.source;
    j["load_seconds"] = load_s;
    j["ways"] = {{"read", st.ways_read}, {"kept", st.ways_kept}, {"excluded", st.ways_excluded}};
    j["input"] = {{"vertices", st.input_vertices},
                  {"segments", st.input_segments},
                  {"duplicate_segments", st.duplicate_segments},
                  {"zero_length_segments", st.zero_length_segments}};
    j["graph"] = {{"nodes", st.nodes},
                  {"edges", st.edges},
                  {"length_km", st.total_length_m / 1000},
                  {"memory_bytes", net->memory_bytes()},
                  {"dropped_nodes", st.dropped_nodes},
                  {"dropped_edges", st.dropped_edges}};
    nlohmann::json comps = nlohmann::json::array();
    for (const auto& c : st.components)
      comps.push_back({{"nodes", c.nodes},
                       {"edges", c.edges},
                       {"length_m", c.length_m},
                       {"example_xy", {c.example.x, c.example.y}}});
    j["components"] = comps;
    j["detour"] = {{"pairs", d.pairs},
                   {"unreachable", d.unreachable},
                   {"median", d.median},
                   {"p25", d.p25},
                   {"p75", d.p75},
                   {"mean", d.mean},
                   {"min_straight_m", d.min_straight_m},
                   {"max_straight_m", d.max_straight_m}};
    j["problems"] = report;
    std::cout << j.dump(2) << "\n";
    return 0;
  }

  std::cout << report.to_text();
  std::printf("network %s (read and built in %.2f s)\n", st.source.c_str(), load_s);
  std::printf("ways: %zu read, %zu kept", st.ways_read, st.ways_kept);
  for (const auto& [why, n] : st.ways_excluded) std::printf(", %zu %s", n, why.c_str());
  std::printf("\ninput: %zu vertices, %zu segments (%zu duplicates, %zu zero-length)\n",
              st.input_vertices, st.input_segments, st.duplicate_segments, st.zero_length_segments);
  std::printf("components: %zu", st.components.size());
  for (std::size_t i = 0; i < st.components.size() && i < 5; ++i)
    std::printf("%s%zu nodes/%.2f km", i ? ", " : " (largest: ", st.components[i].nodes,
                st.components[i].length_m / 1000);
  std::printf("%s\n", st.components.empty() ? "" : st.components.size() > 5 ? ", ...)" : ")");
  std::printf(
      "graph: %zu nodes, %zu edges, %.2f km of street, %.1f MB (%.0f bytes/node); "
      "dropped %zu nodes, %zu edges outside the kept component\n",
      st.nodes, st.edges, st.total_length_m / 1000, net->memory_bytes() / 1e6,
      static_cast<double>(net->memory_bytes()) / static_cast<double>(st.nodes), st.dropped_nodes,
      st.dropped_edges);
  std::printf(
      "detour (network / straight line) over %zu node pairs %.0f-%.0f m apart: median "
      "%.3f, p25 %.3f, p75 %.3f, mean %.3f; %zu pairs unreachable\n",
      d.pairs, d.min_straight_m, d.max_straight_m, d.median, d.p25, d.p75, d.mean, d.unreachable);
  return 0;
}

}  // namespace lifecircle::cli
