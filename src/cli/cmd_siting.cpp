// `lifecircle siting`: where new facilities cover the most uncovered demand (or how few reach a
// target). The flags become the same JSON document POST /siting takes, so both parse alike.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/analysis_common.hpp"
#include "cli/commands.hpp"
#include "cli/planning_common.hpp"
#include "lifecircle/planning.hpp"

namespace lifecircle::cli {
namespace {

nlohmann::json read_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UsageError("cannot read " + path);
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw UsageError(path + ": not valid JSON: " + e.what());
  }
}

std::string num(double x, int decimals = 0) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

// One CSV cell: names may hold commas.
std::string cell(const std::string& s) {
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string pct(double a, double b) { return b > 0 ? num(100.0 * a / b, 2) + "%" : "-"; }

void print_table(const planning::SitingResult& r) {
  const bool aged = r.request.weight == planning::DemandWeight::residents_60plus;
  std::cout << "siting " << r.request.type << " (" << r.mode << ", walk " << num(r.walk_m)
            << " m) on " << r.dataset_name << " v" << r.dataset_version << ", profile "
            << r.profile_id << ", weight " << (aged ? "60+" : "residents") << "\n"
            << "candidates: " << r.candidates.used << " used (" << r.candidates.generated
            << " grid, " << r.candidates.supplied << " supplied, " << r.candidates.outside_area
            << " outside the area, " << r.candidates.in_excluded_area
            << " in excluded areas); existing facilities: " << r.existing_facilities
            << "; demand points: " << r.demand_points << "\n\n";
  std::ostringstream csv;
  csv << "rank,candidate,lon,lat,new_residents,new_60plus,district,street_town\n";
  for (const auto& s : r.sites)
    csv << s.rank << "," << s.candidate_id << "," << num(s.pos.lon, 6) << "," << num(s.pos.lat, 6)
        << "," << num(s.new_residents) << "," << num(s.new_residents_60plus) << ","
        << cell(s.district_code + " " + s.district_name) << ","
        << cell(s.street_code + " " + s.street_name) << "\n";
  std::cout << csv_to_table(csv.str()) << "\n";
  std::ostringstream cov;
  cov << "unit,residents,covered_before,covered_after,60plus,covered_60plus_before,"
         "covered_60plus_after\n";
  auto row = [&](const planning::CoverageChange& c) {
    cov << cell(c.code.empty() ? c.name : c.code + " " + c.name) << "," << num(c.residents) << ","
        << pct(c.covered_before, c.residents) << "," << pct(c.covered_after, c.residents) << ","
        << num(c.residents_60plus) << "," << pct(c.covered_before_60plus, c.residents_60plus) << ","
        << pct(c.covered_after_60plus, c.residents_60plus) << "\n";
  };
  for (const auto& c : r.districts) row(c);
  if (r.districts.size() != 1) row(r.city);
  std::cout << csv_to_table(cov.str()) << "\n";
  const auto& f = r.solver;
  std::cout << "solver: " << f.method << ", " << num(f.time_ms, 1) << " ms (prepare "
            << num(r.prepare_ms, 1) << " ms), objective " << num(r.objective, 1);
  if (f.bound) std::cout << ", bound " << num(*f.bound, 1);
  if (f.gap) std::cout << ", gap " << num(100.0 * *f.gap, 4) << "%";
  if (r.request.method == siting::Method::exact)
    std::cout << (f.optimal ? ", proven optimal" : ", not proven optimal");
  if (f.heuristic_objective) std::cout << ", heuristic " << num(*f.heuristic_objective, 1);
  if (!f.stopped.empty()) std::cout << ", stopped: " << f.stopped;
  if (!r.target_reached) std::cout << ", TARGET NOT REACHED";
  std::cout << "\n";
}

}  // namespace

int cmd_siting(const Argv& argv) {
  const Args args(argv,
                  {"data",    "standards",  "family",      "type",   "existing-types", "profile",
                   "minutes", "speed",      "detour",      "mode",   "weight",         "district",
                   "grid",    "candidates", "excluded",    "k",      "budget",         "site-cost",
                   "target",  "capacity",   "min-spacing", "method", "time-limit",     "format"},
                  {"help", "no-swap"});
  if (args.flag("help")) {
    std::puts(
        "usage: lifecircle siting [--data MANIFEST] --type T [--family F] [--k N | --budget B\n"
        "         [--site-cost C] | --target SHARE] [--district CODE] [--weight 60plus|residents]\n"
        "         [--grid M] [--candidates FILE.geojson] [--excluded FILE.geojson]\n"
        "         [--existing-types T[,T...]] [--method heuristic|exact] [--time-limit S]\n"
        "         [--capacity C] [--min-spacing M] [--no-swap] [--profile P] [--minutes M]\n"
        "         [--speed M_PER_S] [--detour D] [--mode euclidean|network]\n"
        "         [--format table|json|geojson] [--standards FILE]\n"
        "New sites of type T covering the most uncovered demand (k sites or a budget), or the\n"
        "fewest reaching a target share (--target alone). Demand: residents 60+ (default) or all\n"
        "residents, in the district when given. Existing open facilities of the type (or of\n"
        "--existing-types) already cover their walk. Candidates: a grid of --grid metres inside\n"
        "the area (500 m when no --candidates are given) and/or the points of FILE.geojson\n"
        "(WGS84; properties id, cost, capacity). --method exact runs CBC warm-started from the\n"
        "heuristic and reports the proven gap.");
    return 0;
  }
  if (!args.positionals().empty()) throw UsageError("takes no positional arguments");
  using nlohmann::json;
  json body = json::object();
  auto str = [&](const char* flag, const char* member) {
    if (auto v = args.get(flag)) body[member] = *v;
  };
  auto number = [&](const char* flag, const char* member) {
    if (auto v = args.get(flag)) body[member] = *number_option(args, flag);
  };
  str("family", "family");
  str("type", "type");
  str("existing-types", "existing_types");
  str("profile", "profile");
  number("minutes", "minutes");
  number("speed", "speed");
  number("detour", "detour");
  str("mode", "mode");
  str("weight", "weight");
  str("district", "district");
  number("grid", "grid_m");
  number("k", "k");
  number("budget", "budget");
  number("site-cost", "site_cost");
  number("target", "target");
  number("capacity", "capacity");
  number("min-spacing", "min_spacing_m");
  str("method", "method");
  number("time-limit", "time_limit_s");
  if (args.flag("no-swap")) body["local_search"] = false;
  if (auto f = args.get("candidates")) body["candidates"] = read_json_file(*f);
  if (auto f = args.get("excluded")) body["excluded_areas"] = read_json_file(*f);
  const std::string format = args.get_or("format", "table");
  if (format != "table" && format != "json" && format != "geojson")
    throw UsageError("--format must be table, json or geojson");

  planning::PlanningLimits limits;
  // A planner at the command line may wait as long as they ask for.
  limits.max_time_limit_s = 24 * 3600;
  limits.solver.max_time_limit_s = limits.max_time_limit_s;
  planning::SitingRequest req;
  try {
    req = planning::parse_siting_request(body, limits);
  } catch (const planning::PlanningError& e) {
    throw UsageError(e.what());
  }
  const LoadedAnalysis a = load_analysis(args);
  return run_planning("siting", [&] {
    const planning::SitingResult r = planning::run_siting(*a.dataset, *a.analyzer, req, limits);
    if (format == "json")
      std::cout << planning::to_json(r).dump(2) << "\n";
    else if (format == "geojson")
      std::cout << planning::sites_geojson(r).dump() << "\n";
    else
      print_table(r);
  });
}

}  // namespace lifecircle::cli
