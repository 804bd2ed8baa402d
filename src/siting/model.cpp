// Instance validation, size limits and the reduction to demand groups.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <utility>

#include "siting/model.hpp"

namespace lifecircle::siting {

CoverageSets::CoverageSets(std::vector<std::uint64_t> offsets, std::vector<std::uint32_t> demand)
    : offsets_(std::move(offsets)), demand_(std::move(demand)) {}

CoverageSets CoverageSets::from_lists(const std::vector<std::vector<std::uint32_t>>& lists) {
  std::vector<std::uint64_t> offsets(lists.size() + 1, 0);
  std::size_t total = 0;
  for (const auto& l : lists) total += l.size();
  std::vector<std::uint32_t> demand;
  demand.reserve(total);
  for (std::size_t j = 0; j < lists.size(); ++j) {
    const std::size_t start = demand.size();
    demand.insert(demand.end(), lists[j].begin(), lists[j].end());
    std::sort(demand.begin() + static_cast<std::ptrdiff_t>(start), demand.end());
    demand.erase(std::unique(demand.begin() + static_cast<std::ptrdiff_t>(start), demand.end()),
                 demand.end());
    offsets[j + 1] = demand.size();
  }
  return CoverageSets(std::move(offsets), std::move(demand));
}

std::vector<std::uint8_t> mark_covered(std::size_t demand_count,
                                       const std::vector<std::vector<std::uint32_t>>& lists) {
  std::vector<std::uint8_t> covered(demand_count, 0);
  for (const auto& l : lists)
    for (std::uint32_t i : l)
      if (i < demand_count) covered[i] = 1;
  return covered;
}

namespace detail {
namespace {

Error too_large(std::string field, std::string what, std::size_t n, std::size_t limit) {
  return {
      ErrorCode::too_large, std::move(field),
      what + " " + std::to_string(n) + " exceeds the configured limit of " + std::to_string(limit)};
}

// A 64-bit mixer (splitmix64 finaliser); two differently seeded copies give a 128-bit
// order-independent signature of a demand point's set of covering sites.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Points bucketed in square cells of side `cell`, for "closer than d" queries without an
// R-tree (this file stays light to compile).
class Grid {
 public:
  Grid(const std::vector<XY>& pts, const std::vector<std::uint32_t>& ids, double cell)
      : pts_(pts), cell_(cell) {
    entries_.reserve(ids.size());
    for (std::uint32_t id : ids)
      entries_.push_back({key(cell_of(pts[id].x), cell_of(pts[id].y)), id});
    std::sort(entries_.begin(), entries_.end());
  }
  // Calls f(id) for every point strictly closer than d (== cell) to p.
  template <class F>
  void near(const XY& p, double d, F&& f) const {
    const std::int64_t cx = cell_of(p.x), cy = cell_of(p.y);
    for (std::int64_t dx = -1; dx <= 1; ++dx)
      for (std::int64_t dy = -1; dy <= 1; ++dy) {
        const std::uint64_t k = key(cx + dx, cy + dy);
        auto it = std::lower_bound(entries_.begin(), entries_.end(), std::make_pair(k, 0u));
        for (; it != entries_.end() && it->first == k; ++it) {
          const XY& q = pts_[it->second];
          const double ex = q.x - p.x, ey = q.y - p.y;
          if (ex * ex + ey * ey < d * d) f(it->second);
        }
      }
  }

 private:
  std::int64_t cell_of(double v) const { return static_cast<std::int64_t>(std::floor(v / cell_)); }
  static std::uint64_t key(std::int64_t cx, std::int64_t cy) {
    return (static_cast<std::uint64_t>(cx) << 32) ^
           (static_cast<std::uint64_t>(cy) & 0xffffffffULL);
  }
  const std::vector<XY>& pts_;
  double cell_;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> entries_;
};

bool finite_nonneg(double v) { return std::isfinite(v) && v >= 0; }

std::optional<Error> validate(const Instance& in, const Request& rq) {
  const Limits& lim = rq.limits;
  const std::size_t n = in.weight.size();
  const std::size_t nc = in.candidates.sites();
  if (n > lim.max_demand) return too_large("weight", "demand point count", n, lim.max_demand);
  if (nc > lim.max_candidates)
    return too_large("candidates", "candidate site count", nc, lim.max_candidates);
  if (in.candidates.nonzeros() > lim.max_nonzeros)
    return too_large("candidates", "coverage entry count", in.candidates.nonzeros(),
                     lim.max_nonzeros);
  if (n > std::numeric_limits<std::uint32_t>::max() - 1 ||
      nc > std::numeric_limits<std::uint32_t>::max() - 1)
    return Error{ErrorCode::too_large, "weight", "indices must fit 32 bits"};

  for (std::size_t i = 0; i < n; ++i)
    if (!finite_nonneg(in.weight[i]))
      return Error{ErrorCode::invalid_instance, "weight",
                   "weight of demand " + std::to_string(i) + " is negative or not finite"};
  if (!in.weight2.empty()) {
    if (in.weight2.size() != n)
      return Error{ErrorCode::invalid_instance, "weight2",
                   "weight2 must have one value per demand"};
    for (std::size_t i = 0; i < n; ++i)
      if (!finite_nonneg(in.weight2[i]))
        return Error{ErrorCode::invalid_instance, "weight2",
                     "weight2 of demand " + std::to_string(i) + " is negative or not finite"};
  }
  if (!in.already_covered.empty() && in.already_covered.size() != n)
    return Error{ErrorCode::invalid_instance, "already_covered",
                 "already_covered must have one flag per demand point"};

  const auto& off = in.candidates.offsets();
  if (!off.empty() && (off.front() != 0 || off.back() != in.candidates.nonzeros()))
    return Error{ErrorCode::invalid_instance, "candidates",
                 "offsets must run from 0 to nonzeros()"};
  for (std::size_t j = 0; j < nc; ++j) {
    if (off[j + 1] < off[j])
      return Error{ErrorCode::invalid_instance, "candidates",
                   "offsets decrease at site " + std::to_string(j)};
    const IndexRange s = in.candidates.site(j);
    for (const std::uint32_t* p = s.begin(); p != s.end(); ++p) {
      if (*p >= n)
        return Error{ErrorCode::invalid_instance, "candidates",
                     "site " + std::to_string(j) + " covers demand " + std::to_string(*p) +
                         " but there are only " + std::to_string(n)};
      if (p != s.begin() && *p <= *(p - 1))
        return Error{ErrorCode::invalid_instance, "candidates",
                     "demand indices of site " + std::to_string(j) + " are not strictly ascending"};
    }
  }
  if (!in.site_cost.empty()) {
    if (in.site_cost.size() != nc)
      return Error{ErrorCode::invalid_instance, "site_cost",
                   "site_cost must have one value per site"};
    for (std::size_t j = 0; j < nc; ++j)
      if (!std::isfinite(in.site_cost[j]) || in.site_cost[j] <= 0)
        return Error{ErrorCode::invalid_instance, "site_cost",
                     "cost of site " + std::to_string(j) + " must be positive and finite"};
  }
  if (!in.site_capacity.empty()) {
    if (in.site_capacity.size() != nc)
      return Error{ErrorCode::invalid_instance, "site_capacity",
                   "site_capacity must have one value per site"};
    for (std::size_t j = 0; j < nc; ++j)
      if (std::isnan(in.site_capacity[j]) || in.site_capacity[j] <= 0)
        return Error{ErrorCode::invalid_instance, "site_capacity",
                     "capacity of site " + std::to_string(j) + " must be positive"};
  }

  // The request.
  if (!std::isfinite(rq.time_limit_s) || rq.time_limit_s <= 0 ||
      rq.time_limit_s > lim.max_time_limit_s)
    return Error{
        ErrorCode::invalid_request, "time_limit_s",
        "time limit must be positive and at most " + std::to_string(lim.max_time_limit_s) + " s"};
  if (rq.problem == Problem::max_coverage) {
    if (!rq.max_sites && !rq.budget)
      return Error{ErrorCode::invalid_request, "max_sites",
                   "maximal covering needs max_sites, budget, or both"};
    if (rq.budget && (!std::isfinite(*rq.budget) || *rq.budget < 0))
      return Error{ErrorCode::invalid_request, "budget", "budget must be finite and >= 0"};
  } else {
    if (!std::isfinite(rq.target_share) || rq.target_share <= 0 || rq.target_share > 1)
      return Error{ErrorCode::invalid_request, "target_share", "target_share must be in (0, 1]"};
  }
  if (!finite_nonneg(rq.min_spacing_m))
    return Error{ErrorCode::invalid_request, "min_spacing_m",
                 "min_spacing_m must be finite and >= 0"};
  if (rq.min_spacing_m > 0) {
    if (in.site_xy.size() != nc)
      return Error{ErrorCode::invalid_instance, "site_xy",
                   "minimum spacing needs one position per candidate site"};
    for (const XY& p : in.site_xy)
      if (!std::isfinite(p.x) || !std::isfinite(p.y))
        return Error{ErrorCode::invalid_instance, "site_xy", "candidate positions must be finite"};
    for (const XY& p : in.existing_xy)
      if (!std::isfinite(p.x) || !std::isfinite(p.y))
        return Error{ErrorCode::invalid_instance, "existing_xy",
                     "existing positions must be finite"};
  }
  for (std::uint32_t j : rq.excluded)
    if (j >= nc)
      return Error{ErrorCode::invalid_request, "excluded",
                   "excluded site " + std::to_string(j) + " does not exist"};
  std::vector<std::uint8_t> seen(nc, 0);
  for (std::uint32_t j : rq.excluded) seen[j] = 1;
  double required_cost = 0;
  for (std::uint32_t j : rq.required) {
    if (j >= nc)
      return Error{ErrorCode::invalid_request, "required",
                   "required site " + std::to_string(j) + " does not exist"};
    if (seen[j])
      return Error{ErrorCode::invalid_request, "required",
                   "site " + std::to_string(j) + " is required twice, or also excluded"};
    seen[j] = 1;
    required_cost += in.site_cost.empty() ? 1.0 : in.site_cost[j];
  }
  if (rq.problem == Problem::max_coverage && rq.max_sites && rq.required.size() > *rq.max_sites)
    return Error{ErrorCode::invalid_request, "required",
                 std::to_string(rq.required.size()) + " required sites exceed max_sites " +
                     std::to_string(*rq.max_sites)};
  if (rq.problem == Problem::max_coverage && rq.budget && required_cost > *rq.budget * (1 + 1e-12))
    return Error{ErrorCode::invalid_request, "required",
                 "the required sites alone exceed the budget"};
  return std::nullopt;
}

}  // namespace

std::optional<Error> build_model(const Instance& in, const Request& rq, Model& m) {
  if (auto e = validate(in, rq)) return e;
  const std::size_t n = in.weight.size();
  const std::size_t nc = in.candidates.sites();
  const bool has_w2 = !in.weight2.empty();
  // 1 = covered by an existing facility, 2 = newly by a required site.
  std::vector<std::uint8_t> pre(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const double w2 = has_w2 ? in.weight2[i] : 0.0;
    m.total_w += in.weight[i];
    m.total_w2 += w2;
    if (!in.already_covered.empty() && in.already_covered[i]) {
      pre[i] = 1;
      m.before_w += in.weight[i];
      m.before_w2 += w2;
    }
  }
  for (std::uint32_t j : rq.required) {
    double gain = 0, gain2 = 0;
    for (std::uint32_t i : in.candidates.site(j)) {
      if (pre[i]) continue;
      pre[i] = 2;
      gain += in.weight[i];
      gain2 += has_w2 ? in.weight2[i] : 0.0;
    }
    m.required.push_back(j);
    m.required_gain.push_back(gain);
    m.required_gain2.push_back(gain2);
    m.required_w += gain;
    m.required_w2 += gain2;
    m.required_cost += in.site_cost.empty() ? 1.0 : in.site_cost[j];
  }
  auto covered = [&](std::size_t i) { return pre[i] != 0; };

  // Eligible sites: not excluded, not required (already in), not too close to an existing
  // facility or a required site.
  std::vector<std::uint8_t> eligible(nc, 1);
  for (std::uint32_t j : rq.excluded) eligible[j] = 0;
  for (std::uint32_t j : rq.required) eligible[j] = 0;
  const double d = rq.min_spacing_m;
  std::vector<XY> fixed_xy = in.existing_xy;
  for (std::uint32_t j : rq.required)
    if (d > 0) fixed_xy.push_back(in.site_xy[j]);
  if (d > 0 && !fixed_xy.empty()) {
    std::vector<std::uint32_t> ids(fixed_xy.size());
    std::iota(ids.begin(), ids.end(), 0u);
    const Grid grid(fixed_xy, ids, d);
    for (std::size_t j = 0; j < nc; ++j)
      if (eligible[j]) grid.near(in.site_xy[j], d, [&](std::uint32_t) { eligible[j] = 0; });
  }
  std::vector<std::uint32_t> model_of(nc, kNoGroup);
  for (std::size_t j = 0; j < nc; ++j)
    if (eligible[j]) {
      model_of[j] = static_cast<std::uint32_t>(m.site_id.size());
      m.site_id.push_back(static_cast<std::uint32_t>(j));
    }
  const std::size_t ns = m.site_id.size();

  // Signature of every uncovered demand point's set of eligible covering sites.
  std::vector<std::uint64_t> h1(n, 0), h2(n, 0);
  std::vector<std::uint32_t> cnt(n, 0);
  for (std::size_t s = 0; s < ns; ++s) {
    const std::uint64_t a = mix(m.site_id[s]), b = mix(m.site_id[s] ^ 0x5bd1e995a5a5a5a5ULL);
    for (std::uint32_t i : in.candidates.site(m.site_id[s])) {
      h1[i] += a;
      h2[i] += b;
      ++cnt[i];
    }
  }
  std::vector<std::uint32_t> order;
  for (std::size_t i = 0; i < n; ++i) {
    const bool weighted = in.weight[i] > 0 || (has_w2 && in.weight2[i] > 0);
    if (cnt[i] > 0 && !covered(i) && weighted) order.push_back(static_cast<std::uint32_t>(i));
  }
  std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    if (cnt[x] != cnt[y]) return cnt[x] < cnt[y];
    if (h1[x] != h1[y]) return h1[x] < h1[y];
    if (h2[x] != h2[y]) return h2[x] < h2[y];
    return x < y;
  });
  std::vector<std::uint32_t> group_of(n, kNoGroup);
  for (std::size_t t = 0; t < order.size(); ++t) {
    const std::uint32_t i = order[t];
    const bool same = t > 0 && cnt[order[t - 1]] == cnt[i] && h1[order[t - 1]] == h1[i] &&
                      h2[order[t - 1]] == h2[i];
    if (!same) {
      m.gw.push_back(0);
      m.gw2.push_back(0);
    }
    group_of[i] = static_cast<std::uint32_t>(m.gw.size() - 1);
    m.gw.back() += in.weight[i];
    m.gw2.back() += has_w2 ? in.weight2[i] : 0.0;
  }
  std::vector<std::uint64_t>().swap(h1);
  std::vector<std::uint64_t>().swap(h2);

  // Site -> groups, each group once per site (its members all lie in the same sites).
  m.off.assign(ns + 1, 0);
  std::vector<std::uint32_t> last(m.gw.size(), kNoGroup);
  for (std::size_t s = 0; s < ns; ++s) {
    const std::size_t start = m.grp.size();
    for (std::uint32_t i : in.candidates.site(m.site_id[s])) {
      const std::uint32_t g = group_of[i];
      if (g == kNoGroup || last[g] == s) continue;
      last[g] = static_cast<std::uint32_t>(s);
      m.grp.push_back(g);
    }
    std::sort(m.grp.begin() + static_cast<std::ptrdiff_t>(start), m.grp.end());
    m.off[s + 1] = m.grp.size();
  }

  m.unit_cost = in.site_cost.empty();
  m.capacitated = !in.site_capacity.empty();
  m.cost.resize(ns);
  m.cap.resize(ns);
  for (std::size_t s = 0; s < ns; ++s) {
    m.cost[s] = m.unit_cost ? 1.0 : in.site_cost[m.site_id[s]];
    m.cap[s] = m.capacitated ? in.site_capacity[m.site_id[s]] : kInf;
  }
  if (m.capacitated &&
      std::all_of(m.cap.begin(), m.cap.end(), [](double c) { return std::isinf(c); }))
    m.capacitated = false;

  // Conflicting pairs of eligible sites; counted first so a huge spacing is refused before
  // the pairs are stored.
  if (d > 0 && ns > 0) {
    const Grid grid(in.site_xy, m.site_id, d);
    std::size_t pairs = 0;
    m.coff.assign(ns + 1, 0);
    for (std::size_t s = 0; s < ns; ++s) {
      std::size_t c = 0;
      grid.near(in.site_xy[m.site_id[s]], d, [&](std::uint32_t j) { c += j != m.site_id[s]; });
      m.coff[s + 1] = m.coff[s] + c;
      pairs += c;
      if (pairs / 2 > rq.limits.max_spacing_pairs)
        return too_large("min_spacing_m", "pairs of candidates closer than the spacing", pairs / 2,
                         rq.limits.max_spacing_pairs);
    }
    m.conf.resize(pairs);
    for (std::size_t s = 0; s < ns; ++s) {
      std::size_t at = m.coff[s];
      grid.near(in.site_xy[m.site_id[s]], d, [&](std::uint32_t j) {
        if (j != m.site_id[s]) m.conf[at++] = model_of[j];
      });
    }
    // Sorted slices let the MIP builder find the row of a pair from either end.
    for (std::size_t s = 0; s < ns; ++s)
      std::sort(m.conf.begin() + static_cast<std::ptrdiff_t>(m.coff[s]),
                m.conf.begin() + static_cast<std::ptrdiff_t>(m.coff[s + 1]));
    m.spacing = pairs > 0;
  }
  return std::nullopt;
}

double simulate(const Model& m, const std::vector<std::uint32_t>& order, std::vector<double>* load,
                std::vector<double>* load2, std::vector<double>* residual) {
  std::vector<double> r(m.gw), r2(m.gw2);
  if (load) load->assign(order.size(), 0.0);
  if (load2) load2->assign(order.size(), 0.0);
  double total = 0;
  for (std::size_t t = 0; t < order.size(); ++t) {
    const IndexRange s = m.site(order[t]);
    double reach = 0;
    for (std::uint32_t g : s) reach += r[g];
    const double cap = m.cap[order[t]];
    const double f = (std::isinf(cap) || reach <= cap) ? 1.0 : cap / reach;
    double served = 0, served2 = 0;
    for (std::uint32_t g : s) {
      const double take = f * r[g], take2 = f * r2[g];
      served += take;
      served2 += take2;
      r[g] = f == 1.0 ? 0.0 : r[g] - take;
      r2[g] = f == 1.0 ? 0.0 : r2[g] - take2;
    }
    total += served;
    if (load) (*load)[t] = served;
    if (load2) (*load2)[t] = served2;
  }
  if (residual) *residual = std::move(r);
  return total;
}

}  // namespace detail
}  // namespace lifecircle::siting
