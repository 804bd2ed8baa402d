// Coverage timings on the shipped dataset (--data MANIFEST) or a seeded synthetic city, and the
// inputs for the PostGIS and geopandas comparisons (bench/coverage/compare.py): demand.csv,
// facilities.csv and ours.json with our counts and medians.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lifecircle/analyzer.hpp"
#include "lifecircle/coverage.hpp"
#include "lifecircle/euclidean_distance.hpp"
#include "lifecircle/loader.hpp"

using namespace lifecircle;

namespace {

struct Timing {
  double wall_ms, cpu_ms;
};

double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

// Median wall and CPU milliseconds of `reps` runs (after one warm-up run).
Timing measure(int reps, const std::function<void()>& f) {
  f();
  std::vector<double> wall, cpu;
  for (int i = 0; i < reps; ++i) {
    const double c0 = thread_cpu_ms();
    const auto t0 = std::chrono::steady_clock::now();
    f();
    wall.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    cpu.push_back(thread_cpu_ms() - c0);
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  return {wall[wall.size() / 2], cpu[cpu.size() / 2]};
}

// A synthetic city: 100k demand points in Gaussian clusters over 50 x 40 km (4 x 4 districts),
// and facilities placed near demand (500 comprehensive centers, 1200 meal sites, ...).
DatasetContent synthetic(unsigned seed) {
  std::mt19937 rng(seed);
  DatasetContent c;
  c.info.name = "synthetic";
  c.info.title = "Synthetic city";
  const double x0 = 320000, y0 = 3420000, w = 50000, h = 40000;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      AdminUnit u;
      u.code = std::to_string(310100 + i * 4 + j);
      u.name = "D" + u.code;
      PolygonXY p;
      const double ax = x0 + i * w / 4, ay = y0 + j * h / 4;
      p.rings.push_back(
          {{ax, ay}, {ax + w / 4, ay}, {ax + w / 4, ay + h / 4}, {ax, ay + h / 4}, {ax, ay}});
      u.geometry_xy = {p};
      u.area_m2 = w * h / 16;
      c.districts.push_back(u);
    }
  std::uniform_real_distribution<double> ux(x0, x0 + w), uy(y0, y0 + h);
  std::vector<XY> centres(60);
  for (auto& p : centres) p = {ux(rng), uy(rng)};
  std::normal_distribution<double> spread(0, 2500);
  std::lognormal_distribution<double> pop(std::log(180.0), 0.8);
  auto district_of = [&](XY p) {
    const int i = std::clamp(int((p.x - x0) / (w / 4)), 0, 3),
              j = std::clamp(int((p.y - y0) / (h / 4)), 0, 3);
    return std::to_string(310100 + i * 4 + j);
  };
  for (int k = 0; k < 100000; ++k) {
    XY p;
    if (k % 7 == 0) {
      p = {ux(rng), uy(rng)};
    } else {
      const XY& c0 = centres[k % centres.size()];
      p = {std::clamp(c0.x + spread(rng), x0, x0 + w), std::clamp(c0.y + spread(rng), y0, y0 + h)};
    }
    PopulationCell cell;
    cell.id = "c" + std::to_string(k);
    cell.xy = p;
    cell.population = std::round(pop(rng));
    cell.population_60plus = std::round(cell.population * 0.234);
    cell.district_code = district_of(p);
    c.population.push_back(cell);
  }
  std::normal_distribution<double> jitter(0, 300);
  auto place = [&](const char* type, int n) {
    for (int k = 0; k < n; ++k) {
      const XY base = c.population[rng() % c.population.size()].xy;
      Facility f;
      f.id = std::string(type) + std::to_string(k);
      f.name = f.id;
      f.type = type;
      f.family = find_facility_type(type)->family;
      f.xy = {base.x + jitter(rng), base.y + jitter(rng)};
      f.district_code = district_of(f.xy);
      c.facilities.push_back(f);
    }
  };
  place("comprehensive_center", 500);
  place("day_care", 700);
  place("doorstep_station", 2000);
  place("small_nursing_home", 300);
  place("nursing_home", 700);
  place("canteen", 400);
  place("meal_point", 1200);
  place("public_columbarium", 110);
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data, out = "bench-coverage-out", standards = default_standards_path();
  int reps = 15;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--data") && i + 1 < argc)
      data = argv[++i];
    else if (!std::strcmp(argv[i], "--out") && i + 1 < argc)
      out = argv[++i];
    else if (!std::strcmp(argv[i], "--reps") && i + 1 < argc)
      reps = std::atoi(argv[++i]);
    else {
      std::fprintf(stderr, "usage: coverage_bench [--data MANIFEST] [--out DIR] [--reps N]\n");
      return 2;
    }
  }
  std::shared_ptr<const Dataset> d;
  const auto l0 = std::chrono::steady_clock::now();
  if (!data.empty()) {
    LoadResult r = load_dataset(data);
    if (!r.dataset) {
      std::cerr << r.report.to_text();
      return 1;
    }
    d = r.dataset;
    standards = d->info().standards_path;
  } else {
    d = std::make_shared<const Dataset>(synthetic(7));
  }
  const double load_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - l0).count();
  auto table = std::make_shared<const Standards>(Standards::load(standards));
  const StandardsProfile profile = table->resolve("", {});

  CoverageRequest one;
  one.selection.types = {"comprehensive_center"};
  one.by = AggregateBy::district;
  one.area = false;
  const EuclideanDistance model(profile.detour_factor);

  nlohmann::json j;
  j["dataset"] = data.empty() ? "synthetic (seed 7)" : data;
  j["demand_points"] = d->population().size();
  j["load_ms"] = load_ms;
  j["reps"] = reps;

  CoverageResult last;
  const Timing counts = measure(reps, [&] { last = compute_coverage(*d, profile, one, model); });
  j["facilities"] = last.facilities.size();
  j["walk_m"] = last.thresholds[0].walk_m;
  j["radius_m"] = last.thresholds[0].radius_m;
  j["covered_points"] = last.total.demand_points_covered;
  j["covered_population"] = last.total.covered;
  j["one_type_counts"] = {{"wall_ms", counts.wall_ms}, {"cpu_ms", counts.cpu_ms}};

  CoverageRequest with_area = one;
  with_area.area = true;
  const Timing area =
      measure(std::max(3, reps / 3), [&] { compute_coverage(*d, profile, with_area, model); });
  j["one_type_with_area"] = {{"wall_ms", area.wall_ms}, {"cpu_ms", area.cpu_ms}};

  Analyzer analyzer(table);
  analyzer.coverage(*d, one);
  const Timing warm = measure(reps, [&] { analyzer.coverage(*d, one); });
  j["one_type_cached"] = {{"wall_ms", warm.wall_ms}, {"cpu_ms", warm.cpu_ms}};

  const Timing all = measure(std::max(3, reps / 3), [&] {
    for (Family f : {Family::eldercare, Family::meal, Family::columbarium}) {
      CoverageRequest r;
      r.selection.family = f;
      r.area = false;
      compute_coverage(*d, profile, r, model);
    }
  });
  j["all_families_counts"] = {{"wall_ms", all.wall_ms}, {"cpu_ms", all.cpu_ms}};

  // Inputs for compare.py: the same demand and facilities, straight-line radius.
  std::system(("mkdir -p '" + out + "'").c_str());
  {
    std::ofstream dem(out + "/demand.csv"), fac(out + "/facilities.csv");
    dem.precision(17);
    fac.precision(17);
    dem << "id,pop,x,y\n";
    for (std::size_t i = 0; i < d->population().size(); ++i) {
      const auto& c = d->population()[i];
      dem << i << ',' << c.population << ',' << c.xy.x << ',' << c.xy.y << '\n';
    }
    fac << "id,x,y\n";
    for (std::size_t k = 0; k < last.facilities.size(); ++k) {
      const auto& f = d->facilities()[last.facilities[k]];
      fac << k << ',' << f.xy.x << ',' << f.xy.y << '\n';
    }
  }
  std::ofstream(out + "/ours.json") << j.dump(2) << "\n";
  std::cout << j.dump(2) << "\n";
  return 0;
}
