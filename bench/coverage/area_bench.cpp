// Area coverage, before and after: the land of every district and street/town inside the
// selected facilities' reach, computed (a) as before, a GEOS union of the discs near each unit
// intersected with it, and (b) by scanline integration over the same discs (covered_area), with
// the largest relative difference between the two. Also the cold citywide coverage request with
// area (compute_coverage, area=true) as the service runs it. Usage:
//   area_bench [--data MANIFEST] [--reps N] [--family eldercare] [--type comprehensive_center]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "geo/geos.hpp"
#include "lifecircle/analyzer.hpp"
#include "lifecircle/coverage.hpp"
#include "lifecircle/euclidean_distance.hpp"
#include "lifecircle/geometry.hpp"
#include "lifecircle/loader.hpp"

using namespace lifecircle;

namespace {

double median_ms(int reps, const std::function<void()>& f) {
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    t.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

std::vector<Capsule> near_unit(const std::vector<Capsule>& all, const AdminUnit& u) {
  const BBox b = bbox_of(u.geometry_xy);
  std::vector<Capsule> out;
  for (const Capsule& c : all)
    if (c.from.x + c.radius >= b.min_x && c.from.x - c.radius <= b.max_x &&
        c.from.y + c.radius >= b.min_y && c.from.y - c.radius <= b.max_y)
      out.push_back(c);
  return out;
}

// The previous method: a GEOS union of the discs near the unit, intersected with it.
double geos_area(const geos::Context& ctx, const std::vector<Capsule>& discs, const AdminUnit& u) {
  const auto near = near_unit(discs, u);
  if (near.empty()) return 0;
  const auto cover = geos::capsule_union(ctx, near, 16);
  auto g = geos::make_multipolygon(ctx, u.geometry_xy);
  if (!geos::is_valid(ctx, g.get())) g = geos::make_valid(ctx, g.get());
  return geos::area(ctx, geos::intersection(ctx, g.get(), cover.get()).get());
}

}  // namespace

int main(int argc, char** argv) {
  std::string data = std::string(LIFECIRCLE_SOURCE_DIR) + "/gis-data/shanghai/manifest.json";
  std::string family = "eldercare", type = "comprehensive_center";
  int reps = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--data")) data = argv[i + 1];
    if (!std::strcmp(argv[i], "--reps")) reps = std::max(1, std::atoi(argv[i + 1]));
    if (!std::strcmp(argv[i], "--family")) family = argv[i + 1];
    if (!std::strcmp(argv[i], "--type")) type = argv[i + 1];
  }
  const LoadResult r = load_dataset(data);
  if (!r.dataset) {
    std::fprintf(stderr, "%s\n", r.report.to_text().c_str());
    return 1;
  }
  const Dataset& d = *r.dataset;
  const auto analyzer = make_analyzer(d);
  CoverageRequest req;
  req.selection.family = parse_family(family);
  if (!type.empty()) req.selection.types = {type};
  req.by = AggregateBy::street;
  const StandardsProfile profile = analyzer->profile("", {});
  const EuclideanDistance model(profile.detour_factor);
  CoverageRequest counts = req;
  counts.area = false;
  const CoverageResult c = compute_coverage(d, profile, counts, model);
  std::vector<Capsule> discs;
  for (const auto& th : c.thresholds) {
    std::vector<XY> src;
    for (std::size_t fi : c.facilities)
      if (d.facilities()[fi].type == th.type) src.push_back(d.facilities()[fi].xy);
    const auto more = model.reach(src, th.walk_m);
    discs.insert(discs.end(), more.begin(), more.end());
  }
  std::vector<const AdminUnit*> units;
  for (const auto& u : d.districts())
    if (!u.geometry_xy.empty()) units.push_back(&u);
  for (const auto& u : d.streets_towns())
    if (!u.geometry_xy.empty()) units.push_back(&u);

  const geos::Context ctx;
  std::vector<double> before(units.size()), after(units.size());
  const double geos_ms = median_ms(reps, [&] {
    for (std::size_t i = 0; i < units.size(); ++i) before[i] = geos_area(ctx, discs, *units[i]);
  });
  const double scan_ms = median_ms(reps, [&] {
    for (std::size_t i = 0; i < units.size(); ++i)
      after[i] = covered_area(units[i]->geometry_xy, near_unit(discs, *units[i]));
  });
  double worst = 0, sum_before = 0, sum_after = 0;
  std::size_t worst_unit = 0;
  for (std::size_t i = 0; i < units.size(); ++i) {
    sum_before += before[i], sum_after += after[i];
    const double rel = before[i] > 1e4 ? std::fabs(after[i] - before[i]) / before[i] : 0;
    if (rel > worst) worst = rel, worst_unit = i;
  }
  CoverageRequest with_area = req;
  with_area.area = true;
  const double request_ms =
      median_ms(reps, [&] { compute_coverage(d, profile, with_area, model); });
  CoverageRequest by_district = with_area;
  by_district.by = AggregateBy::district;
  const double district_ms =
      median_ms(reps, [&] { compute_coverage(d, profile, by_district, model); });
  CoverageRequest city = counts;
  city.by = AggregateBy::city;
  const CoverageResult cc = compute_coverage(d, profile, city, model);
  const double service_ms = median_ms(reps, [&] { compute_service_areas(d, cc, model); });
  std::printf("units %zu (districts + streets/towns with polygons), discs %zu\n", units.size(),
              discs.size());
  std::printf("area of every unit: GEOS unions %.1f ms, scanline %.1f ms (%.0fx)\n", geos_ms,
              scan_ms, geos_ms / scan_ms);
  std::printf("total covered area: GEOS %.0f m2, scanline %.0f m2 (%.4f%%); worst unit %.4f%%\n",
              sum_before, sum_after, 100 * (sum_after - sum_before) / sum_before, 100 * worst);
  std::printf("worst unit %s %s: GEOS %.0f m2, scanline %.0f m2 of %.0f m2\n",
              units[worst_unit]->code.c_str(), units[worst_unit]->name.c_str(), before[worst_unit],
              after[worst_unit], units[worst_unit]->area_m2);
  std::printf("cold coverage with area, compute_coverage: by=street %.1f ms, by=district %.1f ms\n",
              request_ms, district_ms);
  std::printf("service-area polygons (GEOS union, clip, simplify): %.1f ms\n", service_ms);
  return 0;
}
