// Pedestrian rules and graph building: duplicate segments, connected components, CSR.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <unordered_map>

#include "lifecircle/geometry.hpp"
#include "lifecircle/network.hpp"

namespace lifecircle {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool foot_allowed(std::string_view foot) {
  return foot == "yes" || foot == "designated" || foot == "permissive";
}

// Union-find over node indices, for connected components.
struct Components {
  std::vector<std::uint32_t> parent;
  explicit Components(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
  std::uint32_t find(std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void join(std::uint32_t a, std::uint32_t b) {
    a = find(a), b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

}  // namespace

std::string_view to_string(WalkRule r) {
  switch (r) {
    case WalkRule::kept:
      return "kept";
    case WalkRule::not_highway:
      return "not_highway";
    case WalkRule::excluded_class:
      return "excluded_class";
    case WalkRule::foot_no:
      return "foot_no";
    case WalkRule::no_access:
      return "no_access";
  }
  return "unknown";
}

WalkRule classify_way(std::string_view highway, std::string_view foot, std::string_view access) {
  if (highway.empty()) return WalkRule::not_highway;
  if (foot == "no") return WalkRule::foot_no;
  // Motorways are closed to pedestrians by law whatever the tags say.
  if (highway == "motorway" || highway == "motorway_link") return WalkRule::excluded_class;
  if ((access == "no") && !foot_allowed(foot)) return WalkRule::no_access;
  static constexpr std::string_view kWalkable[] = {
      "footway", "path",         "pedestrian", "steps",     "living_street", "residential",
      "service", "unclassified", "tertiary",   "secondary", "primary",       "trunk"};
  std::string_view base = highway;
  if (ends_with(base, "_link")) base = base.substr(0, base.size() - 5);
  for (const auto k : kWalkable) {
    if (base == k) return WalkRule::kept;
  }
  // Tracks, cycleways, bridleways and the like are walkable only when tagged so.
  return foot_allowed(foot) ? WalkRule::kept : WalkRule::excluded_class;
}

std::optional<std::uint32_t> WalkingNetwork::node_by_id(std::int64_t id) const {
  const auto it = std::find(ids_.begin(), ids_.end(), id);
  if (it == ids_.end()) return std::nullopt;
  return static_cast<std::uint32_t>(it - ids_.begin());
}

std::shared_ptr<const WalkingNetwork> WalkingNetwork::build(NetworkInput in,
                                                            const NetworkBuildOptions& options) {
  if (in.segments.empty()) throw std::invalid_argument(in.source + ": no walkable segments");
  std::shared_ptr<WalkingNetwork> net(new WalkingNetwork());
  NetworkStats& st = net->stats_;
  st.source = in.source;
  st.ways_read = in.ways_read;
  st.ways_kept = in.ways_kept;
  st.ways_excluded = in.ways_excluded;
  st.input_vertices = in.vertices.size();
  st.input_segments = in.segments.size();

  // Undirected segments keyed by (low, high); the same pair twice (OSMnx writes two-way
  // streets as A-B-A) keeps the shorter length, which for straight segments is the same.
  struct Seg {
    std::uint32_t a, b;
    double len;
  };
  std::vector<Seg> segs;
  segs.reserve(in.segments.size());
  for (const auto& s : in.segments) {
    if (s[0] >= in.vertices.size() || s[1] >= in.vertices.size())
      throw std::invalid_argument(in.source + ": segment refers to a missing vertex");
    if (s[0] == s[1]) {
      ++st.zero_length_segments;
      continue;
    }
    const double len = distance(in.vertices[s[0]], in.vertices[s[1]]);
    segs.push_back({std::min(s[0], s[1]), std::max(s[0], s[1]), len});
  }
  std::sort(segs.begin(), segs.end(), [](const Seg& x, const Seg& y) {
    return x.a != y.a ? x.a < y.a : x.b != y.b ? x.b < y.b : x.len < y.len;
  });
  std::size_t w = 0;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    if (w > 0 && segs[w - 1].a == segs[i].a && segs[w - 1].b == segs[i].b) {
      ++st.duplicate_segments;
      continue;
    }
    segs[w++] = segs[i];
  }
  segs.resize(w);
  if (segs.empty()) throw std::invalid_argument(in.source + ": no walkable segments");

  // Components over the vertices that carry a segment.
  const std::size_t nv = in.vertices.size();
  Components uf(nv);
  std::vector<char> used(nv, 0);
  for (const auto& s : segs) {
    uf.join(s.a, s.b);
    used[s.a] = used[s.b] = 1;
  }
  std::unordered_map<std::uint32_t, std::size_t> comp_of_root;
  std::vector<NetworkComponent> comps;
  std::vector<std::uint32_t> roots;
  for (std::uint32_t v = 0; v < nv; ++v) {
    if (!used[v]) continue;
    const std::uint32_t r = uf.find(v);
    auto [it, fresh] = comp_of_root.emplace(r, comps.size());
    if (fresh) {
      comps.push_back({});
      comps.back().example = in.vertices[v];
      roots.push_back(r);
    }
    ++comps[it->second].nodes;
  }
  for (const auto& s : segs) {
    auto& c = comps[comp_of_root[uf.find(s.a)]];
    ++c.edges;
    c.length_m += s.len;
  }
  std::vector<std::size_t> order(comps.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    return comps[x].nodes != comps[y].nodes ? comps[x].nodes > comps[y].nodes
                                            : comps[x].length_m > comps[y].length_m;
  });
  for (std::size_t i : order) st.components.push_back(comps[i]);
  const std::uint32_t keep_root = roots[order.front()];

  // Renumber kept vertices densely, in input order, so node order follows the source.
  std::vector<std::uint32_t> new_id(nv, UINT32_MAX);
  for (std::uint32_t v = 0; v < nv; ++v) {
    if (!used[v]) continue;
    if (options.keep_largest_component && uf.find(v) != keep_root) {
      ++st.dropped_nodes;
      continue;
    }
    new_id[v] = static_cast<std::uint32_t>(net->xy_.size());
    net->xy_.push_back(in.vertices[v]);
    if (!in.vertex_ids.empty()) net->ids_.push_back(in.vertex_ids[v]);
  }
  const std::size_t n = net->xy_.size();
  std::vector<std::uint32_t> degree(n, 0);
  for (const auto& s : segs) {
    if (new_id[s.a] == UINT32_MAX) {
      ++st.dropped_edges;
      continue;
    }
    const Edge e{new_id[s.a], new_id[s.b], static_cast<float>(s.len)};
    net->edges_.push_back(e);
    ++degree[e.u];
    ++degree[e.v];
    st.total_length_m += s.len;
  }
  net->offsets_.assign(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) net->offsets_[i + 1] = net->offsets_[i] + degree[i];
  net->targets_.resize(net->offsets_[n]);
  net->arc_len_.resize(net->offsets_[n]);
  std::vector<std::uint32_t> fill(net->offsets_.begin(), net->offsets_.end() - 1);
  for (const auto& e : net->edges_) {
    net->targets_[fill[e.u]] = e.v;
    net->arc_len_[fill[e.u]++] = e.length_m;
    net->targets_[fill[e.v]] = e.u;
    net->arc_len_[fill[e.v]++] = e.length_m;
  }
  st.nodes = n;
  st.edges = net->edges_.size();
  net->build_index();
  return net;
}

}  // namespace lifecircle
