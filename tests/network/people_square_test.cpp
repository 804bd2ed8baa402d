// The real OpenStreetMap extract around People's Square (a DRIVE network exported by OSMnx:
// no footways; (c) OpenStreetMap contributors, ODbL). Expected values come from
// tests/data/network/people_square_expected.py, an independent Python reading of the same file
// (its own walk rule, haversine lengths, plain Dijkstra), not from this library.
#include <gtest/gtest.h>

#include <cmath>

#include "lifecircle/crs.hpp"
#include "lifecircle/geometry.hpp"
#include "lifecircle/network.hpp"

namespace lifecircle {
namespace {

const std::string kOsm =
    std::string(LIFECIRCLE_TEST_DATA) + "/network/people_square_drive_network.osm";

class PeopleSquare : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    metric_ = new MetricProjection("EPSG:32651");
    net_ = new std::shared_ptr<const WalkingNetwork>(
        WalkingNetwork::build(read_osm_network(kOsm, *metric_)));
  }
  static void TearDownTestSuite() {
    delete net_;
    delete metric_;
  }
  static const WalkingNetwork& net() { return **net_; }
  static std::shared_ptr<const WalkingNetwork> shared() { return *net_; }
  static XY node_xy(std::int64_t osm_id) {
    const auto n = net().node_by_id(osm_id);
    EXPECT_TRUE(n) << osm_id;
    return n ? net().nodes()[*n] : XY{};
  }
  static MetricProjection* metric_;
  static std::shared_ptr<const WalkingNetwork>* net_;
};
MetricProjection* PeopleSquare::metric_ = nullptr;
std::shared_ptr<const WalkingNetwork>* PeopleSquare::net_ = nullptr;

TEST_F(PeopleSquare, GraphMatchesAnIndependentReadingOfTheFile) {
  const NetworkStats& st = net().stats();
  // people_square_expected.py: ways kept 793 excluded 3; graph nodes 2454 edges 2580;
  // 75 components, largest 2221 nodes / 2421 edges.
  EXPECT_EQ(st.ways_read, 796u);
  EXPECT_EQ(st.ways_kept, 793u);
  EXPECT_EQ(st.ways_excluded.at("no_access"), 3u);  // three residential lanes, access=no
  EXPECT_EQ(st.nodes + st.dropped_nodes, 2454u);
  EXPECT_EQ(st.edges + st.dropped_edges, 2580u);
  EXPECT_EQ(st.components.size(), 75u);
  EXPECT_EQ(st.components[0].nodes, 2221u);
  EXPECT_EQ(net().node_count(), 2221u);
  EXPECT_EQ(net().edge_count(), 2421u);
}

struct Pair {
  std::int64_t from, to;
  double network_m;  // people_square_expected.py
};

TEST_F(PeopleSquare, NodeToNodeDistancesMatchAnIndependentDijkstra) {
  const Pair pairs[] = {{1890502958, 639308668, 2018.30},
                        {4988370714, 476548240, 1131.91},
                        {476794294, 10908242225, 1450.05},
                        {477635800, 5437083654, 1006.41}};
  const NetworkDistanceModel model(shared());
  for (const auto& p : pairs) {
    const auto r = model.nearest({node_xy(p.to)}, {node_xy(p.from)}, 5000);
    // Sphere (haversine) against UTM on the ellipsoid: agree to well under 0.5 %.
    EXPECT_NEAR(r.distance_m[0], p.network_m, p.network_m * 0.005) << p.from << " -> " << p.to;
    // The walk is symmetric: one-way streets are walked both ways.
    const auto back = model.nearest({node_xy(p.from)}, {node_xy(p.to)}, 5000);
    EXPECT_NEAR(back.distance_m[0], r.distance_m[0], 0.01);
  }
}

TEST_F(PeopleSquare, FacilityOnAOneWayStreetIsReachedAgainstTheTraffic) {
  // 昭通路 (way 39841890) is one-way from node 477647784 to node 477647749, 126.97 m. A facility
  // at the middle of it is 63.5 m from both ends on foot, though a car could not go back.
  const XY a = node_xy(477647784), b = node_xy(477647749);
  const XY mid{(a.x + b.x) / 2, (a.y + b.y) / 2};
  const NetworkDistanceModel model(shared());
  const auto r = model.nearest({a, b}, {mid}, 1000);
  const double half = 126.97 / 2;
  EXPECT_NEAR(r.distance_m[0], half, half * 0.005);
  EXPECT_NEAR(r.distance_m[1], half, half * 0.005);
}

TEST_F(PeopleSquare, PointsSnapOntoTheNearestStreetSegment) {
  // 15 m north-west of the middle of 昭通路, perpendicular to it.
  const XY a = node_xy(477647784), b = node_xy(477647749);
  const double len = distance(a, b);
  const XY mid{(a.x + b.x) / 2, (a.y + b.y) / 2};
  const XY normal{-(b.y - a.y) / len, (b.x - a.x) / len};
  const XY p{mid.x + 15 * normal.x, mid.y + 15 * normal.y};
  const auto s = net().snap(p, 300);
  ASSERT_TRUE(s);
  EXPECT_NEAR(s->offset_m, 15.0, 0.01);
  EXPECT_NEAR(s->point.x, mid.x, 0.01);
  EXPECT_NEAR(s->point.y, mid.y, 0.01);
  const auto& e = net().edges()[s->edge];
  const auto ia = *net().node_by_id(477647784), ib = *net().node_by_id(477647749);
  EXPECT_TRUE((e.u == ia && e.v == ib) || (e.u == ib && e.v == ia));
  EXPECT_NEAR(s->along_m, len / 2, 0.01);

  // The Huangpu riverbank east of the Bund and open fields far outside the extract.
  const NetworkDistanceModel model(shared());
  const XY far = metric_->forward({121.530, 31.230});  // about 4 km east of the extract
  const auto r = model.nearest_detailed({far, p}, {mid}, 1000);
  EXPECT_EQ(r.unsnapped_demand, std::vector<std::uint32_t>{0});
  EXPECT_TRUE(std::isinf(r.distance_m[0]));
  EXPECT_NEAR(r.distance_m[1], 15.0, 0.01);  // same edge, same spot: only the snap offset
}

TEST_F(PeopleSquare, DetourFactorIsAboveOneAndPlausibleForACityCentre) {
  const DetourReport d = detour_report(net());
  EXPECT_GT(d.pairs, 500u);
  EXPECT_GE(d.p25, 1.0);  // a network walk is never shorter than the straight line
  EXPECT_GT(d.median, 1.0);
  EXPECT_LT(d.median, 2.0);
  EXPECT_LE(d.p25, d.median);
  EXPECT_LE(d.median, d.p75);
}

TEST_F(PeopleSquare, ServiceAreaIsAValidPolygonAroundReachedStreetsOnly) {
  const XY a = node_xy(477647784);
  ServiceAreaOptions o;
  const MultiPolygonXY area = service_area(net(), {a}, 500, o);
  ASSERT_FALSE(area.empty());
  EXPECT_TRUE(contains(area, a));
  // Every vertex of the polygon lies within buffer + simplify tolerance of a reached street:
  // check that none is farther than that from the network at all.
  for (const auto& poly : area)
    for (const auto& v : poly.rings[0]) {
      const auto s = net().snap(v, 1e9);
      ASSERT_TRUE(s);
      EXPECT_LE(s->offset_m, o.buffer_m + o.simplify_m + 0.5);
    }
  // Nothing of it is 600 m of straight line away (the walk is 500 m).
  for (const auto& poly : area)
    for (const auto& v : poly.rings[0]) EXPECT_LE(distance(v, a), 500 + o.buffer_m + 1);
}

}  // namespace
}  // namespace lifecircle
