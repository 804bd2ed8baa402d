// Snapping many points, the multi-source Dijkstra with a cutoff, and the DistanceModel on top.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <queue>
#include <utility>

#include "lifecircle/geometry.hpp"
#include "lifecircle/network.hpp"

namespace lifecircle {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

// Heap entries pack (distance, node) into one integer: non-negative IEEE floats order like their
// bit patterns, so one 64-bit compare replaces a pair compare and the heap moves half the data.
using MinHeap =
    std::priority_queue<std::uint64_t, std::vector<std::uint64_t>, std::greater<std::uint64_t>>;
inline std::uint64_t pack(float d, std::uint32_t node) {
  std::uint32_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  return (static_cast<std::uint64_t>(bits) << 32) | node;
}
inline float key_distance(std::uint64_t k) {
  const auto bits = static_cast<std::uint32_t>(k >> 32);
  float d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}
inline std::uint32_t key_node(std::uint64_t k) { return static_cast<std::uint32_t>(k); }

// (edge, point index) pairs sorted by edge: which snapped points share an edge.
std::vector<std::pair<std::uint32_t, std::uint32_t>> by_edge(
    const std::vector<std::optional<EdgeSnap>>& snaps) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  for (std::uint32_t i = 0; i < snaps.size(); ++i)
    if (snaps[i]) out.emplace_back(snaps[i]->edge, i);
  std::sort(out.begin(), out.end());
  return out;
}

auto on_edge(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& index, std::uint32_t e) {
  return std::equal_range(index.begin(), index.end(), std::make_pair(e, std::uint32_t{0}),
                          [](const auto& a, const auto& b) { return a.first < b.first; });
}

// Walking metres between two positions on the same edge, both snap offsets included.
float along_same_edge(const EdgeSnap& a, const EdgeSnap& b) {
  return a.offset_m + std::fabs(a.along_m - b.along_m) + b.offset_m;
}

}  // namespace

SnappedPoints snap_points(const WalkingNetwork& net, const std::vector<XY>& points,
                          double max_snap_m) {
  SnappedPoints out;
  out.snaps.resize(points.size());
  for (std::uint32_t i = 0; i < points.size(); ++i) {
    out.snaps[i] = net.snap(points[i], max_snap_m);
    if (!out.snaps[i]) out.unsnapped.push_back(i);
  }
  return out;
}

NodeLabels multi_source_search(const WalkingNetwork& net,
                               const std::vector<std::optional<EdgeSnap>>& sources,
                               double cutoff_m) {
  const std::size_t n = net.node_count();
  NodeLabels L;
  L.distance_m.assign(n, kInf);
  L.source.assign(n, -1);
  const auto& off = net.offsets();
  const auto& tgt = net.targets();
  const auto& len = net.arc_lengths();
  std::vector<std::uint64_t> storage;
  storage.reserve(std::min<std::size_t>(n, 1u << 20));
  MinHeap heap(std::greater<std::uint64_t>(), std::move(storage));
  auto relax = [&](std::uint32_t node, float d, std::int32_t src) {
    if (d <= cutoff_m && d < L.distance_m[node]) {
      L.distance_m[node] = d;
      L.source[node] = src;
      heap.push(pack(d, node));
    }
  };
  // A source enters at both ends of its edge, each carrying snap offset + the way along.
  for (std::uint32_t i = 0; i < sources.size(); ++i) {
    if (!sources[i]) continue;
    const EdgeSnap& s = *sources[i];
    const auto& e = net.edges()[s.edge];
    relax(e.u, s.offset_m + s.along_m, static_cast<std::int32_t>(i));
    relax(e.v, s.offset_m + (e.length_m - s.along_m), static_cast<std::int32_t>(i));
  }
  while (!heap.empty()) {
    const float d = key_distance(heap.top());
    const std::uint32_t x = key_node(heap.top());
    heap.pop();
    if (d > L.distance_m[x]) continue;  // a stale entry: x was settled closer already
    const std::int32_t src = L.source[x];
    for (std::uint32_t a = off[x]; a < off[x + 1]; ++a) relax(tgt[a], d + len[a], src);
  }
  return L;
}

NetworkDistanceModel::NetworkDistanceModel(std::shared_ptr<const WalkingNetwork> net,
                                           NetworkModelOptions options)
    : net_(std::move(net)), options_(options) {
  if (!net_) throw std::invalid_argument("NetworkDistanceModel needs a network");
}

NetworkNearest NetworkDistanceModel::nearest_detailed(const std::vector<XY>& demand,
                                                      const std::vector<XY>& sources,
                                                      double cutoff_m) const {
  const WalkingNetwork& net = *net_;
  const SnappedPoints src = snap_points(net, sources, options_.max_snap_m);
  const SnappedPoints dem = snap_points(net, demand, options_.max_snap_m);
  const NodeLabels L = multi_source_search(net, src.snaps, cutoff_m);
  const auto src_on_edge = by_edge(src.snaps);

  NetworkNearest r;
  r.distance_m.assign(demand.size(), kInf);
  r.source.assign(demand.size(), -1);
  r.unsnapped_demand = dem.unsnapped;
  r.unsnapped_sources = src.unsnapped;
  for (std::size_t k = 0; k < demand.size(); ++k) {
    if (!dem.snaps[k]) continue;
    const EdgeSnap& p = *dem.snaps[k];
    const auto& e = net.edges()[p.edge];
    float best = kInf;
    std::int32_t who = -1;
    const float via_u = L.distance_m[e.u] + p.along_m;
    const float via_v = L.distance_m[e.v] + (e.length_m - p.along_m);
    if (via_u <= via_v && L.source[e.u] >= 0) {
      best = via_u, who = L.source[e.u];
    } else if (L.source[e.v] >= 0) {
      best = via_v, who = L.source[e.v];
    }
    best += p.offset_m;
    // A source on the same edge may be closer directly than around through either end.
    const auto [lo, hi] = on_edge(src_on_edge, p.edge);
    for (auto it = lo; it != hi; ++it) {
      const float d = along_same_edge(*src.snaps[it->second], p);
      if (d < best || (d == best && static_cast<std::int32_t>(it->second) < who)) {
        best = d, who = static_cast<std::int32_t>(it->second);
      }
    }
    if (who >= 0 && within_walk(best, cutoff_m)) {
      r.distance_m[k] = best;
      r.source[k] = who;
    }
  }
  return r;
}

const DetourReport& NetworkDistanceModel::detour() const {
  std::call_once(detour_once_, [this] { detour_ = detour_report(*net_); });
  return detour_;
}

std::optional<double> NetworkDistanceModel::measured_detour() const {
  const DetourReport& r = detour();
  if (r.pairs == 0) return std::nullopt;
  return r.median;
}

std::vector<std::uint32_t> NetworkDistanceModel::unplaced(const std::vector<XY>& demand) const {
  return snap_points(*net_, demand, options_.max_snap_m).unsnapped;
}

NearestResult NetworkDistanceModel::nearest(const std::vector<XY>& demand,
                                            const std::vector<XY>& sources, double cutoff_m) const {
  NetworkNearest d = nearest_detailed(demand, sources, cutoff_m);
  NearestResult r;
  r.distance_m = std::move(d.distance_m);
  r.source = std::move(d.source);
  return r;
}

std::vector<std::vector<std::uint32_t>> NetworkDistanceModel::within(const std::vector<XY>& demand,
                                                                     const std::vector<XY>& sources,
                                                                     double cutoff_m) const {
  const WalkingNetwork& net = *net_;
  const std::size_t n = net.node_count();
  const SnappedPoints src = snap_points(net, sources, options_.max_snap_m);
  const SnappedPoints dem = snap_points(net, demand, options_.max_snap_m);
  const auto dem_on_edge = by_edge(dem.snaps);

  // Demand points hung on both end nodes of their edge (CSR), so settling a node finds them.
  std::vector<std::uint32_t> at_off(n + 1, 0), at;
  for (const auto& s : dem.snaps) {
    if (!s) continue;
    ++at_off[net.edges()[s->edge].u + 1];
    ++at_off[net.edges()[s->edge].v + 1];
  }
  for (std::size_t i = 0; i < n; ++i) at_off[i + 1] += at_off[i];
  at.resize(at_off[n]);
  {
    std::vector<std::uint32_t> fill(at_off.begin(), at_off.end() - 1);
    for (std::uint32_t k = 0; k < dem.snaps.size(); ++k) {
      if (!dem.snaps[k]) continue;
      const auto& e = net.edges()[dem.snaps[k]->edge];
      at[fill[e.u]++] = k;
      at[fill[e.v]++] = k;
    }
  }

  // Scratch reused across sources; only touched entries are reset.
  std::vector<float> dist(n, kInf);
  std::vector<std::uint32_t> touched;
  std::vector<float> best(demand.size(), kInf);
  std::vector<std::uint32_t> hit;
  MinHeap heap;
  const auto& off = net.offsets();
  const auto& tgt = net.targets();
  const auto& len = net.arc_lengths();

  std::vector<std::vector<std::uint32_t>> out(sources.size());
  for (std::size_t j = 0; j < sources.size(); ++j) {
    if (!src.snaps[j]) continue;
    const EdgeSnap& s = *src.snaps[j];
    auto relax = [&](std::uint32_t node, float d) {
      if (d <= cutoff_m && d < dist[node]) {
        if (dist[node] == kInf) touched.push_back(node);
        dist[node] = d;
        heap.push(pack(d, node));
      }
    };
    auto offer = [&](std::uint32_t k, float d) {
      if (!within_walk(d, cutoff_m) || d >= best[k]) return;
      if (best[k] == kInf) hit.push_back(k);
      best[k] = d;
    };
    const auto& se = net.edges()[s.edge];
    relax(se.u, s.offset_m + s.along_m);
    relax(se.v, s.offset_m + (se.length_m - s.along_m));
    while (!heap.empty()) {
      const float d = key_distance(heap.top());
      const std::uint32_t x = key_node(heap.top());
      heap.pop();
      if (d > dist[x]) continue;
      for (std::uint32_t i = at_off[x]; i < at_off[x + 1]; ++i) {
        const EdgeSnap& p = *dem.snaps[at[i]];
        const auto& e = net.edges()[p.edge];
        offer(at[i], d + (x == e.u ? p.along_m : e.length_m - p.along_m) + p.offset_m);
      }
      for (std::uint32_t a = off[x]; a < off[x + 1]; ++a) relax(tgt[a], d + len[a]);
    }
    const auto [lo, hi] = on_edge(dem_on_edge, s.edge);
    for (auto it = lo; it != hi; ++it)
      offer(it->second, along_same_edge(s, *dem.snaps[it->second]));

    std::sort(hit.begin(), hit.end());
    out[j] = hit;
    for (std::uint32_t k : hit) best[k] = kInf;
    hit.clear();
    for (std::uint32_t v : touched) dist[v] = kInf;
    touched.clear();
  }
  return out;
}

}  // namespace lifecircle
