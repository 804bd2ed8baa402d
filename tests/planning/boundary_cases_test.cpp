// The boundary cases of tests/data/boundary_cases.json (worked out on paper there) through both
// distance models, coverage and siting: residents exactly on the threshold, a billionth inside
// or outside it, coincident points, zero population and demand outside every district. Coverage
// and siting must decide every resident the same way, because they share one distance test.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "lifecircle/coverage.hpp"
#include "lifecircle/network.hpp"
#include "lifecircle/planning.hpp"
#include "planning/world.hpp"

namespace lifecircle {
namespace {

using nlohmann::json;
using namespace planning_test;

const json& cases() {
  static const json j = [] {
    std::ifstream in(std::string(LIFECIRCLE_TEST_DATA) + "/boundary_cases.json");
    return json::parse(in);
  }();
  return j["cases"];
}

XY at_of(const json& p) { return at(p[0].get<double>(), p[1].get<double>()); }

// The case's streets as a walking network; vertices shared by two polylines are one node.
std::shared_ptr<const DistanceModel> paper_network(const json& streets) {
  NetworkInput in;
  in.source = "paper";
  std::map<std::pair<double, double>, std::uint32_t> node_of;
  auto node = [&](const json& p) {
    const XY xy = at_of(p);
    auto [it, fresh] = node_of.emplace(std::make_pair(xy.x, xy.y), in.vertices.size());
    if (fresh) in.vertices.push_back(xy);
    return it->second;
  };
  for (const json& line : streets)
    for (std::size_t i = 0; i + 1 < line.size(); ++i)
      in.segments.push_back({node(line[i]), node(line[i + 1])});
  return std::make_shared<NetworkDistanceModel>(WalkingNetwork::build(std::move(in)));
}

// One case as a dataset: the district is the square (0,0)-(2000,2000) of offset metres.
DatasetContent world_of(const json& c, const std::string& mode) {
  DatasetContent w;
  w.info.name = c["name"];
  w.info.title = "Paper city";
  w.info.metric_crs = "EPSG:32651";
  w.districts.push_back(rect_unit("310101", "Square", UnitLevel::district, 0, 0, 2000, 2000));
  for (const json& f : c["facilities"]) {
    const XY xy = at_of(f["at"]);
    w.facilities.push_back(
        facility(f["id"], "comprehensive_center", xy.x - kX0, xy.y - kY0, "310101"));
    w.facilities.back().xy = xy;  // exactly as drawn, not through the offset arithmetic
  }
  for (const json& p : c["demand"]) {
    PopulationCell cell;
    cell.id = p["id"];
    cell.xy = at_of(p["at"]);
    cell.pos = proj().inverse(cell.xy);
    cell.population = p["population"];
    if (!p["population_60plus"].is_null()) cell.population_60plus = p["population_60plus"];
    cell.district_code = p.value("district", "310101");
    w.population.push_back(cell);
  }
  if (mode == "network") w.walking_network = paper_network(c["streets"]);
  return w;
}

std::shared_ptr<Analyzer> analyzer_of(const json& c) {
  json table = fixtures::standards_json(600, c["detour"].get<double>());
  for (auto& [type, rule] : table["profiles"]["p"]["access"].items())
    rule = {{"minutes", c["minutes"]}, {"speed_m_s", c["speed_m_s"]}};
  return std::make_shared<Analyzer>(
      std::make_shared<const Standards>(Standards::parse(table, "boundary.json")));
}

struct CaseRun {
  std::string label;
  const json* c;
  std::string mode;
  const json* expected;
};

std::vector<CaseRun> runs() {
  std::vector<CaseRun> out;
  for (const json& c : cases())
    for (const json& m : c["models"]) {
      const std::string mode = m;
      out.push_back({c["name"].get<std::string>() + " / " + mode, &c, mode, &c["expected"][mode]});
    }
  return out;
}

// Siting's answer in coverage's terms: rows by code.
std::map<std::string, std::pair<double, double>> rows_of(const std::vector<UnitCoverage>& units) {
  std::map<std::string, std::pair<double, double>> out;
  for (const auto& u : units) out[u.code] = {u.residents, u.covered};
  return out;
}

TEST(BoundaryCases, EveryCaseRunsThroughTheModelsItNames) {
  ASSERT_GE(cases().size(), 6u);
  std::set<std::string> modes;
  for (const CaseRun& r : runs()) modes.insert(r.mode);
  EXPECT_EQ(modes, (std::set<std::string>{"euclidean", "network"}));
}

TEST(BoundaryCases, CoverageCountsWhatThePaperSays) {
  for (const CaseRun& r : runs()) {
    SCOPED_TRACE(r.label);
    const json& e = *r.expected;
    const Dataset d(world_of(*r.c, r.mode));
    const auto a = analyzer_of(*r.c);
    const StandardsProfile p = a->profile("", {});
    CoverageRequest q;
    q.selection.types = {"comprehensive_center"};
    q.mode = r.mode;
    q.area = false;
    const CoverageResult cov = compute_coverage(d, p, q, *a->model(d, p, r.mode));
    std::set<std::string> covered;
    for (std::size_t i = 0; i < d.population().size(); ++i)
      if (cov.covered[i]) covered.insert(d.population()[i].id);
    EXPECT_EQ(covered, e["covered"].get<std::set<std::string>>());
    EXPECT_DOUBLE_EQ(cov.total.residents, e["residents"].get<double>());
    EXPECT_DOUBLE_EQ(cov.total.covered, e["covered_residents"].get<double>());
    EXPECT_DOUBLE_EQ(cov.total.residents_60plus, e["residents_60plus"].get<double>());
    EXPECT_DOUBLE_EQ(cov.total.covered_60plus, e["covered_60plus"].get<double>());
    EXPECT_EQ(cov.total.demand_points_covered, e["covered"].size());
    if (e.contains("ratio") && e["ratio"].is_null()) {
      EXPECT_FALSE(cov.total.ratio.has_value());
    }
    if (e.contains("districts")) {
      std::map<std::string, std::pair<double, double>> want;
      for (const json& row : e["districts"])
        want[row["code"]] = {row["residents"].get<double>(), row["covered"].get<double>()};
      EXPECT_EQ(rows_of(cov.units), want);
    }
  }
}

TEST(BoundaryCases, SitingSeesTheSameCoverageFromExistingFacilities) {
  for (const CaseRun& r : runs()) {
    SCOPED_TRACE(r.label);
    const json& e = *r.expected;
    const Dataset d(world_of(*r.c, r.mode));
    const auto a = analyzer_of(*r.c);
    planning::SitingRequest q;
    q.type = "comprehensive_center";
    q.mode = r.mode;
    q.weight = planning::DemandWeight::residents;
    q.k = 1;
    // One candidate in the far corner: the answer here is the coverage before any new site.
    planning::CandidateSite far;
    far.id = "corner";
    far.pos = lonlat(1, 1999);
    q.candidates = {far};
    const planning::SitingResult s = run_siting(d, *a, q, planning::PlanningLimits{});
    EXPECT_DOUBLE_EQ(s.city.residents, e["residents"].get<double>());
    EXPECT_DOUBLE_EQ(s.city.covered_before, e["covered_residents"].get<double>());
    EXPECT_DOUBLE_EQ(s.city.covered_before_60plus, e["covered_60plus"].get<double>());
    // Per district, including the row for demand no district claims.
    std::map<std::string, std::pair<double, double>> rows;
    for (const auto& c : s.districts) rows[c.code] = {c.residents, c.covered_before};
    std::map<std::string, std::pair<double, double>> want;
    if (e.contains("districts")) {
      for (const json& row : e["districts"])
        want[row["code"]] = {row["residents"].get<double>(), row["covered"].get<double>()};
    } else {
      want["310101"] = {e["residents"].get<double>(), e["covered_residents"].get<double>()};
    }
    EXPECT_EQ(rows, want);
  }
}

TEST(BoundaryCases, SitingCandidatesAtTheFacilitiesCoverWhatTheyDo) {
  std::size_t ran = 0;
  for (const CaseRun& r : runs()) {
    if (!(*r.c)["round_trip_safe"].get<bool>()) continue;
    SCOPED_TRACE(r.label);
    ++ran;
    const json& e = *r.expected;
    const Dataset d(world_of(*r.c, r.mode));
    const auto a = analyzer_of(*r.c);
    planning::SitingRequest q;
    q.type = "comprehensive_center";
    q.existing_types = {"day_care"};  // none in these worlds: nothing is covered before
    q.mode = r.mode;
    q.weight = planning::DemandWeight::residents;
    for (const json& f : (*r.c)["facilities"]) {
      planning::CandidateSite site;
      site.id = f["id"];
      site.pos = proj().inverse(at_of(f["at"]));
      q.candidates.push_back(site);
    }
    q.k = q.candidates.size();
    const planning::SitingResult s = run_siting(d, *a, q, planning::PlanningLimits{});
    EXPECT_DOUBLE_EQ(s.city.covered_before, 0);
    EXPECT_DOUBLE_EQ(s.city.covered_after, e["covered_residents"].get<double>());
    EXPECT_DOUBLE_EQ(s.city.covered_after_60plus, e["covered_60plus"].get<double>());
  }
  EXPECT_GE(ran, 4u);
}

}  // namespace
}  // namespace lifecircle
