// The walking network on graphs whose answers are known on paper: a 5 x 5 street grid with
// 100 m blocks built directly in metres, and small hand-written OSM / GeoJSON fixtures.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "lifecircle/crs.hpp"
#include "lifecircle/geometry.hpp"
#include "lifecircle/network.hpp"

namespace lifecircle {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
const std::string kData = std::string(LIFECIRCLE_TEST_DATA) + "/network/";

// Nodes (c, r) at (100c, 100r) for c, r in 0..4, index 5r + c; every neighbour joined.
// `island` adds a separate 100 m street far to the east.
NetworkInput grid_input(bool island = false) {
  NetworkInput in;
  in.source = "grid";
  for (int r = 0; r < 5; ++r)
    for (int c = 0; c < 5; ++c) in.vertices.push_back({100.0 * c, 100.0 * r});
  for (std::uint32_t r = 0; r < 5; ++r)
    for (std::uint32_t c = 0; c < 5; ++c) {
      if (c < 4) in.segments.push_back({5 * r + c, 5 * r + c + 1});
      if (r < 4) in.segments.push_back({5 * r + c, 5 * (r + 1) + c});
    }
  if (island) {
    in.vertices.push_back({2000, 0});
    in.vertices.push_back({2100, 0});
    in.segments.push_back({25, 26});
  }
  return in;
}

std::shared_ptr<const WalkingNetwork> grid(bool island = false) {
  return WalkingNetwork::build(grid_input(island));
}

TEST(WalkRule, KeepsWalkableClassesAndExcludesMotorwaysAndClosedWays) {
  EXPECT_EQ(classify_way("residential", "", ""), WalkRule::kept);
  EXPECT_EQ(classify_way("footway", "", ""), WalkRule::kept);
  EXPECT_EQ(classify_way("trunk_link", "", ""), WalkRule::kept);
  EXPECT_EQ(classify_way("living_street", "", ""), WalkRule::kept);
  EXPECT_EQ(classify_way("motorway", "", ""), WalkRule::excluded_class);
  EXPECT_EQ(classify_way("motorway_link", "yes", ""), WalkRule::excluded_class);
  EXPECT_EQ(classify_way("primary", "no", ""), WalkRule::foot_no);
  EXPECT_EQ(classify_way("service", "", "no"), WalkRule::no_access);
  EXPECT_EQ(classify_way("service", "yes", "no"), WalkRule::kept);
  EXPECT_EQ(classify_way("cycleway", "", ""), WalkRule::excluded_class);
  EXPECT_EQ(classify_way("cycleway", "designated", ""), WalkRule::kept);
  EXPECT_EQ(classify_way("", "yes", ""), WalkRule::not_highway);
}

TEST(Graph, GridHasTwentyFiveNodesAndFortyEdgesInCsr) {
  const auto net = grid();
  EXPECT_EQ(net->node_count(), 25u);
  EXPECT_EQ(net->edge_count(), 40u);
  EXPECT_EQ(net->targets().size(), 80u);  // each street both ways
  EXPECT_EQ(net->offsets().back(), 80u);
  // Corner node 0 has two neighbours, centre node 12 four.
  EXPECT_EQ(net->offsets()[1] - net->offsets()[0], 2u);
  EXPECT_EQ(net->offsets()[13] - net->offsets()[12], 4u);
  for (float l : net->arc_lengths()) EXPECT_FLOAT_EQ(l, 100.f);
  EXPECT_EQ(net->stats().components.size(), 1u);
}

TEST(Graph, DuplicateAndReversedSegmentsCollapse) {
  NetworkInput in = grid_input();
  in.segments.push_back({1, 0});  // OSMnx writes a two-way street as A-B-A
  in.segments.push_back({0, 1});
  in.segments.push_back({3, 3});
  const auto net = WalkingNetwork::build(std::move(in));
  EXPECT_EQ(net->edge_count(), 40u);
  EXPECT_EQ(net->stats().duplicate_segments, 2u);
  EXPECT_EQ(net->stats().zero_length_segments, 1u);
}

TEST(Graph, DisconnectedComponentIsReportedAndDropped) {
  const auto net = grid(/*island=*/true);
  const NetworkStats& st = net->stats();
  ASSERT_EQ(st.components.size(), 2u);
  EXPECT_EQ(st.components[0].nodes, 25u);
  EXPECT_EQ(st.components[1].nodes, 2u);
  EXPECT_DOUBLE_EQ(st.components[1].length_m, 100.0);
  EXPECT_EQ(st.dropped_nodes, 2u);
  EXPECT_EQ(st.dropped_edges, 1u);
  EXPECT_EQ(net->node_count(), 25u);
  // A point on the island is 1.6 km from the kept grid: reported, not snapped there.
  const NetworkDistanceModel model(net, {300});
  const auto r = model.nearest_detailed({{2050, 0}}, {{0, 0}}, 10000);
  EXPECT_EQ(r.unsnapped_demand, std::vector<std::uint32_t>{0});
  EXPECT_EQ(r.distance_m[0], kInf);
  EXPECT_EQ(r.source[0], -1);

  NetworkBuildOptions keep_all;
  keep_all.keep_largest_component = false;
  EXPECT_EQ(WalkingNetwork::build(grid_input(true), keep_all)->node_count(), 27u);
}

TEST(Search, FromACornerEveryNodeIsItsManhattanDistance) {
  const auto net = grid();
  const auto snapped = snap_points(*net, {{0, 0}}, 1);
  const NodeLabels L = multi_source_search(*net, snapped.snaps, 10000);
  for (int r = 0; r < 5; ++r)
    for (int c = 0; c < 5; ++c) {
      EXPECT_FLOAT_EQ(L.distance_m[5 * r + c], 100.f * (c + r)) << c << "," << r;
      EXPECT_EQ(L.source[5 * r + c], 0);
    }
}

TEST(Snap, PointBesideAnEdgeLandsOnTheSegmentNotTheNearestNode) {
  const auto net = grid();
  // 20 m south of the middle of the street from (0,0) to (100,0).
  const auto s = net->snap({50, -20}, 300);
  ASSERT_TRUE(s);
  const auto& e = net->edges()[s->edge];
  EXPECT_EQ(std::min(e.u, e.v), 0u);
  EXPECT_EQ(std::max(e.u, e.v), 1u);
  EXPECT_NEAR(s->offset_m, 20.0, 1e-4);
  EXPECT_NEAR(s->along_m, 50.0, 1e-4);
  EXPECT_NEAR(s->point.x, 50.0, 1e-9);
  EXPECT_NEAR(s->point.y, 0.0, 1e-9);
  // Past the end of the street the foot of the perpendicular is clamped to the node.
  const auto end = net->snap({-30, -40}, 300);
  ASSERT_TRUE(end);
  EXPECT_NEAR(end->offset_m, 50.0, 1e-4);
  EXPECT_FALSE(net->snap({-300, -400}, 300));  // 500 m away
}

TEST(Search, MidEdgeSourceReachesMidEdgeDemandWithBothSnapOffsets) {
  const auto net = grid();
  const NetworkDistanceModel model(net);
  // Source 20 m off the middle of (0,0)-(100,0); demand 10 m off the middle of
  // (400,300)-(400,400). Walk: 20 + 50 to (100,0), 300 east + 300 north to (400,300),
  // 50 up the last street, 10 to the door = 730 m.
  const auto r = model.nearest({{410, 350}}, {{50, -20}}, 2000);
  EXPECT_NEAR(r.distance_m[0], 730.0, 1e-3);
  EXPECT_EQ(r.source[0], 0);
  // 729 m cutoff: one metre short.
  EXPECT_EQ(model.nearest({{410, 350}}, {{50, -20}}, 729).distance_m[0], kInf);
}

TEST(Search, DemandAndSourceOnTheSameEdgeWalkAlongIt) {
  const auto net = grid();
  const NetworkDistanceModel model(net);
  // Both on (0,0)-(100,0): 5 m + 50 m along + 5 m, not round through the nodes (35 + 20 + 10).
  const auto r = model.nearest({{80, -5}}, {{30, 5}}, 1000);
  EXPECT_NEAR(r.distance_m[0], 60.0, 1e-4);
  const auto w = model.within({{80, -5}}, {{30, 5}}, 60);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0], std::vector<std::uint32_t>{0});
  EXPECT_TRUE(model.within({{80, -5}}, {{30, 5}}, 59.9)[0].empty());
}

TEST(Search, CutoffBoundaryIsInclusiveAndExact) {
  const auto net = grid();
  const NetworkDistanceModel model(net);
  // From node (0,0): (300,0) is exactly 300 m; (310,0) 310 m; (200,200) 400 m.
  const std::vector<XY> demand{{300, 0}, {310, 0}, {200, 200}, {0, 300}};
  const auto r = model.nearest(demand, {{0, 0}}, 300);
  EXPECT_FLOAT_EQ(r.distance_m[0], 300.f);
  EXPECT_EQ(r.distance_m[1], kInf);
  EXPECT_EQ(r.distance_m[2], kInf);
  EXPECT_FLOAT_EQ(r.distance_m[3], 300.f);
  const auto w = model.within(demand, {{0, 0}}, 300);
  EXPECT_EQ(w[0], (std::vector<std::uint32_t>{0, 3}));
}

TEST(Search, NearestPicksTheCloserOfTwoSourcesAndWithinAgreesWithSingleSourceRuns) {
  const auto net = grid();
  const NetworkDistanceModel model(net);
  const std::vector<XY> sources{{0, 0}, {400, 400}};
  const std::vector<XY> demand{{100, 100}, {300, 350}, {200, 0}, {0, 400}, {1000, 1000}};
  const auto r = model.nearest_detailed(demand, sources, 500);
  EXPECT_FLOAT_EQ(r.distance_m[0], 200.f);
  EXPECT_EQ(r.source[0], 0);
  EXPECT_FLOAT_EQ(r.distance_m[1], 150.f);  // 100 west + 50 south of (400,400)
  EXPECT_EQ(r.source[1], 1);
  EXPECT_FLOAT_EQ(r.distance_m[2], 200.f);
  EXPECT_EQ(r.source[2], 0);
  EXPECT_FLOAT_EQ(r.distance_m[3], 400.f);  // a tie at 400 m: either source is right
  EXPECT_EQ(r.distance_m[4], kInf);         // 849 m from the nearest street
  EXPECT_EQ(r.unsnapped_demand, std::vector<std::uint32_t>{4});

  const auto w = model.within(demand, sources, 500);
  for (std::size_t j = 0; j < sources.size(); ++j) {
    const auto single = model.nearest(demand, {sources[j]}, 500);
    std::vector<std::uint32_t> expect;
    for (std::uint32_t k = 0; k < demand.size(); ++k)
      if (single.distance_m[k] <= 500) expect.push_back(k);
    EXPECT_EQ(w[j], expect) << "source " << j;
  }
}

TEST(Search, SourceFartherThanMaxSnapIsReportedAndReachesNothing) {
  const auto net = grid();
  const NetworkDistanceModel model(net, {100});
  const auto r = model.nearest_detailed({{0, 0}}, {{-200, 0}, {100, 0}}, 1000);
  EXPECT_EQ(r.unsnapped_sources, std::vector<std::uint32_t>{0});
  EXPECT_FLOAT_EQ(r.distance_m[0], 100.f);
  EXPECT_EQ(r.source[0], 1);
  EXPECT_TRUE(model.within({{0, 0}}, {{-200, 0}}, 1000)[0].empty());
}

TEST(ServiceArea, CoversReachedStreetsOnlyNotTheBlocksBetweenThem) {
  const auto net = grid();
  ServiceAreaOptions o;
  o.buffer_m = 10;
  o.simplify_m = 0;
  // From (0,0) with 150 m: the two streets out of the corner, and 50 m into the next four.
  const MultiPolygonXY area = service_area(*net, {{0, 0}}, 150, o);
  ASSERT_FALSE(area.empty());
  EXPECT_TRUE(contains(area, XY{145, 5}));
  EXPECT_TRUE(contains(area, XY{5, 145}));
  EXPECT_TRUE(contains(area, XY{45, 105}));
  EXPECT_TRUE(contains(area, XY{100, 45}));
  EXPECT_FALSE(contains(area, XY{100, 145}));  // 95 m up a street the walk enters for 50 m
  EXPECT_FALSE(contains(area, XY{165, 0}));    // 15 m past where the walk ends
  EXPECT_FALSE(contains(area, XY{50, 50}));    // inside the block, 50 m from any street
  EXPECT_FALSE(contains(area, XY{300, 300}));
  // Reached length 100 + 100 + 4 x 50 = 400 m of street.
  const auto snapped = snap_points(*net, {{0, 0}}, 1);
  const auto L = multi_source_search(*net, snapped.snaps, 150);
  double length = 0;
  for (const auto& s : reached_segments(*net, snapped.snaps, L, 150))
    length += distance(s[0], s[1]);
  EXPECT_NEAR(length, 400.0, 1e-6);
}

TEST(ServiceArea, SourceMidWayAlongALongEdgeReachesAlongItOnly) {
  NetworkInput in;
  in.vertices = {{0, 0}, {3000, 0}};
  in.segments = {{0, 1}};
  const auto net = WalkingNetwork::build(std::move(in));
  const auto snapped = snap_points(*net, {{1500, 0}}, 1);
  const auto L = multi_source_search(*net, snapped.snaps, 1000);
  EXPECT_EQ(L.source[0], -1);  // both ends are 1.5 km away
  const auto segs = reached_segments(*net, snapped.snaps, L, 1000);
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_NEAR(std::min(segs[0][0].x, segs[0][1].x), 500, 1e-3);
  EXPECT_NEAR(std::max(segs[0][0].x, segs[0][1].x), 2500, 1e-3);
}

// --- OpenStreetMap and GeoJSON fixtures -------------------------------------------------------

TEST(OsmReader, AppliesTheWalkRuleAndKeepsTheLargestComponent) {
  const MetricProjection metric("EPSG:32651");
  NetworkInput in = read_osm_network(kData + "rules.osm", metric);
  EXPECT_EQ(in.ways_read, 9u);
  EXPECT_EQ(in.ways_kept, 4u);
  EXPECT_EQ(in.ways_excluded["excluded_class"], 2u);  // motorway, cycleway
  EXPECT_EQ(in.ways_excluded["foot_no"], 1u);
  EXPECT_EQ(in.ways_excluded["no_access"], 1u);
  EXPECT_EQ(in.ways_excluded["not_highway"], 1u);
  const auto net = WalkingNetwork::build(std::move(in));
  EXPECT_EQ(net->stats().components.size(), 2u);  // the main piece and the X-Y island
  EXPECT_EQ(net->node_count(), 5u);               // 1, 2, 3, 4, 8
  for (std::int64_t id : {1, 2, 3, 4, 8}) EXPECT_TRUE(net->node_by_id(id)) << id;
  for (std::int64_t id : {5, 6, 7, 9, 20, 21, 30}) EXPECT_FALSE(net->node_by_id(id)) << id;
}

TEST(OsmReader, OneWayStreetIsWalkableAgainstTheTraffic) {
  const MetricProjection metric("EPSG:32651");
  const auto net = WalkingNetwork::build(read_osm_network(kData + "rules.osm", metric));
  const LonLat a{121.4700, 31.2300}, b{121.4710, 31.2300}, c{121.4720, 31.2300},
      d{121.4720, 31.2310};
  // Way 100 runs 1 -> 2 -> 3 one-way; from node 3 back to node 1 is the same walk.
  const double expect_ca = haversine_m(c, b) + haversine_m(b, a);
  const double expect_da = haversine_m(d, c) + expect_ca;
  const NetworkDistanceModel model(net);
  const XY pa = metric.forward(a), pc = metric.forward(c), pd = metric.forward(d);
  const auto from_c = model.nearest({pa}, {pc}, 5000);
  const auto from_a = model.nearest({pc, pd}, {pa}, 5000);
  // Haversine (sphere) against UTM (ellipsoid, scale 0.9999 here): well within 0.5 %.
  EXPECT_NEAR(from_c.distance_m[0], expect_ca, expect_ca * 0.005);
  EXPECT_NEAR(from_a.distance_m[0], expect_ca, expect_ca * 0.005);
  EXPECT_NEAR(from_a.distance_m[1], expect_da, expect_da * 0.005);
  EXPECT_FLOAT_EQ(from_a.distance_m[0], from_c.distance_m[0]);
}

TEST(LineReader, GeoJsonLinesJoinAtSharedVerticesAndFollowTheSameRule) {
  const MetricProjection metric("EPSG:32651");
  LayerSource src;
  src.source = src.path = kData + "lines.geojson";
  ValidationReport report;
  NetworkInput in = read_line_network(src, metric, report);
  EXPECT_EQ(in.ways_read, 6u);
  EXPECT_EQ(in.ways_excluded["excluded_class"], 1u);
  EXPECT_EQ(in.ways_excluded["foot_no"], 1u);
  EXPECT_EQ(in.ways_kept, 3u);
  ASSERT_EQ(report.warning_count(), 1u);  // the Point feature
  EXPECT_EQ(report.problems()[0].code, "network_not_a_line");
  EXPECT_EQ(report.problems()[0].feature, "#5");
  const auto net = WalkingNetwork::build(std::move(in));
  EXPECT_EQ(net->node_count(), 5u);
  EXPECT_EQ(net->stats().components.size(), 1u);
  const double expect = haversine_m({121.47, 31.23}, {121.472, 31.23}) +
                        haversine_m({121.472, 31.23}, {121.472, 31.232});
  const NetworkDistanceModel model(net);
  const auto r =
      model.nearest({metric.forward({121.472, 31.232})}, {metric.forward({121.47, 31.23})}, 5000);
  EXPECT_NEAR(r.distance_m[0], expect, expect * 0.005);
}

TEST(Load, ManifestLayerBecomesANetworkModelAndProblemsAreReported) {
  LayerSource src;
  src.source = src.path = kData + "rules.osm";
  ValidationReport report;
  const std::unique_ptr<DistanceModel> model = load_network_model(src, "EPSG:32651", report);
  ASSERT_TRUE(model);
  EXPECT_EQ(model->mode(), "network");
  EXPECT_TRUE(report.ok());
  ASSERT_EQ(report.warning_count(), 1u);
  EXPECT_EQ(report.problems()[0].code, "network_components");

  LayerSource missing;
  missing.source = missing.path = kData + "no_such_file.geojson";
  ValidationReport bad;
  EXPECT_FALSE(load_network_model(missing, "EPSG:32651", bad));
  ASSERT_EQ(bad.error_count(), 1u);
  EXPECT_EQ(bad.problems()[0].code, "network_unreadable");
  EXPECT_EQ(bad.problems()[0].layer, "network");
}

}  // namespace
}  // namespace lifecircle
