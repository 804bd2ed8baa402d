#include "lifecircle/geometry.hpp"

#include <gtest/gtest.h>

#include <cmath>

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

}  // namespace
}  // namespace lifecircle
