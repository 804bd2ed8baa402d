// Walking-network benchmark driver (see bench/README.md, "Walking network").
//   network_bench generate --out FILE.osm.pbf [--side 1000] [--spacing 100] [--seed 1]
//       a perturbed street grid of side x side nodes (jittered corners, ~8 % of blocks' sides
//       missing) around Shanghai, written as OpenStreetMap PBF
//   network_bench run --network FILE [--facilities 5000] [--cutoff 1000] [--repeats 7]
//       [--export DIR] [--demand 100000]
//       times graph build from file, snapping, the multi-source search (median of repeats) and
//       NetworkDistanceModel::nearest; with --export writes edges.csv and starts.txt so
//       run.sh can ask pgRouting the same question.
#include <osmium/builder/osm_object_builder.hpp>
#include <osmium/io/pbf_output.hpp>
#include <osmium/io/writer.hpp>
#include <osmium/memory/buffer.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "lifecircle/crs.hpp"
#include "lifecircle/network.hpp"

using namespace lifecircle;
using Clock = std::chrono::steady_clock;

namespace {

std::map<std::string, std::string> parse(int argc, char** argv) {
  std::map<std::string, std::string> m;
  for (int i = 2; i + 1 < argc; i += 2) m[argv[i] + 2] = argv[i + 1];
  return m;
}
double num(const std::map<std::string, std::string>& m, const char* k, double d) {
  const auto it = m.find(k);
  return it == m.end() ? d : std::stod(it->second);
}
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}
double cpu_now() {  // this thread's CPU seconds: what the search costs without the box's load
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}
long vm_kb(const char* key) {  // VmRSS / VmHWM from /proc/self/status
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) return std::stol(line.substr(std::strlen(key) + 1));
  return -1;
}

int generate(const std::map<std::string, std::string>& a) {
  const int side = static_cast<int>(num(a, "side", 1000));
  const double spacing = num(a, "spacing", 100);
  std::mt19937_64 rng(static_cast<std::uint64_t>(num(a, "seed", 1)));
  std::uniform_real_distribution<double> jitter(-0.25 * spacing, 0.25 * spacing);
  std::bernoulli_distribution missing(0.08);
  const MetricProjection metric("EPSG:32651");
  // South-west corner near Shanghai's centre; a 1000 x 1000 grid spans 100 km.
  const double x0 = 300000, y0 = 3400000;
  const std::string out = a.at("out");
  osmium::io::Header header;
  osmium::io::Writer writer(out, header, osmium::io::overwrite::allow);
  osmium::memory::Buffer buf(1 << 22, osmium::memory::Buffer::auto_grow::yes);
  auto flush = [&](bool force) {
    if (force || buf.committed() > (1 << 21)) {
      writer(std::move(buf));
      buf = osmium::memory::Buffer(1 << 22, osmium::memory::Buffer::auto_grow::yes);
    }
  };
  auto id = [&](int c, int r) { return static_cast<osmium::object_id_type>(r) * side + c + 1; };
  for (int r = 0; r < side; ++r)
    for (int c = 0; c < side; ++c) {
      const LonLat p =
          metric.inverse({x0 + c * spacing + jitter(rng), y0 + r * spacing + jitter(rng)});
      {
        osmium::builder::NodeBuilder b(buf);
        b.set_id(id(c, r));
        b.set_location(osmium::Location(p.lon, p.lat));
      }
      buf.commit();
      flush(false);
    }
  osmium::object_id_type way_id = 1;
  auto emit = [&](const std::vector<osmium::object_id_type>& refs) {
    if (refs.size() < 2) return;
    {
      osmium::builder::WayBuilder b(buf);
      b.set_id(way_id++);
      {
        osmium::builder::WayNodeListBuilder wnl(b);
        for (auto ref : refs) wnl.add_node_ref(osmium::NodeRef(ref));
      }
      osmium::builder::TagListBuilder t(b);
      t.add_tag("highway", "residential");
    }
    buf.commit();
    flush(false);
  };
  // Rows then columns, each split where a block side is missing.
  for (int dir = 0; dir < 2; ++dir)
    for (int i = 0; i < side; ++i) {
      std::vector<osmium::object_id_type> refs;
      for (int j = 0; j < side; ++j) {
        const auto node = dir == 0 ? id(j, i) : id(i, j);
        if (!refs.empty() && missing(rng)) {
          emit(refs);
          refs.clear();
        }
        refs.push_back(node);
      }
      emit(refs);
    }
  flush(true);
  writer.close();
  std::printf("wrote %s: %d x %d nodes, %lld ways\n", out.c_str(), side, side,
              static_cast<long long>(way_id - 1));
  return 0;
}

int run(const std::map<std::string, std::string>& a) {
  const std::string file = a.at("network");
  const auto facilities = static_cast<std::size_t>(num(a, "facilities", 5000));
  const double cutoff = num(a, "cutoff", 1000);
  const int repeats = static_cast<int>(num(a, "repeats", 7));
  const auto demand_n = static_cast<std::size_t>(num(a, "demand", 100000));

  const long rss0 = vm_kb("VmRSS:");
  const MetricProjection metric("EPSG:32651");
  auto t = Clock::now();
  NetworkInput in = read_osm_network(file, metric);
  const double read_s = seconds_since(t);
  t = Clock::now();
  const auto net = WalkingNetwork::build(std::move(in));
  const double build_s = seconds_since(t);
  const long rss1 = vm_kb("VmRSS:");
  const std::size_t n = net->node_count();
  std::printf("graph %s: %zu nodes, %zu edges, %zu components (kept largest)\n", file.c_str(), n,
              net->edge_count(), net->stats().components.size());
  std::printf("load: read+project %.3f s, build (dedupe, components, CSR, R-tree) %.3f s\n", read_s,
              build_s);
  std::printf(
      "memory: graph arrays + R-tree %.1f MB = %.0f bytes/node; RSS after build %+.1f MB "
      "(%.0f bytes/node), peak RSS %.1f MB\n",
      net->memory_bytes() / 1e6, double(net->memory_bytes()) / double(n), (rss1 - rss0) / 1e3,
      (rss1 - rss0) * 1e3 / double(n), vm_kb("VmHWM:") / 1e3);

  // Facilities at random nodes, so pgRouting (which starts from vertices) gets the same sources.
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(n - 1));
  std::vector<std::uint32_t> starts;
  for (std::size_t i = 0; i < facilities; ++i) starts.push_back(pick(rng));
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  std::vector<XY> src_xy;
  for (auto s : starts) src_xy.push_back(net->nodes()[s]);
  t = Clock::now();
  const SnappedPoints snapped = snap_points(*net, src_xy, 300);
  const double snap_s = seconds_since(t);

  std::vector<double> times, cpu;
  std::size_t reached = 0;
  NodeLabels labels;
  for (int i = 0; i < repeats; ++i) {
    t = Clock::now();
    const double c0 = cpu_now();
    const NodeLabels L = multi_source_search(*net, snapped.snaps, cutoff);
    cpu.push_back(cpu_now() - c0);
    times.push_back(seconds_since(t));
    reached = static_cast<std::size_t>(
        std::count_if(L.source.begin(), L.source.end(), [](std::int32_t s) { return s >= 0; }));
    if (i + 1 == repeats) labels = L;
  }
  std::printf(
      "multi-source search, %zu sources, cutoff %.0f m: median %.3f s over %d runs "
      "(min %.3f, max %.3f; CPU median %.3f s); %zu of %zu nodes reached; snapping the "
      "sources %.3f s\n",
      starts.size(), cutoff, median(times), repeats, *std::min_element(times.begin(), times.end()),
      *std::max_element(times.begin(), times.end()), median(cpu), reached, n, snap_s);

  // The coverage question end to end: demand points snapped, labelled, distances returned.
  const auto& first = net->nodes().front();
  const auto& last = net->nodes().back();
  std::uniform_real_distribution<double> ux(std::min(first.x, last.x), std::max(first.x, last.x));
  std::uniform_real_distribution<double> uy(std::min(first.y, last.y), std::max(first.y, last.y));
  std::vector<XY> demand(demand_n);
  for (auto& d : demand) d = {ux(rng), uy(rng)};
  const NetworkDistanceModel model(net);
  std::vector<double> model_times;
  std::size_t covered = 0;
  for (int i = 0; i < std::max(1, repeats / 2); ++i) {
    t = Clock::now();
    const NearestResult r = model.nearest(demand, src_xy, cutoff);
    model_times.push_back(seconds_since(t));
    covered = static_cast<std::size_t>(
        std::count_if(r.source.begin(), r.source.end(), [](std::int32_t s) { return s >= 0; }));
  }
  std::printf(
      "NetworkDistanceModel::nearest, %zu demand points x %zu sources: median %.3f s "
      "(snapping both + search); %zu covered\n",
      demand_n, starts.size(), median(model_times), covered);

  if (const auto it = a.find("export"); it != a.end()) {
    std::ofstream edges(it->second + "/edges.csv");
    edges.precision(9);
    for (std::size_t i = 0; i < net->edge_count(); ++i) {
      const auto& e = net->edges()[i];
      edges << i << "," << e.u << "," << e.v << "," << e.length_m << "," << e.length_m << "\n";
    }
    std::ofstream s(it->second + "/starts.txt");
    for (std::size_t i = 0; i < starts.size(); ++i) s << (i ? "," : "") << starts[i];
    s << "\n";
    std::ofstream r(it->second + "/reached.txt");
    r << reached << "\n";
    std::ofstream nodes(it->second + "/reached_nodes.csv");  // node,distance for comparison
    nodes.precision(9);
    for (std::size_t v = 0; v < n; ++v)
      if (labels.source[v] >= 0) nodes << v << "," << labels.distance_m[v] << "\n";
    std::printf("exported %s/edges.csv and starts.txt\n", it->second.c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: network_bench generate|run --option value ...\n");
    return 2;
  }
  try {
    const auto a = parse(argc, argv);
    if (!std::strcmp(argv[1], "generate")) return generate(a);
    if (!std::strcmp(argv[1], "run")) return run(a);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "network_bench: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "network_bench: unknown mode %s\n", argv[1]);
  return 2;
}
