// Siting benchmark on seeded, spatially realistic instances: clustered demand (towns and
// neighbourhoods as Gaussian blobs over a sparse background, lognormal residents per point, a
// varying 60+ share), candidate sites mostly near demand, existing facilities already covering
// part of it, radius-based coverage from an R-tree.
//
// usage: siting_bench [--reps N] [--quick]   (N runs per case; default 5, CBC cases 3)
//        siting_bench [--reps N] --one SEED K   (one 10k x 1k case with CBC)
//        siting_bench [--reps N] --bound SEED K (the same case, heuristic and its bound only)
//   prints one Markdown table row per case, medians over the runs.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "lifecircle/siting.hpp"

using namespace lifecircle;
using namespace lifecircle::siting;

namespace {

struct Spec {
  std::size_t demand, candidates, existing;
  double side_m;    // square study area
  double radius_m;  // straight-line cover radius
  std::uint32_t seed;
};

struct Generated {
  Instance instance;
  double build_ms = 0;
};

Generated generate(const Spec& s) {
  std::mt19937_64 rng(s.seed);
  std::uniform_real_distribution<double> u(0, s.side_m), unit(0, 1);
  // Clusters: centre, spread, relative size, 60+ share.
  const std::size_t nclusters = std::max<std::size_t>(8, s.demand / 1500);
  struct Cluster {
    XY c;
    double sigma, share60;
  };
  std::vector<Cluster> cl(nclusters);
  std::vector<double> size(nclusters);
  for (std::size_t k = 0; k < nclusters; ++k) {
    cl[k] = {{u(rng), u(rng)}, 400 + 1800 * unit(rng), 0.18 + 0.25 * unit(rng)};
    size[k] = 1.0 / std::pow(double(k + 1), 0.8);  // a few big towns, many small ones
  }
  std::discrete_distribution<std::size_t> pick(size.begin(), size.end());
  std::normal_distribution<double> n01(0, 1);
  std::lognormal_distribution<double> residents(std::log(180.0), 0.9);

  std::vector<XY> demand(s.demand);
  Instance in;
  in.weight.resize(s.demand);
  in.weight2.resize(s.demand);
  for (std::size_t i = 0; i < s.demand; ++i) {
    double share = 0.25;
    if (unit(rng) < 0.85) {
      const Cluster& c = cl[pick(rng)];
      demand[i] = {c.c.x + c.sigma * n01(rng), c.c.y + c.sigma * n01(rng)};
      share = c.share60;
    } else {
      demand[i] = {u(rng), u(rng)};
    }
    in.weight[i] = std::round(residents(rng));
    in.weight2[i] = std::round(in.weight[i] * share);
  }
  auto near_demand = [&](double jitter) {
    const XY& d = demand[std::uniform_int_distribution<std::size_t>(0, s.demand - 1)(rng)];
    return XY{d.x + jitter * n01(rng), d.y + jitter * n01(rng)};
  };
  std::vector<XY> cand(s.candidates), existing(s.existing);
  for (auto& p : cand) p = unit(rng) < 0.8 ? near_demand(300) : XY{u(rng), u(rng)};
  for (auto& p : existing) p = near_demand(200);

  const auto t0 = std::chrono::steady_clock::now();
  CoverageBuild b = cover_within_radius(demand, cand, s.radius_m, 200'000'000);
  CoverageBuild e = cover_within_radius(demand, existing, s.radius_m, 200'000'000);
  std::vector<std::vector<std::uint32_t>> lists(s.existing);
  for (std::size_t j = 0; j < s.existing; ++j) {
    const IndexRange r = e.sets->site(j);
    lists[j].assign(r.begin(), r.end());
  }
  in.already_covered = mark_covered(s.demand, lists);
  in.candidates = std::move(*b.sets);
  in.site_xy = std::move(cand);
  in.existing_xy = std::move(existing);
  Generated g;
  g.build_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  g.instance = std::move(in);
  return g;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Wall and process CPU time: the bench box is shared with other work, and CPU time is what the
// solver itself costs (everything here runs on one thread).
struct Run {
  double ms, cpu_ms, objective;
  Result result;
};

Run run(const Instance& in, const Request& rq) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  Result r = solve(in, rq);
  const double cpu_ms = 1000.0 * double(std::clock() - c0) / CLOCKS_PER_SEC;
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!r.ok()) {
    std::fprintf(stderr, "error %s: %s\n", r.error->code.c_str(), r.error->message.c_str());
    std::exit(1);
  }
  return {ms, cpu_ms, r.solution->objective, std::move(r)};
}

struct Series {
  std::vector<double> wall, cpu;
  void add(const Run& r) {
    wall.push_back(r.ms);
    cpu.push_back(r.cpu_ms);
  }
  std::string text() const {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.1f ms (cpu %.1f)", median(wall), median(cpu));
    return buf;
  }
};

void case_heuristic_only(const Spec& s, std::size_t k, int reps) {
  const Generated g = generate(s);
  const Instance& in = g.instance;
  Request rq;
  rq.max_sites = k;
  Series greedy, swap;
  double obj_greedy = 0, obj_swap = 0;
  Result last;
  for (int r = 0; r < reps; ++r) {
    rq.local_search = false;
    Run a = run(in, rq);
    rq.local_search = true;
    Run b = run(in, rq);
    greedy.add(a);
    swap.add(b);
    obj_greedy = a.objective;
    obj_swap = b.objective;
    last = std::move(b.result);
  }
  const Solution& sol = *last.solution;
  std::printf(
      "| %zuk x %zuk, k=%zu | %.0f | %zu groups, %.2fM nnz | greedy %s; greedy+swap %s, %lld "
      "swaps | coverage %.1f%% -> %.1f%%; swap adds %.2f%%; proven gap %.2f%% | - |\n",
      s.demand / 1000, s.candidates / 1000, k, g.build_ms, sol.facts.demand_groups,
      in.candidates.nonzeros() / 1e6, greedy.text().c_str(), swap.text().c_str(),
      static_cast<long long>(sol.facts.swaps), 100 * sol.covered_before / sol.total_weight,
      100 * sol.covered_after / sol.total_weight, 100 * (obj_swap - obj_greedy) / obj_greedy,
      100 * sol.facts.gap.value_or(-1));
  std::fflush(stdout);
}

void case_with_cbc(const Spec& s, std::size_t k, int reps) {
  const Generated g = generate(s);
  const Instance& in = g.instance;
  Request rq;
  rq.max_sites = k;
  rq.time_limit_s = 600;
  Series greedy, swap, cbc;
  double opt = 0, obj_greedy = 0, obj_swap = 0, bound = 0;
  bool optimal = true, warm = true;
  long long nodes = 0;
  std::size_t groups = 0;
  for (int r = 0; r < reps; ++r) {
    rq.method = Method::heuristic;
    rq.local_search = false;
    Run a = run(in, rq);
    rq.local_search = true;
    Run b = run(in, rq);
    rq.method = Method::exact;
    Run c = run(in, rq);
    greedy.add(a);
    swap.add(b);
    cbc.add(c);
    obj_greedy = a.objective;
    obj_swap = b.objective;
    bound = b.result.solution->facts.bound.value_or(0);
    opt = c.objective;
    const SolverFacts& f = c.result.solution->facts;
    optimal = optimal && f.optimal;
    warm = warm && f.warm_start_used;
    nodes = f.iterations;
    groups = f.demand_groups;
  }
  std::printf(
      "| %zuk x %zuk, k=%zu, seed %u | %.0f | %zu groups, %.2fM nnz | greedy %s; greedy+swap %s | "
      "CBC %s, %s, %lld nodes%s | greedy %.2f%%, greedy+swap %.2f%%; its proven bound %.2f%% "
      "above |\n",
      s.demand / 1000, s.candidates / 1000, k, s.seed, g.build_ms, groups,
      in.candidates.nonzeros() / 1e6, greedy.text().c_str(), swap.text().c_str(),
      cbc.text().c_str(), optimal ? "optimal" : "NOT proven", nodes,
      warm ? ", warm start used" : "", 100 * (opt - obj_greedy) / opt, 100 * (opt - obj_swap) / opt,
      100 * (bound - opt) / opt);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 5, cbc_reps = 3;
  bool quick = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--reps") && i + 1 < argc) reps = cbc_reps = std::atoi(argv[++i]);
    if (!std::strcmp(argv[i], "--quick")) quick = true;
    if (!std::strcmp(argv[i], "--bound") && i + 2 < argc) {  // --bound SEED K: heuristic only
      const Generated g = generate(
          {10'000, 1'000, 30, 20'000, 800, static_cast<std::uint32_t>(std::atoi(argv[i + 1]))});
      Request rq;
      rq.max_sites = static_cast<std::size_t>(std::atoi(argv[i + 2]));
      Series t;
      double gap = 0;
      for (int r = 0; r < reps; ++r) {
        const Run h = run(g.instance, rq);
        t.add(h);
        gap = h.result.solution->facts.gap.value_or(-1);
      }
      std::printf("heuristic with its bound: %s, proven gap %.2f%%\n", t.text().c_str(), 100 * gap);
      return 0;
    }
    if (!std::strcmp(argv[i], "--one") && i + 2 < argc) {  // --one SEED K: one 10k x 1k case
      const auto seed = static_cast<std::uint32_t>(std::atoi(argv[i + 1]));
      const auto k = static_cast<std::size_t>(std::atoi(argv[i + 2]));
      case_with_cbc({10'000, 1'000, 30, 20'000, 800, seed}, k, cbc_reps);
      return 0;
    }
  }
  std::printf(
      "| case | coverage build ms | reduced size | heuristic (median) | exact (median) | "
      "heuristic below optimum |\n|---|---|---|---|---|---|\n");
  // A city-scale study area (50 km square) at 100k demand points and 10k candidates.
  case_heuristic_only({100'000, 10'000, 300, 50'000, 800, 1}, 50, reps);
  if (quick) return 0;
  // A district-scale area (20 km square) at 10k x 1k, the size PLATFORM.md quotes.
  for (std::uint32_t seed : {1u, 2u, 3u}) {
    case_with_cbc({10'000, 1'000, 30, 20'000, 800, seed}, 20, cbc_reps);
    case_with_cbc({10'000, 1'000, 30, 20'000, 800, seed}, 50, cbc_reps);
  }
  return 0;
}
