// The walking network: a pedestrian graph built from OpenStreetMap or a line layer, points
// snapped onto its edges, one multi-source shortest-path search with a cutoff, and the
// DistanceModel that lets coverage and siting use walking distance (mode=network).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lifecircle/crs.hpp"
#include "lifecircle/distance.hpp"
#include "lifecircle/loader.hpp"
#include "lifecircle/manifest.hpp"
#include "lifecircle/types.hpp"
#include "lifecircle/validation.hpp"

namespace lifecircle {

// ---------------------------------------------------------------------------------------------
// Which ways a pedestrian may use.

enum class WalkRule {
  kept,            // a walkable class, or any highway explicitly open to foot traffic
  not_highway,     // no highway tag (or an empty one)
  excluded_class,  // motorway(_link), or a class not in the walkable list (e.g. construction)
  foot_no,         // foot=no
  no_access,       // access=no without foot=yes/designated/permissive
};
std::string_view to_string(WalkRule r);

// The rule for one OSM way (or a line feature carrying the same attributes). Kept classes:
// footway, path, pedestrian, steps, living_street, residential, service, unclassified,
// tertiary, secondary, primary, trunk and their _link roads. One-way tags are ignored on
// purpose: a pedestrian walks a one-way street in both directions.
WalkRule classify_way(std::string_view highway, std::string_view foot, std::string_view access);

// ---------------------------------------------------------------------------------------------
// Graph input and the built graph.

// Lines before graph building, already in the metric CRS. Vertices shared by two lines are
// the same index (OSM node, or equal coordinates in a line layer): that is what connects them.
struct NetworkInput {
  std::string source;                    // file or connection, for reports
  std::vector<XY> vertices;              // metric CRS
  std::vector<std::int64_t> vertex_ids;  // OSM node id per vertex; empty for line layers
  std::vector<std::array<std::uint32_t, 2>> segments;  // consecutive vertices of kept lines
  std::size_t ways_read = 0;
  std::size_t ways_kept = 0;
  std::map<std::string, std::size_t> ways_excluded;  // WalkRule name -> count
};

struct NetworkBuildOptions {
  // Keep only the largest connected component. Smaller pieces (parking aisles, a road cut by
  // the extract's edge) are reported in NetworkStats::components and dropped, so a facility
  // never snaps onto an island it cannot walk out of.
  bool keep_largest_component = true;
};

struct NetworkComponent {
  std::size_t nodes = 0;
  std::size_t edges = 0;
  double length_m = 0;
  XY example;  // one node of the component, to find it on a map
};

struct NetworkStats {
  std::string source;
  std::size_t ways_read = 0;
  std::size_t ways_kept = 0;
  std::map<std::string, std::size_t> ways_excluded;
  std::size_t input_vertices = 0;
  std::size_t input_segments = 0;
  std::size_t duplicate_segments = 0;  // the same pair of nodes twice (e.g. both directions)
  std::size_t zero_length_segments = 0;
  std::vector<NetworkComponent> components;  // every component, largest first
  std::size_t nodes = 0;                     // in the built graph
  std::size_t edges = 0;                     // undirected
  double total_length_m = 0;
  std::size_t dropped_nodes = 0;  // outside the kept component
  std::size_t dropped_edges = 0;
};

// Where a point lands on the network: the foot of the perpendicular on the nearest edge.
struct EdgeSnap {
  std::uint32_t edge = 0;  // index into WalkingNetwork::edges()
  float along_m = 0;       // metres from the edge's u end; (length - along_m) from its v end
  float offset_m = 0;      // straight-line metres from the point to the edge, added to the walk
  XY point;                // the snapped position
};

// An undirected pedestrian graph in compressed sparse row form (each edge appears as two
// arcs), node coordinates in metres, and an R-tree over edges for snapping. Immutable after
// build, so any number of threads may search it at once.
class WalkingNetwork {
 public:
  struct Edge {
    std::uint32_t u = 0;
    std::uint32_t v = 0;
    float length_m = 0;
  };

  // Builds the graph: drops duplicate and zero-length segments, finds connected components
  // and (by default) keeps the largest. Throws std::invalid_argument on an empty input.
  static std::shared_ptr<const WalkingNetwork> build(NetworkInput input,
                                                     const NetworkBuildOptions& options = {});
  ~WalkingNetwork();
  WalkingNetwork(const WalkingNetwork&) = delete;
  WalkingNetwork& operator=(const WalkingNetwork&) = delete;

  std::size_t node_count() const { return xy_.size(); }
  std::size_t edge_count() const { return edges_.size(); }
  const std::vector<XY>& nodes() const { return xy_; }
  // Source ids (OSM node ids) per node; empty for line layers.
  const std::vector<std::int64_t>& node_ids() const { return ids_; }
  std::optional<std::uint32_t> node_by_id(std::int64_t id) const;
  const std::vector<Edge>& edges() const { return edges_; }
  // CSR: the arcs of node n are [offsets()[n], offsets()[n + 1]).
  const std::vector<std::uint32_t>& offsets() const { return offsets_; }
  const std::vector<std::uint32_t>& targets() const { return targets_; }
  const std::vector<float>& arc_lengths() const { return arc_len_; }
  const NetworkStats& stats() const { return stats_; }
  // Bytes held by the graph arrays and the snapping index (an estimate for the R-tree).
  std::size_t memory_bytes() const;

  // The nearest edge within max_snap_m, or nullopt when none is that close.
  std::optional<EdgeSnap> snap(XY p, double max_snap_m) const;

 private:
  WalkingNetwork();
  void build_index();  // snap.cpp: the only translation unit that includes Boost.Geometry
  std::vector<XY> xy_;
  std::vector<std::int64_t> ids_;
  std::vector<Edge> edges_;
  std::vector<std::uint32_t> offsets_;
  std::vector<std::uint32_t> targets_;
  std::vector<float> arc_len_;
  NetworkStats stats_;
  struct SegmentIndex;  // Boost.Geometry R-tree, kept out of this header
  std::unique_ptr<SegmentIndex> index_;
};

// ---------------------------------------------------------------------------------------------
// Loading.

// True when the path names an OpenStreetMap file (.osm, .osm.pbf, .pbf, .osm.gz, .osm.bz2).
bool is_osm_path(const std::string& path);
// Reads ways and their nodes with libosmium and keeps the walkable ones. Throws
// std::runtime_error naming the file when it cannot be read.
NetworkInput read_osm_network(const std::string& path, const MetricProjection& metric);
// Reads (Multi)LineStrings of any GDAL vector source (GeoJSON, GeoPackage, PostGIS). When the
// layer has highway/foot/access fields (or fields mapped to those names) the walk rule is
// applied; otherwise every line is kept. Line vertices with equal coordinates (to 1 cm) are
// joined; crossing lines without a shared vertex are not (bridges stay bridges). Problems
// (unreadable geometry, no layer) go to `report` with their feature.
NetworkInput read_line_network(const LayerSource& layer, const MetricProjection& metric,
                               ValidationReport& report);

// Reads the manifest's network layer (OSM or lines) and builds the graph. On failure adds an
// error with code "network_unreadable" or "network_empty" to `report` and returns null.
// Dropped components become a warning "network_components".
std::shared_ptr<const WalkingNetwork> load_network(const LayerSource& layer,
                                                   const std::string& metric_crs,
                                                   ValidationReport& report,
                                                   const NetworkBuildOptions& options = {});

// ---------------------------------------------------------------------------------------------
// Searching.

// Per node: metres to the nearest source within the cutoff (+inf beyond), and which source.
struct NodeLabels {
  std::vector<float> distance_m;
  std::vector<std::int32_t> source;
};

// Snaps each point; points farther than max_snap_m from every edge get nullopt and are listed.
struct SnappedPoints {
  std::vector<std::optional<EdgeSnap>> snaps;
  std::vector<std::uint32_t> unsnapped;  // indices into the input, ascending
};
SnappedPoints snap_points(const WalkingNetwork& net, const std::vector<XY>& points,
                          double max_snap_m);

// One Dijkstra from every source at once (each enters at its snapped position, carrying its
// snap offset), labelling every node with the distance to the nearest source, up to cutoff_m.
NodeLabels multi_source_search(const WalkingNetwork& net,
                               const std::vector<std::optional<EdgeSnap>>& sources,
                               double cutoff_m);

// Walking metres from a labelled network to a snapped point: the better of its edge's two
// ends, or a source on the same edge directly. +inf beyond the cutoff.
struct NetworkNearest : NearestResult {
  std::vector<std::uint32_t> unsnapped_demand;   // farther than max_snap_m: distance +inf
  std::vector<std::uint32_t> unsnapped_sources;  // farther than max_snap_m: never reached
};

struct NetworkModelOptions {
  double max_snap_m = 300;  // points farther from every edge are reported, never guessed
  // Half-width of the band around each reached street that a reach area (service-area polygon,
  // area coverage) counts as reached: the frontage a resident steps onto the street from.
  double reach_band_m = 50;
};

struct DetourOptions {
  std::size_t origins = 100;  // random origin nodes, one Dijkstra each
  std::size_t per_origin = 10;
  double min_straight_m = 200;  // shorter pairs are dominated by where the node happens to sit
  double max_straight_m = 2000;
  std::uint64_t seed = 1;
};

struct DetourReport {
  std::size_t pairs = 0;
  std::size_t unreachable = 0;  // pairs with no path (only when components were kept)
  double median = 0, p25 = 0, p75 = 0, mean = 0;
  double min_straight_m = 0, max_straight_m = 0;
};

// DistanceModel over a walking network. Every call uses its own scratch buffers, so one model
// can serve concurrent requests.
class NetworkDistanceModel : public DistanceModel {
 public:
  explicit NetworkDistanceModel(std::shared_ptr<const WalkingNetwork> net,
                                NetworkModelOptions options = {});
  std::string_view mode() const override { return "network"; }
  NearestResult nearest(const std::vector<XY>& demand, const std::vector<XY>& sources,
                        double cutoff_m) const override;
  std::vector<std::vector<std::uint32_t>> within(const std::vector<XY>& demand,
                                                 const std::vector<XY>& sources,
                                                 double cutoff_m) const override;
  // Bands of reach_band_m along the reached parts of the streets (sources farther than
  // max_snap_m from every street reach nothing).
  std::vector<Capsule> reach(const std::vector<XY>& sources, double walk_m) const override;
  std::vector<std::uint32_t> unplaced(const std::vector<XY>& demand) const override;
  std::optional<double> max_snap_m() const override { return options_.max_snap_m; }
  // Computed on first use (one detour_report with its default sample), then kept.
  std::optional<double> measured_detour() const override;
  const DetourReport& detour() const;
  // nearest() plus the points that could not be snapped.
  NetworkNearest nearest_detailed(const std::vector<XY>& demand, const std::vector<XY>& sources,
                                  double cutoff_m) const;

  const WalkingNetwork& network() const { return *net_; }
  const NetworkModelOptions& options() const { return options_; }

 private:
  std::shared_ptr<const WalkingNetwork> net_;
  NetworkModelOptions options_;
  mutable std::once_flag detour_once_;
  mutable DetourReport detour_;
};

// load_network wrapped in a NetworkDistanceModel; null when the network cannot be loaded.
std::unique_ptr<NetworkDistanceModel> load_network_model(const LayerSource& layer,
                                                         const std::string& metric_crs,
                                                         ValidationReport& report,
                                                         NetworkModelOptions options = {});

// Loader options that read a manifest's `network` layer into the dataset with
// load_network_model, so every command and the server load the network the same way.
LoadOptions network_load_options();

// ---------------------------------------------------------------------------------------------
// Display and calibration.

struct ServiceAreaOptions {
  double buffer_m = 50;   // half-width of the band drawn around each reached piece of street
  double simplify_m = 5;  // Douglas-Peucker tolerance of the dissolved polygon
  double max_snap_m = 300;
  int quadsegs = 4;
};

// The reached parts of edges within cutoff_m of the sources, as segments in the metric CRS
// (whole edges, and the partial stretch where the walk runs out mid-edge).
std::vector<std::array<XY, 2>> reached_segments(const WalkingNetwork& net,
                                                const std::vector<std::optional<EdgeSnap>>& sources,
                                                const NodeLabels& labels, double cutoff_m);
// Buffered, dissolved, simplified reached streets: a display polygon that never covers land
// farther than buffer_m from a street the walk reaches.
MultiPolygonXY service_area(const WalkingNetwork& net, const std::vector<XY>& sources,
                            double cutoff_m, const ServiceAreaOptions& options = {});

// Network distance / straight-line distance over random node pairs with a straight-line
// distance in [min_straight_m, max_straight_m]: the factor a straight-line fallback divides by.
DetourReport detour_report(const WalkingNetwork& net, const DetourOptions& options = {});

}  // namespace lifecircle
