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

MultiPolygonXY without_slivers(const MultiPolygonXY& mp, double min_area) {
  // A closed ring needs four positions with three of them distinct to enclose any area.
  auto degenerate = [min_area](const std::vector<XY>& r) {
    std::size_t distinct = 0;
    for (std::size_t i = 0; i + 1 < r.size() && distinct < 3; ++i)
      if (r[i].x != r[i + 1].x || r[i].y != r[i + 1].y) ++distinct;
    return distinct < 3 || std::fabs(ring_signed_area(r)) < min_area;
  };
  MultiPolygonXY out;
  for (const auto& poly : mp) {
    if (poly.rings.empty() || degenerate(poly.rings[0])) continue;
    PolygonXY kept;
    kept.rings.push_back(poly.rings[0]);
    for (std::size_t i = 1; i < poly.rings.size(); ++i)
      if (!degenerate(poly.rings[i])) kept.rings.push_back(poly.rings[i]);
    out.push_back(std::move(kept));
  }
  return out;
}

namespace {

using Interval = std::pair<double, double>;

// The x-interval where the horizontal line at y crosses the capsule; empty when lo > hi. The
// capsule is convex, so it is the hull of its three parts' cross-sections: two end discs and the
// band between them.
Interval capsule_cross_section(const Capsule& c, double y) {
  Interval out{std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  const double r = c.radius;
  for (const XY& e : {c.from, c.to}) {
    const double dy = y - e.y;
    if (std::fabs(dy) > r) continue;
    const double h = std::sqrt(r * r - dy * dy);
    out.first = std::min(out.first, e.x - h);
    out.second = std::max(out.second, e.x + h);
  }
  const double dx = c.to.x - c.from.x, dy = c.to.y - c.from.y, len = std::hypot(dx, dy);
  if (len > 0) {
    // Points (x, y) with 0 <= along <= len and |across| <= r, both linear in x.
    double lo = -std::numeric_limits<double>::infinity(), hi = -lo;
    auto clip = [&](double a, double b, double min, double max) {  // min <= a*x + b <= max
      if (a == 0) {
        if (b < min || b > max) lo = 1, hi = 0;
        return;
      }
      double x1 = (min - b) / a, x2 = (max - b) / a;
      if (x1 > x2) std::swap(x1, x2);
      lo = std::max(lo, x1), hi = std::min(hi, x2);
    };
    const double ry = y - c.from.y;
    clip(dx / len, (-c.from.x * dx + ry * dy) / len, 0, len);
    clip(-dy / len, (c.from.x * dy + ry * dx) / len, -r, r);
    if (lo <= hi) out.first = std::min(out.first, lo), out.second = std::max(out.second, hi);
  }
  return out;
}

}  // namespace

double covered_area(const MultiPolygonXY& mp, const std::vector<Capsule>& capsules, double step) {
  if (mp.empty() || capsules.empty() || !(step > 0)) return 0;
  const BBox b = bbox_of(mp);
  const long rows = static_cast<long>(std::ceil((b.max_y - b.min_y) / step));
  if (rows <= 0) return 0;
  auto row_of = [&](double y) {
    return std::clamp(static_cast<long>(std::floor((y - b.min_y) / step - 0.5)), -1L, rows);
  };
  // Each edge and each capsule is visited only on the rows it spans.
  std::vector<std::vector<std::size_t>> capsules_at(static_cast<std::size_t>(rows));
  for (std::size_t i = 0; i < capsules.size(); ++i) {
    const Capsule& c = capsules[i];
    const long r0 = std::max(0L, row_of(std::min(c.from.y, c.to.y) - c.radius) + 1);
    const long r1 = std::min(rows - 1, row_of(std::max(c.from.y, c.to.y) + c.radius));
    for (long r = r0; r <= r1; ++r) capsules_at[static_cast<std::size_t>(r)].push_back(i);
  }
  std::vector<std::vector<double>> crossings(static_cast<std::size_t>(rows));
  for (const auto& poly : mp)
    for (const auto& ring : poly.rings)
      for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        const XY p = ring[i], q = ring[i + 1];
        if (p.y == q.y) continue;
        const long r0 = std::max(0L, row_of(std::min(p.y, q.y)) + 1);
        const long r1 = std::min(rows - 1, row_of(std::max(p.y, q.y)));
        for (long r = r0; r <= r1; ++r) {
          const double y = b.min_y + (static_cast<double>(r) + 0.5) * step;
          // Half-open in y, so a vertex shared by two edges is crossed once.
          if ((p.y > y) == (q.y > y)) continue;
          crossings[static_cast<std::size_t>(r)].push_back(p.x +
                                                           (y - p.y) * (q.x - p.x) / (q.y - p.y));
        }
      }
  double total = 0;
  std::vector<Interval> cover;
  for (long r = 0; r < rows; ++r) {
    auto& xs = crossings[static_cast<std::size_t>(r)];
    const auto& cs = capsules_at[static_cast<std::size_t>(r)];
    if (xs.size() < 2 || cs.empty()) continue;
    const double y = b.min_y + (static_cast<double>(r) + 0.5) * step;
    std::sort(xs.begin(), xs.end());
    cover.clear();
    for (std::size_t i : cs) {
      const Interval iv = capsule_cross_section(capsules[i], y);
      if (iv.first < iv.second) cover.push_back(iv);
    }
    std::sort(cover.begin(), cover.end());
    // Merged capsule intervals against the polygon's inside intervals [xs[0], xs[1]], ...
    std::size_t k = 0;
    double length = 0;
    for (std::size_t i = 0; i < cover.size();) {
      double lo = cover[i].first, hi = cover[i].second;
      for (++i; i < cover.size() && cover[i].first <= hi; ++i) hi = std::max(hi, cover[i].second);
      while (k + 1 < xs.size() && xs[k + 1] <= lo) k += 2;
      for (std::size_t j = k; j + 1 < xs.size() && xs[j] < hi; j += 2)
        length += std::max(0.0, std::min(hi, xs[j + 1]) - std::max(lo, xs[j]));
    }
    total += length * step;
  }
  return total;
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
