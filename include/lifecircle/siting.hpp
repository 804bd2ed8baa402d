// Location-allocation: where new facilities cover the most demand, or how few reach a target.
//
// The solver works on an abstract covering instance (demand weights, and for every candidate
// site the demand points it covers) so that it knows nothing of the dataset, the distance model
// or HTTP. The natural way to fill it is DistanceModel::within(demand, candidates, cutoff) for
// the candidate sets and DistanceModel::within(demand, existing, cutoff) (or nearest()) for the
// demand existing open facilities already cover.
//
// Methods: lazy greedy (CELF) followed by 1-swap interchange local search (the default), or an
// exact MIP solved by COIN-OR CBC, warm-started from the heuristic, reporting bound and gap.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lifecircle/errors.hpp"
#include "lifecircle/types.hpp"

namespace lifecircle::siting {

// A read-only view of one site's ascending demand indices.
struct IndexRange {
  const std::uint32_t* first = nullptr;
  const std::uint32_t* last = nullptr;
  const std::uint32_t* begin() const { return first; }
  const std::uint32_t* end() const { return last; }
  std::size_t size() const { return static_cast<std::size_t>(last - first); }
  bool empty() const { return first == last; }
};

// For every candidate site, the demand indices it covers, stored CSR-style (one offsets array,
// one index array) so 10k candidates x 100k demand points cost one allocation, not 10k.
class CoverageSets {
 public:
  CoverageSets() = default;
  // offsets.size() == sites + 1, offsets.front() == 0, offsets.back() == demand.size().
  // Each site's slice must be strictly ascending; solve() checks and reports violations.
  CoverageSets(std::vector<std::uint64_t> offsets, std::vector<std::uint32_t> demand);
  // From one list per site, e.g. the result of DistanceModel::within(); lists are sorted and
  // de-duplicated here, so any order is accepted.
  static CoverageSets from_lists(const std::vector<std::vector<std::uint32_t>>& lists);

  std::size_t sites() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  std::size_t nonzeros() const { return demand_.size(); }
  IndexRange site(std::size_t j) const {
    return {demand_.data() + offsets_[j], demand_.data() + offsets_[j + 1]};
  }
  const std::vector<std::uint64_t>& offsets() const { return offsets_; }
  const std::vector<std::uint32_t>& demand() const { return demand_; }

 private:
  std::vector<std::uint64_t> offsets_;
  std::vector<std::uint32_t> demand_;
};

// Per demand point: 1 when any of the lists (one per existing facility, as from
// DistanceModel::within(demand, existing, cutoff)) contains it.
std::vector<std::uint8_t> mark_covered(std::size_t demand_count,
                                       const std::vector<std::vector<std::uint32_t>>& lists);

struct Instance {
  // Objective weight per demand point: residents, or residents 60+.
  std::vector<double> weight;
  // A companion weight reported alongside (e.g. 60+ when weight is residents); empty = none.
  std::vector<double> weight2;
  // Per demand point: non-zero when an existing open facility already covers it (existing
  // facilities are required: always open, uncapacitated). Empty = nothing covered yet.
  std::vector<std::uint8_t> already_covered;
  // The demand each candidate site would cover.
  CoverageSets candidates;
  // Per candidate: cost (> 0) for the budgeted variant; empty = every site costs 1.
  std::vector<double> site_cost;
  // Per candidate: the most primary weight one new site may serve (> 0, +inf allowed);
  // empty = uncapacitated. See Request::min_spacing_m for the positions below.
  std::vector<double> site_capacity;
  // Candidate and existing-facility positions in metres; needed only for min_spacing_m > 0.
  std::vector<XY> site_xy;
  std::vector<XY> existing_xy;
};

// Limits on the work one request may cause, so a huge request is refused up front with a
// clear error instead of exhausting memory. Configure them; these defaults suit 2-4 GB.
struct Limits {
  std::size_t max_demand = 5'000'000;
  std::size_t max_candidates = 500'000;
  std::size_t max_nonzeros = 100'000'000;      // coverage-set entries (4 bytes each)
  std::size_t max_spacing_pairs = 20'000'000;  // candidate pairs closer than min_spacing_m
  std::size_t max_mip_columns = 500'000;       // exact method only, after reduction
  std::size_t max_mip_nonzeros = 5'000'000;    // exact method only, after reduction
  double max_time_limit_s = 3600;
};

enum class Problem {
  // Choose new sites (at most max_sites, total cost at most budget) maximising the newly
  // covered primary weight.
  max_coverage,
  // Choose the fewest new sites (least total cost when site_cost is given) so that existing
  // plus new coverage reaches target_share of the total primary weight.
  set_cover,
};

enum class Method { heuristic, exact };

struct Progress {
  const char* phase = "";  // "greedy", "swap", "mip"
  double elapsed_ms = 0;
  double incumbent = 0;         // best objective so far (new weight, or cost for set_cover)
  std::optional<double> bound;  // exact method: best proven bound so far
  std::int64_t iterations = 0;
};

struct Request {
  Problem problem = Problem::max_coverage;
  std::optional<std::size_t> max_sites;  // k; max_coverage needs max_sites or budget (or both)
  std::optional<double> budget;          // with Instance::site_cost
  double target_share = 0.9;             // set_cover: covered share of total primary weight
  // Two chosen sites, or a chosen site and an existing facility, closer than this (metres)
  // are not allowed; 0 disables spacing.
  double min_spacing_m = 0;
  std::vector<std::uint32_t> excluded;  // candidate indices never to choose
  // Candidate indices already decided (built or committed): in every solution, ranked first,
  // counted towards max_sites and the budget, kept min_spacing_m from new sites like existing
  // facilities, and the demand they reach counts as covered before new sites are chosen (their
  // capacity does not limit that).
  std::vector<std::uint32_t> required;

  Method method = Method::heuristic;
  bool local_search = true;  // heuristic: run swap interchange after greedy
  // Whole solve, every method: the solution found so far is returned at expiry, with
  // SolverFacts::stopped saying so.
  double time_limit_s = 30;
  const std::atomic<bool>* cancel = nullptr;      // set to true from another thread to stop early
  std::function<void(const Progress&)> progress;  // called from the solving thread
  Limits limits;
};

struct ChosenSite {
  std::uint32_t site = 0;  // candidate index in the instance
  std::uint32_t rank = 0;  // 1-based
  // Newly covered weight credited to this site. Uncapacitated: marginal gain in rank order
  // (what this site adds to the sites ranked above it). Capacitated: the weight it serves.
  double new_weight = 0;
  double new_weight2 = 0;
  double cost = 0;
  bool required = false;  // one of Request::required (credited with its reach over existing)
};

struct SolverFacts {
  std::string method;  // "greedy", "greedy+swap", "cbc"
  double time_ms = 0;
  // Heuristic: greedy gain evaluations + applied moves; exact: branch-and-bound nodes.
  std::int64_t iterations = 0;
  std::int64_t swaps = 0;  // improving local-search moves applied
  std::string stopped;     // "" (ran to completion), "time_limit" or "cancelled"
  // Every method: a proven bound on the objective (CBC's where it ran, and at least the reach
  // bound: no k sites add more than their k largest single reaches), the gap to it, and
  // whether that proves the answer optimal.
  std::optional<double> bound;
  std::optional<double> gap;  // |bound - objective| / max(|objective|, 1e-9); none if target missed
  bool optimal = false;
  // Exact method only.
  std::optional<double> heuristic_objective;  // the warm start handed to CBC
  bool warm_start_used = false;               // CBC accepted it as its first incumbent
  // Size after reduction (demand points with identical candidate sets merged).
  std::size_t demand_groups = 0;
  std::size_t eligible_sites = 0;
  std::size_t reduced_nonzeros = 0;
};

struct Solution {
  std::vector<ChosenSite> sites;  // in rank order
  // Primary weight newly covered by the chosen (not required) sites: the max_coverage objective,
  // which bound and gap refer to; for set_cover, see total_cost.
  double objective = 0;
  double total_cost = 0;  // every site in `sites`, required ones included
  double required_weight = 0, required_weight2 = 0;  // newly covered by the required sites
  double required_cost = 0;
  double total_weight = 0, total_weight2 = 0;
  double covered_before = 0, covered_before2 = 0;  // by existing facilities
  double covered_after = 0, covered_after2 = 0;    // existing, required and chosen sites
  bool target_reached = true;                      // set_cover only
  SolverFacts facts;
};

// An error with a code from the catalogue (invalid_instance, invalid_request, too_large,
// target_unreachable, solver_failed) and the field at fault.
struct Error {
  ErrorCode code = ErrorCode::invalid_request;
  std::string field;  // the offending field, e.g. "candidates", "max_sites"
  std::string message;
};

struct Result {
  std::optional<Solution> solution;
  std::optional<Error> error;
  bool ok() const { return solution.has_value(); }
};

// Solves one siting request. Never throws for bad input or size: those come back as Error.
Result solve(const Instance& instance, const Request& request);

// Candidate sets from positions and a straight-line radius (Boost.Geometry R-tree), for
// generated instances and tests; refuses with "too_large" once more than max_nonzeros entries
// would be produced instead of allocating them.
struct CoverageBuild {
  std::optional<CoverageSets> sets;
  std::optional<Error> error;
};
CoverageBuild cover_within_radius(const std::vector<XY>& demand, const std::vector<XY>& sites,
                                  double radius_m, std::size_t max_nonzeros);

}  // namespace lifecircle::siting
