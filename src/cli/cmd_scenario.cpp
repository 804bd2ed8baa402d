// `lifecircle scenario`: what-if edits (add, remove, move, change facilities) on a copy of the
// dataset; coverage and per-thousand indicators before and after. Reads the same JSON document
// POST /scenarios takes.
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

std::string num(const nlohmann::json& v, int decimals) {
  if (!v.is_number()) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v.get<double>());
  return buf;
}

// One CSV cell: names may hold commas.
std::string cell(const nlohmann::json& code, const nlohmann::json& name) {
  std::string s = code.get<std::string>() + " " + name.get<std::string>();
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

void print_table(const nlohmann::json& r) {
  std::cout << "scenario " << r["id"].get<std::string>() << " on "
            << r["dataset"]["name"].get<std::string>() << " v" << r["dataset"]["version"] << ": "
            << r["changes"].size() << " changes, facilities " << r["facilities_before"] << " -> "
            << r["facilities_after"] << "\n\n";
  for (const auto& c : r["coverage"]) {
    std::ostringstream csv;
    csv << "unit,coverage_before,coverage_after,delta,60plus_before,60plus_after,60plus_delta\n";
    auto row = [&](const nlohmann::json& u) {
      csv << cell(u["code"], u["name"]) << "," << num(u["ratio_before"], 4) << ","
          << num(u["ratio_after"], 4) << "," << num(u["ratio_delta"], 4) << ","
          << num(u["ratio_60plus_before"], 4) << "," << num(u["ratio_60plus_after"], 4) << ","
          << num(u["ratio_60plus_delta"], 4) << "\n";
    };
    for (const auto& u : c["districts"]) row(u);
    if (c["districts"].size() != 1) row(c["city"]);
    std::cout << "coverage of " << c["types"].dump() << "\n" << csv_to_table(csv.str()) << "\n";
  }
  for (const auto& p : r["per_thousand"]) {
    std::ostringstream csv;
    csv << "unit,floor_area_before,floor_area_after,per_thousand_before,per_thousand_after,"
           "delta\n";
    auto row = [&](const nlohmann::json& u) {
      csv << cell(u["code"], u["name"]) << "," << num(u["floor_area_m2_before"], 0) << ","
          << num(u["floor_area_m2_after"], 0) << "," << num(u["per_thousand_before"], 2) << ","
          << num(u["per_thousand_after"], 2) << "," << num(u["per_thousand_delta"], 3) << "\n";
    };
    for (const auto& u : p["districts"]) row(u);
    row(p["city"]);
    std::cout << "per-thousand floor area, " << p["family"].get<std::string>() << "\n"
              << csv_to_table(csv.str()) << "\n";
  }
}

}  // namespace

int cmd_scenario(const Argv& argv) {
  const Args args(argv, {"data", "standards", "changes", "format"}, {"help"});
  if (args.flag("help")) {
    std::puts(
        "usage: lifecircle scenario [--data MANIFEST] --changes FILE.json [--format table|json]\n"
        "FILE.json is the body of POST /scenarios: {\"changes\": [...], \"family\", \"type\",\n"
        "\"profile\", \"minutes\", \"mode\", \"district\"} or a bare array of changes:\n"
        "  {\"op\":\"add\",\"feature\":{GeoJSON point, properties id,type,floor_area_m2,...}}\n"
        "  {\"op\":\"remove\",\"id\":\"...\"}  "
        "{\"op\":\"move\",\"id\":\"...\",\"lon\":..,\"lat\":..}\n"
        "  {\"op\":\"change\",\"id\":\"...\",\"floor_area_m2\":..,\"meal_capacity_per_day\":..,\n"
        "   \"status\":\"closed\"}\n"
        "Prints coverage (the family/type asked, or every family) and per-thousand floor area\n"
        "before and after, per district and citywide. The dataset files are never changed.");
    return 0;
  }
  if (!args.positionals().empty()) throw UsageError("takes no positional arguments");
  const auto path = args.get("changes");
  if (!path) throw UsageError("give --changes FILE.json");
  std::ifstream in(*path);
  if (!in) throw UsageError("cannot read " + *path);
  nlohmann::json body;
  try {
    body = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw UsageError(*path + ": not valid JSON: " + e.what());
  }
  const std::string format = args.get_or("format", "table");
  if (format != "table" && format != "json") throw UsageError("--format must be table or json");
  const planning::PlanningLimits limits;
  return run_planning("scenario", [&] {
    const planning::ScenarioRequest req = planning::parse_scenario_request(body, limits);
    const LoadedAnalysis a = load_analysis(args);
    nlohmann::json r = planning::run_scenario(*a.dataset, *a.analyzer, req);
    r["id"] = planning::scenario_id(*a.dataset, body);
    if (format == "json")
      std::cout << r.dump(2) << "\n";
    else
      print_table(r);
  });
}

}  // namespace lifecircle::cli
