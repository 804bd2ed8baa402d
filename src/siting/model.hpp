// The reduced problem both solvers work on, and the run control they share.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "lifecircle/siting.hpp"

namespace lifecircle::siting::detail {

constexpr std::uint32_t kNoGroup = std::numeric_limits<std::uint32_t>::max();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Demand points that are not yet covered and that exactly the same eligible sites reach are
// interchangeable for every objective here (the capacitated proportional split treats them
// alike too), so they are merged into one group carrying their summed weights. On radius-based
// instances this shrinks the problem several-fold, for the heuristic and the MIP alike.
struct Model {
  // Groups.
  std::vector<double> gw, gw2;
  // Eligible sites (not excluded, not too close to an existing facility), as model indices.
  std::vector<std::uint32_t> site_id;  // model site -> instance candidate index
  std::vector<std::uint64_t> off;      // CSR: model site -> ascending group ids
  std::vector<std::uint32_t> grp;
  std::vector<double> cost;  // per model site
  std::vector<double> cap;   // per model site; kInf when uncapacitated
  bool capacitated = false;
  bool unit_cost = true;
  // Pairs of model sites closer than the minimum spacing, CSR by model site (symmetric).
  std::vector<std::uint64_t> coff;
  std::vector<std::uint32_t> conf;
  bool spacing = false;

  double total_w = 0, total_w2 = 0;    // all demand
  double before_w = 0, before_w2 = 0;  // covered by existing facilities
  // Required sites (instance indices, request order), what each newly covers over existing
  // facilities and the required sites before it, and what they cost; their demand is removed
  // from the groups like existing coverage.
  std::vector<std::uint32_t> required;
  std::vector<double> required_gain, required_gain2;
  double required_w = 0, required_w2 = 0, required_cost = 0;

  std::size_t sites() const { return site_id.size(); }
  std::size_t groups() const { return gw.size(); }
  IndexRange site(std::size_t j) const { return {grp.data() + off[j], grp.data() + off[j + 1]}; }
  IndexRange conflicts(std::size_t j) const {
    if (!spacing) return {};
    return {conf.data() + coff[j], conf.data() + coff[j + 1]};
  }
};

// What the solver must respect, in model terms.
struct Constraints {
  Problem problem = Problem::max_coverage;
  std::size_t max_sites = std::numeric_limits<std::size_t>::max();
  double budget = kInf;
  double target_new = 0;  // set_cover: new primary weight needed on top of covered_before
};

// Deadline, cancellation and progress reporting for one solve.
class Control {
 public:
  Control(double time_limit_s, const std::atomic<bool>* cancel,
          std::function<void(const Progress&)> progress)
      : start_(std::chrono::steady_clock::now()),
        deadline_(start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                               std::chrono::duration<double>(time_limit_s))),
        cancel_(cancel),
        progress_(std::move(progress)) {}

  // True once the deadline passed or cancellation was requested; records which.
  bool should_stop() {
    if (!stopped_.empty()) return true;
    if (cancel_ && cancel_->load(std::memory_order_relaxed)) {
      stopped_ = "cancelled";
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline_) {
      stopped_ = "time_limit";
      return true;
    }
    return false;
  }
  bool cancelled() const { return cancel_ && cancel_->load(std::memory_order_relaxed); }
  double elapsed_ms() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_)
        .count();
  }
  double remaining_s() const {
    return std::chrono::duration<double>(deadline_ - std::chrono::steady_clock::now()).count();
  }
  void report(const char* phase, double incumbent, std::optional<double> bound,
              std::int64_t iterations) const {
    if (!progress_) return;
    Progress p;
    p.phase = phase;
    p.elapsed_ms = elapsed_ms();
    p.incumbent = incumbent;
    p.bound = bound;
    p.iterations = iterations;
    progress_(p);
  }
  const std::string& stopped() const { return stopped_; }
  void mark_stopped(std::string why) {
    if (stopped_.empty()) stopped_ = std::move(why);
  }

 private:
  std::chrono::steady_clock::time_point start_, deadline_;
  const std::atomic<bool>* cancel_;
  std::function<void(const Progress&)> progress_;
  std::string stopped_;
};

// A heuristic or exact answer in model terms.
struct ModelSolution {
  std::vector<std::uint32_t> order;  // model sites; rank order for the capacitated split
  double objective = 0;              // new primary weight served
  std::int64_t iterations = 0;
  std::int64_t swaps = 0;
  // Exact method: served weight per chosen model site and per (group, site) when capacitated.
  std::vector<double> load;
  std::vector<double> load2;
};

// Builds the reduced model, or returns an error (validation, limits).
std::optional<Error> build_model(const Instance& in, const Request& rq, Model& m);

// Sequential proportional split (the capacitated assignment rule): sites in `order` each take
// the same share f = min(1, C / R) of every group's remaining weight they reach, where R is
// that remaining weight summed. Returns served weight per site (primary and companion).
// Uncapacitated sites (C = inf) take everything, so this is the plain marginal gain too.
// When `residual` is given it receives every group's remaining primary weight afterwards.
double simulate(const Model& m, const std::vector<std::uint32_t>& order, std::vector<double>* load,
                std::vector<double>* load2, std::vector<double>* residual = nullptr);

ModelSolution solve_heuristic(const Model& m, const Constraints& c, bool local_search,
                              Control& ctl);

// The Lagrangian bound of the uncapacitated maximal covering problem with at most k sites (see
// bound.cpp): the least L(l) found from `start_bound` down within budget_ms, stopping early
// once it meets `lower` (a known objective value).
double lagrangian_bound(const Model& m, std::size_t k, double lower, double start_bound,
                        const Control& ctl, double budget_ms);

struct ExactOutcome {
  std::optional<ModelSolution> solution;
  std::optional<double> bound;
  bool optimal = false;
  bool infeasible = false;
  bool warm_start_used = false;
  std::int64_t nodes = 0;
  std::string failure;  // non-empty when CBC did not run
};
ExactOutcome solve_exact(const Model& m, const Constraints& c, const ModelSolution* warm,
                         const Limits& limits, Control& ctl);

}  // namespace lifecircle::siting::detail
