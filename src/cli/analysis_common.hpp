// What `lifecircle coverage` and `lifecircle indicators` share: loading the dataset and its
// standards table (and its walking network, when the manifest names one), building the Analyzer,
// parsing the common options, and printing CSV as an aligned table.
#pragma once

#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "lifecircle/analyzer.hpp"
#include "lifecircle/loader.hpp"
#include "lifecircle/manifest.hpp"
#include "lifecircle/network.hpp"
#include "lifecircle/request_params.hpp"

namespace lifecircle::cli {

struct LoadedAnalysis {
  std::shared_ptr<const Dataset> dataset;
  std::shared_ptr<Analyzer> analyzer;
};

inline LoadedAnalysis load_analysis(const Args& args) {
  const std::string path = args.get_or("data", default_manifest_path());
  LoadResult r = load_dataset(path, network_load_options());
  if (!r.dataset) {
    std::fputs(r.report.to_text().c_str(), stderr);
    throw std::runtime_error(std::to_string(r.report.error_count()) + " errors in " + path);
  }
  return {r.dataset, make_analyzer(*r.dataset, args.get_or("standards", ""))};
}

// Says on stderr how much demand the network could not reach (network mode), so a low coverage
// is never read without its reason, and the measured detour beside the assumed one (straight-line
// mode with a network loaded). stdout stays the result.
inline void note_distance_model(const CoverageResult& c) {
  if (c.mode == "euclidean" && c.detour_factor_measured)
    std::fprintf(stderr,
                 "note: straight-line mode uses detour %.3f (%s); the loaded walking network "
                 "measures %.3f (median network / straight-line distance)\n",
                 c.detour_factor, c.detour_source.c_str(), *c.detour_factor_measured);
  const UnitCoverage& t = c.total;
  if (!c.max_snap_m || t.demand_points_unsnapped == 0) return;
  std::fprintf(stderr,
               "note: %zu of %zu demand points (%.0f residents, %.0f aged 60+) are farther than "
               "%.0f m from the walking network and count as uncovered; coverage of the residents "
               "it reaches: %.2f%% (60+: %.2f%%), of all: %.2f%%\n",
               t.demand_points_unsnapped, t.demand_points, t.residents_unsnapped,
               t.residents_60plus_unsnapped, *c.max_snap_m, 100 * t.ratio_snapped.value_or(0),
               100 * t.ratio_60plus_snapped.value_or(0), 100 * t.ratio.value_or(0));
}

// A number option (any finite value; the library checks its range), nullopt when absent.
inline std::optional<double> number_option(const Args& args, const std::string& name) {
  try {
    return number_param({{name, args.get_or(name, "")}}, name);
  } catch (const AnalysisError&) {
    if (!args.get(name)) return std::nullopt;
    throw UsageError("--" + name + " must be a number");
  }
}

// The options named like the service's query parameters, as the shared request parsers read
// them (lifecircle/request_params.hpp): the CLI and the service accept the same values.
inline ParamList params_of(const Args& args, const std::vector<std::string_view>& names) {
  ParamList p;
  for (const auto& n : names)
    if (const auto v = args.get(std::string(n))) p.emplace_back(std::string(n), *v);
  return p;
}

// Runs `f`, turning the library's request errors into usage errors (exit 2).
template <class F>
void with_usage_errors(F f) {
  try {
    f();
  } catch (const AnalysisError& e) {
    throw UsageError(e.what());
  }
}

// CSV (as the library writes it) to aligned columns; quoted cells keep their commas.
inline std::string csv_to_table(const std::string& csv) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < csv.size(); ++i) {
    const char c = csv[i];
    if (quoted) {
      if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"')
        cell += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        cell += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(cell), cell.clear();
    } else if (c == '\n') {
      row.push_back(cell), cell.clear();
      rows.push_back(row), row.clear();
    } else {
      cell += c;
    }
  }
  // Display width: CJK characters take two columns, UTF-8 continuation bytes none.
  auto width = [](const std::string& s) {
    std::size_t w = 0;
    for (unsigned char ch : s) {
      if ((ch & 0xC0) == 0x80) continue;
      w += ch >= 0xE0 ? 2 : 1;
    }
    return w;
  };
  std::vector<std::size_t> widths;
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], width(r[i]));
    }
  std::ostringstream out;
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < r.size(); ++i) {
      out << r[i];
      if (i + 1 < r.size()) out << std::string(widths[i] - width(r[i]) + 2, ' ');
    }
    out << "\n";
  }
  return out.str();
}

inline void print(const std::string& format, const nlohmann::json& j, const std::string& csv,
                  const nlohmann::json* geojson = nullptr) {
  if (format == "json") {
    std::cout << j.dump(2) << "\n";
  } else if (format == "csv") {
    std::cout << csv;
  } else if (format == "geojson") {
    if (!geojson) throw UsageError("--format geojson is not available for this result");
    std::cout << geojson->dump() << "\n";
  } else if (format == "table") {
    std::cout << csv_to_table(csv);
  } else {
    throw UsageError("--format must be table, json, csv or geojson");
  }
}

}  // namespace lifecircle::cli
