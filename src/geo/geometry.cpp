#include "lifecircle/geometry.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lifecircle {
namespace {

template <class P>
double px(const P& p);
template <>
double px(const LonLat& p) {
  return p.lon;
}
template <>
double px(const XY& p) {
  return p.x;
}
template <class P>
double py(const P& p);
template <>
double py(const LonLat& p) {
  return p.lat;
}
template <>
double py(const XY& p) {
  return p.y;
}

template <class P>
BBox bbox_impl(const std::vector<PolygonT<P>>& mp) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  BBox b{inf, inf, -inf, -inf};
  for (const auto& poly : mp)
    for (const auto& ring : poly.rings)
      for (const auto& c : ring) {
        b.min_x = std::min(b.min_x, px(c));
        b.min_y = std::min(b.min_y, py(c));
        b.max_x = std::max(b.max_x, px(c));
        b.max_y = std::max(b.max_y, py(c));
      }
  return b;
}

template <class P>
double ring_signed_area(const std::vector<P>& r) {
  double s = 0;
  for (std::size_t i = 0, n = r.size(); i + 1 < n; ++i) {
    s += px(r[i]) * py(r[i + 1]) - px(r[i + 1]) * py(r[i]);
  }
  return s / 2;
}

// Even-odd crossing test over every ring of every part: holes flip the parity back.
template <class P>
bool contains_impl(const std::vector<PolygonT<P>>& mp, double x, double y) {
  bool inside = false;
  for (const auto& poly : mp)
    for (const auto& r : poly.rings)
      for (std::size_t i = 0, n = r.size(), j = n ? n - 1 : 0; i < n; j = i++) {
        const double xi = px(r[i]), yi = py(r[i]), xj = px(r[j]), yj = py(r[j]);
        if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
      }
  return inside;
}

}  // namespace

BBox bbox_of(const MultiPolygon& mp) { return bbox_impl(mp); }
BBox bbox_of(const MultiPolygonXY& mp) { return bbox_impl(mp); }

double area_of(const MultiPolygonXY& mp) {
  double a = 0;
  for (const auto& poly : mp)
    for (std::size_t i = 0; i < poly.rings.size(); ++i) {
      const double ra = std::fabs(ring_signed_area(poly.rings[i]));
      a += i == 0 ? ra : -ra;
    }
  return a;
}

bool contains(const MultiPolygon& mp, LonLat p) { return contains_impl(mp, p.lon, p.lat); }
bool contains(const MultiPolygonXY& mp, XY p) { return contains_impl(mp, p.x, p.y); }

MultiPolygonXY project(const MultiPolygon& mp, const MetricProjection& proj) {
  MultiPolygonXY out;
  out.reserve(mp.size());
  for (const auto& poly : mp) {
    PolygonXY q;
    for (const auto& r : poly.rings) {
      std::vector<XY> ring;
      ring.reserve(r.size());
      for (const auto& c : r) ring.push_back(proj.forward(c));
      q.rings.push_back(std::move(ring));
    }
    out.push_back(std::move(q));
  }
  return out;
}

MultiPolygon unproject(const MultiPolygonXY& mp, const MetricProjection& proj) {
  MultiPolygon out;
  out.reserve(mp.size());
  for (const auto& poly : mp) {
    Polygon q;
    for (const auto& r : poly.rings) {
      std::vector<LonLat> ring;
      ring.reserve(r.size());
      for (const auto& c : r) ring.push_back(proj.inverse(c));
      q.rings.push_back(std::move(ring));
    }
    out.push_back(std::move(q));
  }
  return out;
}

XY centroid_of(const MultiPolygonXY& mp) {
  const PolygonXY* best = nullptr;
  double best_area = -1;
  for (const auto& poly : mp) {
    const double a = poly.rings.empty() ? 0 : std::fabs(ring_signed_area(poly.rings[0]));
    if (a > best_area) best_area = a, best = &poly;
  }
  if (best == nullptr || best->rings.empty() || best->rings[0].empty()) return {};
  const auto& r = best->rings[0];
  double cx = 0, cy = 0, a2 = 0;
  for (std::size_t i = 0; i + 1 < r.size(); ++i) {
    const double cross = r[i].x * r[i + 1].y - r[i + 1].x * r[i].y;
    cx += (r[i].x + r[i + 1].x) * cross;
    cy += (r[i].y + r[i + 1].y) * cross;
    a2 += cross;
  }
  if (a2 == 0) return r[0];
  return {cx / (3 * a2), cy / (3 * a2)};
}

}  // namespace lifecircle
