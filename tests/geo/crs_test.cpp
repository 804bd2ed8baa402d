#include "lifecircle/crs.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace lifecircle {
namespace {

// Published reference vectors of the GCJ-02 formula (eviltransform test suites, all language
// ports agree): WGS84 (lat, lon) -> GCJ-02 (lat, lon).
struct Vector {
  const char* city;
  LonLat wgs, gcj;
};
const Vector kGcjVectors[] = {
    {"Shanghai", {121.5272106, 31.1774276}, {121.531541859215, 31.17530398364597}},
    {"Shenzhen", {113.912316, 22.543847}, {113.9171764808363, 22.540796131694766}},
    {"Beijing", {116.377817, 39.911954}, {116.38404722455657, 39.91334545536069}},
};

TEST(Gcj02, ForwardMatchesPublishedVectors) {
  for (const auto& v : kGcjVectors) {
    const LonLat g = wgs84_to_gcj02(v.wgs);
    EXPECT_NEAR(g.lon, v.gcj.lon, 1e-9) << v.city;
    EXPECT_NEAR(g.lat, v.gcj.lat, 1e-9) << v.city;
  }
}

TEST(Gcj02, InverseRecoversWgs84WellUnderHalfAMetre) {
  for (const auto& v : kGcjVectors) {
    const LonLat w = gcj02_to_wgs84(v.gcj);
    EXPECT_LT(haversine_m(w, v.wgs), 0.5) << v.city;
    EXPECT_LT(haversine_m(w, v.wgs), 0.01) << v.city << ": iteration should converge to mm";
  }
}

TEST(Gcj02, OffsetInShanghaiIsAboutFiveHundredMetres) {
  // data/README: GCJ-02 sits ~430 m east and ~215 m south of WGS84 in Shanghai (~480 m).
  const LonLat people_square{121.4737, 31.2304};
  const LonLat g = wgs84_to_gcj02(people_square);
  const double d = haversine_m(people_square, g);
  EXPECT_GT(d, 400);
  EXPECT_LT(d, 600);
  EXPECT_GT(g.lon, people_square.lon);  // east
  EXPECT_LT(g.lat, people_square.lat);  // south
}

TEST(Gcj02, NoOffsetOutsideChina) {
  const LonLat denver{-104.9903, 39.7392};
  const LonLat g = wgs84_to_gcj02(denver);
  EXPECT_DOUBLE_EQ(g.lon, denver.lon);
  EXPECT_DOUBLE_EQ(g.lat, denver.lat);
  const LonLat w = gcj02_to_wgs84(denver);
  EXPECT_DOUBLE_EQ(w.lon, denver.lon);
}

TEST(Bd09, MatchesPublishedVectors) {
  // wandergis/coordtransform reference values at (116.404, 39.915).
  const LonLat p{116.404, 39.915};
  const LonLat bd = gcj02_to_bd09(p);
  EXPECT_NEAR(bd.lon, 116.41036949371029, 1e-12);
  EXPECT_NEAR(bd.lat, 39.92133699351021, 1e-12);
  // Their inverse is the closed-form approximation; ours iterates, so agree to well under 1 m.
  EXPECT_LT(haversine_m(bd09_to_gcj02(p), {116.39762729119315, 39.90865673957631}), 1.0);
  const LonLat g = wgs84_to_gcj02(p);
  EXPECT_NEAR(g.lon, 116.41024449916938, 1e-9);
  EXPECT_NEAR(g.lat, 39.91640428150164, 1e-9);
}

TEST(Bd09, RoundTripsExactlyAndSitsAboutAKilometreOff) {
  const LonLat p{121.50, 31.28};
  const LonLat bd = wgs84_to_bd09(p);
  EXPECT_LT(haversine_m(bd09_to_wgs84(bd), p), 0.01);
  const double off = haversine_m(bd, p);
  EXPECT_GT(off, 900);
  EXPECT_LT(off, 1400);
  EXPECT_LT(haversine_m(bd09_to_gcj02(gcj02_to_bd09(p)), p), 0.01);
}

TEST(CrsSpec, ParsesNamesAndAuthorityCodes) {
  EXPECT_EQ(CrsSpec::parse("GCJ-02")->kind, CrsSpec::Kind::gcj02);
  EXPECT_EQ(CrsSpec::parse("gcj02")->kind, CrsSpec::Kind::gcj02);
  EXPECT_EQ(CrsSpec::parse("BD-09")->kind, CrsSpec::Kind::bd09);
  EXPECT_EQ(CrsSpec::parse("EPSG:4326")->kind, CrsSpec::Kind::wgs84);
  EXPECT_EQ(CrsSpec::parse("http://www.opengis.net/def/crs/OGC/1.3/CRS84")->kind,
            CrsSpec::Kind::wgs84);
  const auto utm = CrsSpec::parse("EPSG:32651");
  EXPECT_EQ(utm->kind, CrsSpec::Kind::proj);
  EXPECT_EQ(utm->definition, "EPSG:32651");
  EXPECT_FALSE(CrsSpec::parse("  ").has_value());
}

TEST(MetricProjection, Utm51NorthMatchesTheTransverseMercatorOnPaper) {
  const MetricProjection proj("EPSG:32651");
  // On the central meridian (123 E) easting is exactly the false easting, 500 km.
  const XY c = proj.forward({123.0, 31.0});
  EXPECT_NEAR(c.x, 500000.0, 1e-6);
  // Northing at 31 N on the central meridian is k0 times the meridian arc length, which the
  // series M = a[(1 - e2/4 - ...)phi - ...] gives as 3,430,974.32 m for WGS84.
  EXPECT_NEAR(c.y, 0.9996 * 3430974.32, 0.05);
  // A metre east in projected space is a metre on the ground within the scale factor.
  const XY a = proj.forward({121.47, 31.23});
  const XY b = proj.forward({121.48, 31.23});
  const double ground = haversine_m({121.47, 31.23}, {121.48, 31.23});
  EXPECT_NEAR(std::hypot(b.x - a.x, b.y - a.y) / ground, 1.0, 0.003);
  const LonLat back = proj.inverse(a);
  EXPECT_NEAR(back.lon, 121.47, 1e-9);
  EXPECT_NEAR(back.lat, 31.23, 1e-9);
}

TEST(ToWgs84, ProjDefinitionsAreConverted) {
  const MetricProjection proj("EPSG:4549");  // CGCS2000 GK CM 120E
  const XY xy = proj.forward({121.47, 31.23});
  const ToWgs84 to(*CrsSpec::parse("EPSG:4549"));
  const LonLat back = to(xy.x, xy.y);
  EXPECT_NEAR(back.lon, 121.47, 1e-7);
  EXPECT_NEAR(back.lat, 31.23, 1e-7);
}

TEST(ToWgs84, UnknownCrsThrowsNamingIt) {
  try {
    ToWgs84 bad(*CrsSpec::parse("EPSG:99999999"));
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("EPSG:99999999"), std::string::npos);
  }
}

TEST(OutputDatum, ConvertsForServedCoordinates) {
  const LonLat p = kGcjVectors[0].wgs;
  const LonLat g = to_output_datum(p, OutputDatum::gcj02);
  EXPECT_NEAR(g.lon, kGcjVectors[0].gcj.lon, 1e-9);
  EXPECT_DOUBLE_EQ(to_output_datum(p, OutputDatum::wgs84).lon, p.lon);
  EXPECT_LT(haversine_m(bd09_to_wgs84(to_output_datum(p, OutputDatum::bd09)), p), 0.01);
}

TEST(OutputDatum, ABoxGivenInAShiftedDatumComesBackAsTheWgs84BoxItWasDrawnFrom) {
  const BBox wgs{121.40, 31.20, 121.50, 31.30};
  for (OutputDatum d : {OutputDatum::gcj02, OutputDatum::bd09}) {
    // The client's box: the envelope of the WGS84 corners as its base map shows them.
    BBox shown{180, 90, -180, -90};
    for (const LonLat c : {LonLat{wgs.min_x, wgs.min_y}, LonLat{wgs.max_x, wgs.min_y},
                           LonLat{wgs.min_x, wgs.max_y}, LonLat{wgs.max_x, wgs.max_y}}) {
      const LonLat s = to_output_datum(c, d);
      shown.min_x = std::min(shown.min_x, s.lon), shown.max_x = std::max(shown.max_x, s.lon);
      shown.min_y = std::min(shown.min_y, s.lat), shown.max_y = std::max(shown.max_y, s.lat);
    }
    ASSERT_GT(std::fabs(shown.min_x - wgs.min_x), 1e-3) << "the datum shifts by hundreds of metres";
    const BBox back = bbox_to_wgs84(shown, d);
    // It covers the box the client sees; the shift varies by tens of metres across 10 km (the
    // two corners of an edge move apart), so it may be that much larger, never hundreds.
    EXPECT_LE(back.min_x, wgs.min_x + 1e-7);
    EXPECT_LE(back.min_y, wgs.min_y + 1e-7);
    EXPECT_GE(back.max_x, wgs.max_x - 1e-7);
    EXPECT_GE(back.max_y, wgs.max_y - 1e-7);
    for (double slack : {wgs.min_x - back.min_x, wgs.min_y - back.min_y, back.max_x - wgs.max_x,
                         back.max_y - wgs.max_y})
      EXPECT_LT(slack, 6e-4) << "within about 60 m";
  }
  const BBox same = bbox_to_wgs84(wgs, OutputDatum::wgs84);
  EXPECT_DOUBLE_EQ(same.min_x, wgs.min_x);
  EXPECT_DOUBLE_EQ(same.max_y, wgs.max_y);
}

}  // namespace
}  // namespace lifecircle
