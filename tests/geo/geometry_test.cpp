#include "lifecircle/geometry.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>

#include "geo/geos.hpp"

namespace lifecircle {
namespace {

PolygonXY square(double x0, double y0, double side) {
  return {{{{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}, {x0, y0}}}};
}

TEST(Geometry, AreaOfSquareWithHole) {
  PolygonXY p = square(0, 0, 10);
  p.rings.push_back({{2, 2}, {2, 4}, {4, 4}, {4, 2}, {2, 2}});  // 2x2 hole, either orientation
  EXPECT_DOUBLE_EQ(area_of({p}), 100.0 - 4.0);
  EXPECT_DOUBLE_EQ(area_of({square(0, 0, 1), square(5, 5, 2)}), 5.0);
}

TEST(Geometry, ContainsRespectsHoles) {
  PolygonXY p = square(0, 0, 10);
  p.rings.push_back({{2, 2}, {4, 2}, {4, 4}, {2, 4}, {2, 2}});
  const MultiPolygonXY mp{p};
  EXPECT_TRUE(contains(mp, XY{1, 1}));
  EXPECT_FALSE(contains(mp, XY{3, 3}));  // in the hole
  EXPECT_FALSE(contains(mp, XY{11, 1}));
}

TEST(Geometry, CentroidOfLShape) {
  // L made of a 2x1 and a 1x1 block: centroid = area-weighted mean of (1, 0.5) and (0.5, 1.5).
  const MultiPolygonXY l{{{{{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}, {0, 0}}}}};
  const XY c = centroid_of(l);
  EXPECT_NEAR(c.x, (2 * 1.0 + 1 * 0.5) / 3, 1e-12);
  EXPECT_NEAR(c.y, (2 * 0.5 + 1 * 1.5) / 3, 1e-12);
}

TEST(Geos, BufferedPointHasCircleAreaAndRoundTrips) {
  geos::Context ctx;
  auto pt = geos::make_point(ctx, 0, 0);
  auto disc = geos::buffer(ctx, pt.get(), 100.0, 64);
  // A 256-gon inscribed in r=100: area = n/2 r^2 sin(2pi/n), within 0.01% of pi r^2.
  const double n = 256, expected = n / 2 * 100 * 100 * std::sin(2 * M_PI / n);
  EXPECT_NEAR(geos::area(ctx, disc.get()), expected, 1e-6 * expected);
  const MultiPolygonXY back = geos::to_multipolygon_xy(ctx, disc.get());
  EXPECT_NEAR(area_of(back), expected, 1e-6 * expected);
}

TEST(Geos, MakeValidRepairsBowTie) {
  geos::Context ctx;
  const MultiPolygonXY bow{{{{{0, 0}, {2, 2}, {2, 0}, {0, 2}, {0, 0}}}}};
  auto g = geos::make_multipolygon(ctx, bow);
  std::string reason;
  EXPECT_FALSE(geos::is_valid(ctx, g.get(), &reason));
  EXPECT_FALSE(reason.empty());
  auto fixed = geos::make_valid(ctx, g.get());
  EXPECT_TRUE(geos::is_valid(ctx, fixed.get()));
  EXPECT_NEAR(geos::area(ctx, fixed.get()), 2.0, 1e-12);  // two unit triangles
}

TEST(Geos, UnionOfTwoOverlappingSquares) {
  geos::Context ctx;
  std::vector<geos::GeomPtr> parts;
  parts.push_back(geos::make_polygon(ctx, square(0, 0, 2)));
  parts.push_back(geos::make_polygon(ctx, square(1, 1, 2)));
  auto u = geos::unary_union(ctx, std::move(parts));
  EXPECT_NEAR(geos::area(ctx, u.get()), 4 + 4 - 1, 1e-12);
}

TEST(ScanlineArea, DiscsCapsulesAndLensesMatchTheirAreasOnPaper) {
  const MultiPolygonXY big{square(-5000, -5000, 10000)};
  const double r = 500;
  EXPECT_NEAR(covered_area(big, {{{0, 0}, {0, 0}, r}}), M_PI * r * r, 3e-4 * M_PI * r * r);
  // A capsule: a 2r x L band and two half discs.
  const double L = 1200;
  const double capsule = 2 * r * L + M_PI * r * r;
  EXPECT_NEAR(covered_area(big, {{{-600, -300}, {-600 + L * 0.6, -300 + L * 0.8}, r}}), capsule,
              3e-4 * capsule);
  // Two discs d apart: twice the disc less the lens they share.
  const double d = 600;
  const double lens = 2 * r * r * std::acos(d / (2 * r)) - d / 2 * std::sqrt(4 * r * r - d * d);
  const double two = 2 * M_PI * r * r - lens;
  EXPECT_NEAR(covered_area(big, {{{0, 0}, {0, 0}, r}, {{d, 0}, {d, 0}, r}}), two, 3e-4 * two);
  // A disc on the square's corner: one quarter inside; and nothing inside a hole.
  EXPECT_NEAR(covered_area({square(0, 0, 2000)}, {{{0, 0}, {0, 0}, r}}), M_PI * r * r / 4,
              3e-4 * M_PI * r * r / 4);
  PolygonXY holed = square(-2000, -2000, 4000);
  holed.rings.push_back(
      {{-1000, -1000}, {1000, -1000}, {1000, 1000}, {-1000, 1000}, {-1000, -1000}});
  EXPECT_NEAR(covered_area({holed}, {{{0, 0}, {0, 0}, r}}), 0, 1e-9);
  EXPECT_EQ(covered_area(big, {}), 0);
}

TEST(ScanlineArea, WithinOnePercentOfGeosOnRandomDiscsAndStreetBands) {
  // An L-shaped unit with a hole, 400 random discs and 2000 random street segments.
  PolygonXY unit;
  unit.rings.push_back(
      {{0, 0}, {20000, 0}, {20000, 8000}, {9000, 8000}, {9000, 15000}, {0, 15000}, {0, 0}});
  unit.rings.push_back({{3000, 3000}, {3000, 6000}, {7000, 6000}, {7000, 3000}, {3000, 3000}});
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> ux(-1000, 21000), uy(-1000, 16000), ang(0, 2 * M_PI),
      len(30, 300);
  std::vector<Capsule> discs, bands;
  for (int i = 0; i < 400; ++i) {
    const XY c{ux(rng), uy(rng)};
    discs.push_back({c, c, 668});
  }
  for (int i = 0; i < 2000; ++i) {
    const XY a{ux(rng), uy(rng)};
    const double t = ang(rng), l = len(rng);
    bands.push_back({a, {a.x + l * std::cos(t), a.y + l * std::sin(t)}, 50});
  }
  const geos::Context ctx;
  const auto g = geos::make_polygon(ctx, unit);
  for (const auto* set : {&discs, &bands}) {
    const auto cover = geos::capsule_union(ctx, *set, 32);
    const double exact = geos::area(ctx, geos::intersection(ctx, g.get(), cover.get()).get());
    const double fast = covered_area({unit}, *set);
    ASSERT_GT(exact, 1e7);
    EXPECT_NEAR(fast, exact, 0.01 * exact);
    EXPECT_NEAR(fast, exact, 0.002 * exact) << "in fact much closer than the 1% asked";
  }
}

TEST(Geos, ErrorsOfPredicatesThrowInsteadOfReadingAsFalse) {
  const geos::Context ctx;
  const auto p = geos::make_point(ctx, 0, 0);
  const auto sq = geos::make_polygon(ctx, square(-1, -1, 2));
  EXPECT_TRUE(geos::contains(ctx, sq.get(), p.get()));
  EXPECT_FALSE(geos::contains(ctx, p.get(), sq.get()));
  // Two overlapping squares in one GeometryCollection: GEOS's relate meets a side location
  // conflict (a TopologyException) and answers 2, plain and prepared.
  std::vector<geos::GeomPtr> overlapping;
  overlapping.push_back(geos::make_polygon(ctx, square(0, 0, 2)));
  overlapping.push_back(geos::make_polygon(ctx, square(1, 1, 2)));
  const auto bad = geos::make_collection(ctx, GEOS_GEOMETRYCOLLECTION, std::move(overlapping));
  const auto inside = geos::make_point(ctx, 1.5, 1.5);
  EXPECT_THROW(geos::contains(ctx, bad.get(), inside.get()), geos::GeosError);
  const auto prepared = geos::prepare(ctx, bad.get());
  EXPECT_THROW(geos::contains(ctx, prepared.get(), inside.get()), geos::GeosError);
}

TEST(Geos, ABadRingInAMultiPolygonThrowsWithoutLeaking) {
  // The second polygon's ring is one position twice: GEOS refuses it. Under ASan/LSan, a part
  // or a shell built before the failure would show up as a leak.
  const geos::Context ctx;
  const MultiPolygonXY mp{square(0, 0, 1), PolygonXY{{{{5, 5}, {5, 5}}}}};
  EXPECT_THROW(geos::make_multipolygon(ctx, mp), geos::GeosError);
  PolygonXY holes = square(0, 0, 10);
  holes.rings.push_back({{1, 1}, {1, 1}});
  EXPECT_THROW(geos::make_polygon(ctx, holes), geos::GeosError);
}

TEST(Geos, ServablePolygonsDropSliversAndStayValidAtSevenDecimals) {
  const geos::Context ctx;
  const MetricProjection proj;
  // A 1 km square with a hole 1 mm wide: the hole is debris, the square is kept.
  const XY o = proj.forward({121.45, 31.22});
  PolygonXY p = square(o.x, o.y, 1000);
  p.rings.push_back({{o.x + 500, o.y + 500},
                     {o.x + 500.001, o.y + 500},
                     {o.x + 500.001, o.y + 500.001},
                     {o.x + 500, o.y + 500.001},
                     {o.x + 500, o.y + 500}});
  const auto g = geos::make_polygon(ctx, p);
  const auto s = geos::servable(ctx, g.get(), proj);
  ASSERT_EQ(s.lonlat.size(), 1u);
  EXPECT_EQ(s.lonlat[0].rings.size(), 1u);
  EXPECT_NEAR(area_of(s.metric), 1e6, 1e6 * 1e-4);
  std::string reason;
  EXPECT_TRUE(geos::valid_when_rounded(ctx, s.lonlat, 7, &reason)) << reason;

  // Two parts 3e-8 degrees (3 mm) apart: valid as computed, but at 7 decimals they share an edge.
  auto box = [](double x0, double x1) {
    return Polygon{{{{x0, 31.22}, {x1, 31.22}, {x1, 31.221}, {x0, 31.221}, {x0, 31.22}}}};
  };
  const MultiPolygon apart{box(121.45, 121.451), box(121.45100003, 121.452)};
  ASSERT_FALSE(geos::valid_when_rounded(ctx, apart, 7));
  const auto two = geos::make_multipolygon(ctx, project(apart, proj));
  ASSERT_TRUE(geos::is_valid(ctx, two.get()));
  const auto snapped = geos::servable(ctx, two.get(), proj);
  EXPECT_TRUE(geos::valid_when_rounded(ctx, snapped.lonlat, 7, &reason)) << reason;
  EXPECT_NEAR(area_of(snapped.metric), area_of(project(apart, proj)), 1.0);
}

}  // namespace
}  // namespace lifecircle
