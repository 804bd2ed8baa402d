// mode=network end to end: a manifest that names a walking network (the People's Square OSM
// extract) loads it into the dataset version, and coverage, the CLI's loader path and the HTTP
// API answer with walking distances. Expected values follow from the triangle inequality: a
// walk (snap + path + snap) is never shorter than the straight line between its ends.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <queue>

#include "lifecircle/analysis_json.hpp"

#include "lifecircle/analyzer.hpp"
#include "lifecircle/geometry.hpp"
#include "lifecircle/loader.hpp"
#include "lifecircle/network.hpp"
#include "lifecircle/server.hpp"
#include "server/http_client.hpp"
#include "support/served_dataset.hpp"
#include "support/temp_dir.hpp"

namespace lifecircle {
namespace {

using nlohmann::json;

const std::string kOsm =
    std::string(LIFECIRCLE_TEST_DATA) + "/network/people_square_drive_network.osm";
const std::string kStandards =
    std::string(LIFECIRCLE_SOURCE_DIR) + "/gis-data/standards/standards.json";

std::string manifest(const testing::TempDir& dir, const std::string& network_source) {
  dir.write("districts.geojson", R"({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"code": "310101", "name": "黄浦区", "population": 3600},
     "geometry": {"type": "Polygon", "coordinates": [[[121.455,31.215],[121.492,31.215],[121.492,31.246],[121.455,31.246],[121.455,31.215]]]}}]})");
  // A 6 x 6 grid of demand points over the extract, 100 residents each.
  std::string pop = "id,population,population_60plus,lon,lat\n";
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j) {
      char row[128];
      std::snprintf(row, sizeof row, "p%d%d,100,30,%.5f,%.5f\n", i, j, 121.465 + i * 0.0034,
                    31.223 + j * 0.003);
      pop += row;
    }
  dir.write("population.csv", pop);
  dir.write("facilities.csv",
            "id,name,family,type,lon,lat\n"
            "a,人民广场中心,eldercare,comprehensive_center,121.4737,31.2304\n"
            "b,西侧中心,eldercare,comprehensive_center,121.4680,31.2350\n");
  return dir.write("manifest.json", R"({"name": "people-square", "standards": ")" + kStandards +
                                        R"(",
    "extent": [121.0, 30.9, 122.0, 31.9],
    "layers": {
      "districts": {"source": "districts.geojson"},
      "population": {"source": "population.csv", "x_field": "lon", "y_field": "lat"},
      "facilities": [{"source": "facilities.csv", "x_field": "lon", "y_field": "lat"}],
      "network": {"source": ")" + network_source +
                                        R"("}}})");
}

CoverageRequest request(const std::string& mode) {
  CoverageRequest r;
  r.selection.family = Family::eldercare;
  r.selection.types = {"comprehensive_center"};
  r.by = AggregateBy::city;
  r.mode = mode;
  r.area = false;
  r.overrides.detour_factor = 1.0;  // euclidean = the straight line itself
  return r;
}

TEST(NetworkMode, TheManifestsNetworkTravelsWithTheDatasetAndWalksAreNeverShorterThanLines) {
  testing::TempDir dir;
  const LoadResult r = load_dataset(manifest(dir, kOsm), network_load_options());
  ASSERT_TRUE(r.dataset) << r.report.to_text();
  ASSERT_NE(r.dataset->walking_network(), nullptr);
  const auto analyzer = make_analyzer(*r.dataset);

  const auto line = analyzer->coverage(*r.dataset, request("euclidean"));
  const auto walk = analyzer->coverage(*r.dataset, request("network"));
  EXPECT_EQ(walk->mode, "network");
  ASSERT_EQ(line->distance_m.size(), 36u);
  std::size_t finite = 0, longer = 0;
  for (std::size_t i = 0; i < 36; ++i) {
    if (!std::isfinite(walk->distance_m[i])) continue;
    ++finite;
    EXPECT_GE(walk->distance_m[i], line->distance_m[i] - 0.01f) << "demand point " << i;
    if (walk->distance_m[i] > line->distance_m[i] * 1.05f) ++longer;
  }
  EXPECT_GT(finite, 30u) << "every grid point lies within snapping reach of a street";
  EXPECT_GT(longer, finite / 2) << "streets make most walks measurably longer than lines";
  EXPECT_LE(walk->total.covered, line->total.covered);
}

TEST(NetworkMode, ABrokenNetworkStopsTheLoadNamingTheFile) {
  testing::TempDir dir;
  const LoadResult r = load_dataset(manifest(dir, "missing.osm"), network_load_options());
  EXPECT_FALSE(r.dataset);
  bool named = false;
  for (const auto& p : r.report.problems())
    named |= p.severity == Severity::error && p.layer == "network" && p.file == "missing.osm";
  EXPECT_TRUE(named) << r.report.to_text();
}

TEST(NetworkMode, HttpCoverageAnswersInNetworkModeAndStandardsListIt) {
  testing::TempDir dir;
  const LoadResult r = load_dataset(manifest(dir, kOsm), network_load_options());
  ASSERT_TRUE(r.dataset) << r.report.to_text();
  const test::ServedDataset server(r.dataset);

  const auto walk = test::http_get(
      server.port(),
      "/coverage?family=eldercare&type=comprehensive_center&by=city&mode=network&detour=1");
  ASSERT_EQ(walk.status, 200) << walk.body;
  const auto line = test::http_get(
      server.port(),
      "/coverage?family=eldercare&type=comprehensive_center&by=city&mode=euclidean&detour=1");
  ASSERT_EQ(line.status, 200) << line.body;
  const json w = json::parse(walk.body), l = json::parse(line.body);
  EXPECT_EQ(w["request"]["mode"], "network");
  EXPECT_LE(w["total"]["covered"].get<double>(), l["total"]["covered"].get<double>());

  const json standards = json::parse(test::http_get(server.port(), "/standards").body);
  EXPECT_NE(std::find(standards["modes"].begin(), standards["modes"].end(), "network"),
            standards["modes"].end());
}

// Straight-line metres from p to the segment a-b.
double to_segment(XY p, XY a, XY b) {
  const double dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy;
  const double t = l2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / l2, 0.0, 1.0) : 0;
  return distance(p, {a.x + t * dx, a.y + t * dy});
}

// The MultiPolygon of a GeoJSON geometry, projected to metres.
MultiPolygonXY polygon_of(const json& geometry, const MetricProjection& proj) {
  MultiPolygon mp;
  const bool multi = geometry["type"] == "MultiPolygon";
  const json polys = multi ? geometry["coordinates"] : json::array({geometry["coordinates"]});
  for (const auto& poly : polys) {
    Polygon p;
    for (const auto& ring : poly) {
      std::vector<LonLat> r;
      for (const auto& c : ring) r.push_back({c[0].get<double>(), c[1].get<double>()});
      p.rings.push_back(std::move(r));
    }
    mp.push_back(std::move(p));
  }
  return project(mp, proj);
}

TEST(NetworkMode, ServiceAreasDrawTheWalkAlongTheStreetsNotTheDisc) {
  testing::TempDir dir;
  const LoadResult r = load_dataset(manifest(dir, kOsm), network_load_options());
  ASSERT_TRUE(r.dataset) << r.report.to_text();
  const test::ServedDataset server(r.dataset);
  const std::string q = "family=eldercare&type=comprehensive_center&detour=1";
  const auto walk = test::http_get(server.port(), "/service-areas?mode=network&" + q);
  const auto line = test::http_get(server.port(), "/service-areas?mode=euclidean&" + q);
  const auto walk_cov = test::http_get(server.port(), "/coverage?by=district&mode=network&" + q);
  const auto line_cov = test::http_get(server.port(), "/coverage?by=district&mode=euclidean&" + q);
  ASSERT_EQ(walk.status, 200) << walk.body;
  ASSERT_EQ(line.status, 200) << line.body;
  const json w = json::parse(walk.body)["features"][0], l = json::parse(line.body)["features"][0];
  EXPECT_EQ(w["properties"]["mode"], "network");
  EXPECT_TRUE(w["properties"]["radius_m"].is_null()) << "a walk has no disc radius";
  EXPECT_EQ(w["properties"]["band_m"], 50);
  const double walk_m = w["properties"]["walk_m"].get<double>();
  EXPECT_DOUBLE_EQ(l["properties"]["radius_m"].get<double>(), walk_m);  // detour 1

  // An independent Dijkstra over the built graph, from the ends of each facility's nearest
  // edge (entered at the straight-line distance to that end: never more than the real walk,
  // so the set of reached edges below is if anything too generous).
  const auto& model = dynamic_cast<const NetworkDistanceModel&>(*r.dataset->walking_network());
  const WalkingNetwork& net = model.network();
  const MetricProjection proj;
  std::vector<double> dist(net.node_count(), std::numeric_limits<double>::infinity());
  using Item = std::pair<double, std::uint32_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
  std::vector<XY> facilities;
  for (const auto& f : r.dataset->facilities()) facilities.push_back(f.xy);
  for (const XY f : facilities) {
    std::size_t best = 0;
    double best_d = std::numeric_limits<double>::infinity();
    for (std::size_t e = 0; e < net.edge_count(); ++e) {
      const auto& ed = net.edges()[e];
      const double d = to_segment(f, net.nodes()[ed.u], net.nodes()[ed.v]);
      if (d < best_d) best_d = d, best = e;
    }
    for (std::uint32_t n : {net.edges()[best].u, net.edges()[best].v}) {
      const double d0 = distance(f, net.nodes()[n]);
      if (d0 < dist[n]) dist[n] = d0, heap.push({d0, n});
    }
  }
  while (!heap.empty()) {
    const auto [d, n] = heap.top();
    heap.pop();
    if (d > dist[n]) continue;
    for (std::uint32_t a = net.offsets()[n]; a < net.offsets()[n + 1]; ++a) {
      const double nd = d + net.arc_lengths()[a];
      if (nd < dist[net.targets()[a]])
        dist[net.targets()[a]] = nd, heap.push({nd, net.targets()[a]});
    }
  }
  std::vector<std::size_t> reached;
  for (std::size_t e = 0; e < net.edge_count(); ++e)
    if (dist[net.edges()[e].u] <= walk_m || dist[net.edges()[e].v] <= walk_m) reached.push_back(e);
  ASSERT_FALSE(reached.empty());

  // Sample both polygons on a 20 m grid.
  const MultiPolygonXY walk_poly = polygon_of(w["geometry"], proj);
  const MultiPolygonXY disc_poly = polygon_of(l["geometry"], proj);
  const BBox b = bbox_of(disc_poly);
  std::size_t in_walk = 0, near_street = 0, in_disc = 0, disc_only = 0, walk_outside_disc = 0;
  for (double x = b.min_x; x <= b.max_x; x += 20)
    for (double y = b.min_y; y <= b.max_y; y += 20) {
      const XY p{x, y};
      const bool iw = contains(walk_poly, p), id = contains(disc_poly, p);
      in_disc += id;
      disc_only += id && !iw;
      if (!iw) continue;
      ++in_walk;
      walk_outside_disc += !id;
      double nearest = std::numeric_limits<double>::infinity();
      for (std::size_t e : reached)
        nearest = std::min(
            nearest, to_segment(p, net.nodes()[net.edges()[e].u], net.nodes()[net.edges()[e].v]));
      near_street += nearest <= 150;
    }
  ASSERT_GT(in_walk, 100u) << "the walk reaches a sizeable stretch of streets";
  EXPECT_GE(near_street, in_walk * 99 / 100) << "the polygon lies along reached streets";
  EXPECT_GT(disc_only, in_disc / 10) << "blocks between streets are not reached";
  // A walk is never shorter than the straight line: nothing past the disc but the 50 m band.
  double worst = 0;
  for (double x = b.min_x - 100; x <= b.max_x + 100; x += 20)
    for (double y = b.min_y - 100; y <= b.max_y + 100; y += 20) {
      if (!contains(walk_poly, {x, y})) continue;
      double to_facility = std::numeric_limits<double>::infinity();
      for (const XY f : facilities) to_facility = std::min(to_facility, distance({x, y}, f));
      worst = std::max(worst, to_facility - walk_m);
    }
  EXPECT_LE(worst, 50 + 5 + 1) << "band half-width plus simplification";
  const double walk_area = w["properties"]["area_m2"].get<double>();
  const double disc_area = l["properties"]["area_m2"].get<double>();
  EXPECT_LT(walk_area, 0.9 * disc_area);

  // Area coverage in network mode is the street bands' area, not the discs'.
  ASSERT_EQ(walk_cov.status, 200) << walk_cov.body;
  ASSERT_EQ(line_cov.status, 200) << line_cov.body;
  const double walk_covered =
      json::parse(walk_cov.body)["units"][0]["covered_area_m2"].get<double>();
  const double line_covered =
      json::parse(line_cov.body)["units"][0]["covered_area_m2"].get<double>();
  EXPECT_NEAR(walk_covered, walk_area, 0.03 * walk_area) << "the same bands, clipped alike";
  EXPECT_NEAR(line_covered, disc_area, 0.03 * disc_area);
  EXPECT_LT(walk_covered, 0.9 * line_covered);
}

// The shipped People's Square manifest: the street extract covers a corner of Huangpu, so most
// of Huangpu's demand is farther than the snapping distance from any street. Those points are
// counted apart, and their count equals an independent one: the straight-line distance from
// each demand point to every edge of the built graph, beyond max_snap_m.
TEST(NetworkMode, UnsnappedDemandIsCountedApartAndMatchesAnIndependentDistanceCount) {
  const LoadResult r =
      load_dataset(std::string(LIFECIRCLE_SOURCE_DIR) + "/gis-data/people-square/manifest.json",
                   network_load_options());
  ASSERT_TRUE(r.dataset) << r.report.to_text();
  const Dataset& d = *r.dataset;
  const auto* model = dynamic_cast<const NetworkDistanceModel*>(d.walking_network().get());
  ASSERT_NE(model, nullptr);
  const WalkingNetwork& net = model->network();
  const double max_snap = model->options().max_snap_m;
  auto to_street = [&](XY p) {
    double best = INFINITY;
    for (const auto& e : net.edges()) {
      const XY a = net.nodes()[e.u], b = net.nodes()[e.v];
      const double dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy;
      double t = l2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2 : 0;
      t = std::clamp(t, 0.0, 1.0);
      best = std::min(best, std::hypot(p.x - a.x - t * dx, p.y - a.y - t * dy));
    }
    return best;
  };
  const auto analyzer = make_analyzer(d);
  CoverageRequest req;
  req.selection.types = {"comprehensive_center"};
  req.by = AggregateBy::district;
  req.mode = "network";
  req.area = false;
  const auto c = analyzer->coverage(d, req);
  ASSERT_TRUE(c->max_snap_m);
  EXPECT_DOUBLE_EQ(*c->max_snap_m, max_snap);
  std::map<std::string, std::array<double, 3>> beyond;  // district -> points, residents, 60+
  for (const auto& p : d.population()) {
    if (to_street(p.xy) <= max_snap) continue;
    auto& b = beyond[p.district_code];
    b[0] += 1, b[1] += p.population, b[2] += p.population_60plus.value_or(0);
  }
  double total_points = 0;
  for (const auto& u : c->units) {
    const auto b = beyond[u.code];
    total_points += b[0];
    EXPECT_EQ(u.demand_points_unsnapped, static_cast<std::size_t>(b[0])) << u.code;
    EXPECT_DOUBLE_EQ(u.residents_unsnapped, b[1]) << u.code;
    EXPECT_DOUBLE_EQ(u.residents_60plus_unsnapped, b[2]) << u.code;
    if (u.residents > b[1]) {
      EXPECT_DOUBLE_EQ(*u.ratio_snapped, u.covered / (u.residents - b[1]));
    }
  }
  EXPECT_EQ(c->total.demand_points_unsnapped, static_cast<std::size_t>(total_points));
  // Huangpu: the extract covers part of it, so it has both kinds of demand.
  const auto& hp = c->units.front();
  ASSERT_EQ(hp.code, "310101");
  EXPECT_GT(hp.demand_points_unsnapped, 0u);
  EXPECT_LT(hp.demand_points_unsnapped, hp.demand_points);
  EXPECT_GT(*hp.ratio_snapped, *hp.ratio);

  // The gaps name the unsnapped cells, and the coverage JSON and CSV carry the counts.
  const auto g = analyzer->gaps(d, req);
  EXPECT_EQ(g->cells_unsnapped, static_cast<std::size_t>(total_points));
  const json j = *c;
  EXPECT_EQ(j["units"][0]["demand_points_unsnapped"], hp.demand_points_unsnapped);
  EXPECT_DOUBLE_EQ(j["max_snap_m"].get<double>(), max_snap);
  EXPECT_NE(coverage_csv(*c).find("ratio_snapped"), std::string::npos);
  // One answer built on the same coverage: 1+N names its unsnapped demand too.
  IndicatorRequest ir;
  ir.mode = "network";
  const auto opn = analyzer->one_plus_n(d, ir);
  EXPECT_EQ(opn->populated_cells_unsnapped, static_cast<std::size_t>(total_points));
}

}  // namespace
}  // namespace lifecircle
