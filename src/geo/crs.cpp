#include "lifecircle/crs.hpp"

#include <proj.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

namespace lifecircle {
namespace {

constexpr double kPi = 3.14159265358979323846;
// Krasovsky 1940 ellipsoid parameters, as fixed by the published GCJ-02 formula.
constexpr double kGcjA = 6378245.0;
constexpr double kGcjEe = 0.00669342162296594323;
constexpr double kBdXPi = kPi * 3000.0 / 180.0;

bool outside_china(LonLat p) {
  return p.lon < 72.004 || p.lon > 137.8347 || p.lat < 0.8293 || p.lat > 55.8271;
}

double gcj_dlat(double x, double y) {
  double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::fabs(x));
  r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
  r += (20.0 * std::sin(y * kPi) + 40.0 * std::sin(y / 3.0 * kPi)) * 2.0 / 3.0;
  r += (160.0 * std::sin(y / 12.0 * kPi) + 320.0 * std::sin(y * kPi / 30.0)) * 2.0 / 3.0;
  return r;
}

double gcj_dlon(double x, double y) {
  double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::fabs(x));
  r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
  r += (20.0 * std::sin(x * kPi) + 40.0 * std::sin(x / 3.0 * kPi)) * 2.0 / 3.0;
  r += (150.0 * std::sin(x / 12.0 * kPi) + 300.0 * std::sin(x / 30.0 * kPi)) * 2.0 / 3.0;
  return r;
}

// Inverts a forward datum shift by fixed-point iteration: the shift varies slowly with position,
// so w <- w - (f(w) - target) converges geometrically; 1e-10 degrees is about 0.01 mm.
template <class Forward>
LonLat invert(LonLat target, Forward forward) {
  LonLat w = target;
  for (int i = 0; i < 30; ++i) {
    const LonLat f = forward(w);
    const double dlon = f.lon - target.lon;
    const double dlat = f.lat - target.lat;
    w.lon -= dlon;
    w.lat -= dlat;
    if (std::fabs(dlon) < 1e-10 && std::fabs(dlat) < 1e-10) break;
  }
  return w;
}

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

struct ProjOwner {
  PJ_CONTEXT* ctx = nullptr;
  PJ* pj = nullptr;
  ProjOwner(const std::string& from, const std::string& to) {
    ctx = proj_context_create();
    PJ* raw = proj_create_crs_to_crs(ctx, from.c_str(), to.c_str(), nullptr);
    if (raw == nullptr) {
      const std::string why = proj_context_errno_string(ctx, proj_context_errno(ctx));
      proj_context_destroy(ctx);
      throw std::runtime_error("cannot build transformation " + from + " -> " + to + ": " + why);
    }
    // Traditional GIS order (lon/lat, easting/northing) whatever the CRS's axis order says.
    pj = proj_normalize_for_visualization(ctx, raw);
    proj_destroy(raw);
    if (pj == nullptr) {
      proj_context_destroy(ctx);
      throw std::runtime_error("cannot normalise axis order for " + from + " -> " + to);
    }
  }
  ~ProjOwner() {
    proj_destroy(pj);
    proj_context_destroy(ctx);
  }
  ProjOwner(const ProjOwner&) = delete;
  ProjOwner& operator=(const ProjOwner&) = delete;

  PJ_COORD run(double x, double y, PJ_DIRECTION dir) const {
    return proj_trans(pj, dir, proj_coord(x, y, 0, 0));
  }
};

}  // namespace

LonLat wgs84_to_gcj02(LonLat p) {
  if (outside_china(p)) return p;
  double dlat = gcj_dlat(p.lon - 105.0, p.lat - 35.0);
  double dlon = gcj_dlon(p.lon - 105.0, p.lat - 35.0);
  const double radlat = p.lat / 180.0 * kPi;
  double magic = std::sin(radlat);
  magic = 1 - kGcjEe * magic * magic;
  const double sqrt_magic = std::sqrt(magic);
  dlat = (dlat * 180.0) / ((kGcjA * (1 - kGcjEe)) / (magic * sqrt_magic) * kPi);
  dlon = (dlon * 180.0) / (kGcjA / sqrt_magic * std::cos(radlat) * kPi);
  return {p.lon + dlon, p.lat + dlat};
}

LonLat gcj02_to_wgs84(LonLat p) {
  if (outside_china(p)) return p;
  return invert(p, wgs84_to_gcj02);
}

LonLat gcj02_to_bd09(LonLat p) {
  const double z = std::sqrt(p.lon * p.lon + p.lat * p.lat) + 0.00002 * std::sin(p.lat * kBdXPi);
  const double theta = std::atan2(p.lat, p.lon) + 0.000003 * std::cos(p.lon * kBdXPi);
  return {z * std::cos(theta) + 0.0065, z * std::sin(theta) + 0.006};
}

LonLat bd09_to_gcj02(LonLat p) {
  // The commonly published closed-form inverse is itself approximate (~1e-6 deg); iterating the
  // forward formula makes the round trip exact to well below a millimetre.
  return invert(p, gcj02_to_bd09);
}

LonLat wgs84_to_bd09(LonLat p) { return gcj02_to_bd09(wgs84_to_gcj02(p)); }
LonLat bd09_to_wgs84(LonLat p) { return gcj02_to_wgs84(bd09_to_gcj02(p)); }

double haversine_m(LonLat a, LonLat b) {
  constexpr double kR = 6371008.8;
  const double p1 = a.lat * kPi / 180, p2 = b.lat * kPi / 180;
  const double dp = p2 - p1, dl = (b.lon - a.lon) * kPi / 180;
  const double h = std::sin(dp / 2) * std::sin(dp / 2) +
                   std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
  return 2 * kR * std::asin(std::min(1.0, std::sqrt(h)));
}

std::optional<CrsSpec> CrsSpec::parse(std::string_view text) {
  const std::string u = upper(text);
  if (u.find_first_not_of(" \t") == std::string::npos) return std::nullopt;
  CrsSpec spec;
  if (u == "WGS84" || u == "EPSG:4326" || u == "OGC:CRS84" || u == "CRS84" ||
      u == "HTTP://WWW.OPENGIS.NET/DEF/CRS/OGC/1.3/CRS84" ||
      u == "HTTP://WWW.OPENGIS.NET/DEF/CRS/EPSG/0/4326") {
    spec.kind = Kind::wgs84;
  } else if (u == "GCJ-02" || u == "GCJ02") {
    spec.kind = Kind::gcj02;
  } else if (u == "BD-09" || u == "BD09") {
    spec.kind = Kind::bd09;
  } else {
    spec.kind = Kind::proj;
    spec.definition = std::string(text);
  }
  return spec;
}

std::string CrsSpec::name() const {
  switch (kind) {
    case Kind::wgs84:
      return "EPSG:4326";
    case Kind::gcj02:
      return "GCJ-02";
    case Kind::bd09:
      return "BD-09";
    case Kind::proj:
      return definition;
  }
  return definition;
}

struct ToWgs84::Impl {
  CrsSpec spec;
  std::unique_ptr<ProjOwner> proj;
};

ToWgs84::ToWgs84(const CrsSpec& from) : impl_(std::make_unique<Impl>()) {
  impl_->spec = from;
  if (from.kind == CrsSpec::Kind::proj) {
    impl_->proj = std::make_unique<ProjOwner>(from.definition, "EPSG:4326");
  }
}
ToWgs84::~ToWgs84() = default;
ToWgs84::ToWgs84(ToWgs84&&) noexcept = default;
ToWgs84& ToWgs84::operator=(ToWgs84&&) noexcept = default;

LonLat ToWgs84::operator()(double x, double y) const {
  switch (impl_->spec.kind) {
    case CrsSpec::Kind::wgs84:
      return {x, y};
    case CrsSpec::Kind::gcj02:
      return gcj02_to_wgs84({x, y});
    case CrsSpec::Kind::bd09:
      return bd09_to_wgs84({x, y});
    case CrsSpec::Kind::proj: {
      const PJ_COORD c = impl_->proj->run(x, y, PJ_FWD);
      return {c.xy.x, c.xy.y};
    }
  }
  return {x, y};
}

struct MetricProjection::Impl {
  std::string crs;
  std::unique_ptr<ProjOwner> proj;
};

MetricProjection::MetricProjection(const std::string& metric_crs)
    : impl_(std::make_unique<Impl>()) {
  impl_->crs = metric_crs;
  impl_->proj = std::make_unique<ProjOwner>("EPSG:4326", metric_crs);
}
MetricProjection::~MetricProjection() = default;
MetricProjection::MetricProjection(MetricProjection&&) noexcept = default;
MetricProjection& MetricProjection::operator=(MetricProjection&&) noexcept = default;

XY MetricProjection::forward(LonLat p) const {
  const PJ_COORD c = impl_->proj->run(p.lon, p.lat, PJ_FWD);
  return {c.xy.x, c.xy.y};
}

LonLat MetricProjection::inverse(XY p) const {
  const PJ_COORD c = impl_->proj->run(p.x, p.y, PJ_INV);
  return {c.xy.x, c.xy.y};
}

const std::string& MetricProjection::crs() const { return impl_->crs; }

LonLat to_output_datum(LonLat wgs84, OutputDatum d) {
  switch (d) {
    case OutputDatum::wgs84:
      return wgs84;
    case OutputDatum::gcj02:
      return wgs84_to_gcj02(wgs84);
    case OutputDatum::bd09:
      return wgs84_to_bd09(wgs84);
  }
  return wgs84;
}

BBox bbox_to_wgs84(const BBox& b, OutputDatum d) {
  if (d == OutputDatum::wgs84) return b;
  const auto back = d == OutputDatum::gcj02 ? gcj02_to_wgs84 : bd09_to_wgs84;
  BBox w{180, 90, -180, -90};
  for (const LonLat p : {LonLat{b.min_x, b.min_y}, LonLat{b.max_x, b.min_y},
                         LonLat{b.min_x, b.max_y}, LonLat{b.max_x, b.max_y}}) {
    const LonLat r = back(p);
    w.min_x = std::min(w.min_x, r.lon), w.max_x = std::max(w.max_x, r.lon);
    w.min_y = std::min(w.min_y, r.lat), w.max_y = std::max(w.max_y, r.lat);
  }
  return w;
}

}  // namespace lifecircle
