// The CSV and GeoJSON forms of an answer checked against its JSON form value by value: a CSV
// read back into rows keyed by its header, and a row comparison that matches every column the
// two share (numbers within the CSV's 10 significant digits, null as an empty cell).
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lifecircle::test {

using CsvRow = std::map<std::string, std::string>;

// RFC 4180: quoted cells may hold commas, doubled quotes and newlines. A leading UTF-8
// byte-order mark (the service writes one for Excel) is skipped, as spreadsheets do.
inline std::vector<CsvRow> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> lines(1);
  std::string cell;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = was_quoted = true;
    } else if (c == ',') {
      lines.back().push_back(cell);
      cell.clear();
    } else if (c == '\n') {
      lines.back().push_back(cell);
      cell.clear();
      lines.emplace_back();
      was_quoted = false;
    } else if (c != '\r') {
      cell += c;
    }
  }
  if (!cell.empty() || was_quoted || !lines.back().empty()) lines.back().push_back(cell);
  if (lines.back().empty()) lines.pop_back();
  std::vector<CsvRow> rows;
  if (lines.empty()) return rows;
  for (std::size_t r = 1; r < lines.size(); ++r) {
    EXPECT_EQ(lines[r].size(), lines[0].size()) << "CSV line " << r + 1;
    CsvRow row;
    for (std::size_t k = 0; k < lines[0].size() && k < lines[r].size(); ++k)
      row[lines[0][k]] = lines[r][k];
    rows.push_back(std::move(row));
  }
  return rows;
}

inline void expect_same_number(double got, double want, const std::string& where) {
  EXPECT_NEAR(got, want, 1e-9 * std::fabs(want) + 1e-12) << where;
}

// Every column of the CSV row that the JSON row also has; returns how many held numbers.
inline std::size_t expect_row_matches(const nlohmann::json& want, const CsvRow& got,
                                      const std::string& where) {
  std::size_t numbers = 0;
  for (const auto& [key, text] : got) {
    auto it = want.find(key);
    if (it == want.end()) continue;
    const std::string at = where + "." + key + " = '" + text + "'";
    if (it->is_null()) {
      EXPECT_EQ(text, "") << at;
    } else if (it->is_boolean()) {
      EXPECT_EQ(text, it->get<bool>() ? "true" : "false") << at;
    } else if (it->is_number()) {
      EXPECT_FALSE(text.empty()) << at;
      if (text.empty()) continue;
      char* end = nullptr;
      const double v = std::strtod(text.c_str(), &end);
      EXPECT_EQ(*end, '\0') << at;
      expect_same_number(v, it->get<double>(), at);
      ++numbers;
    } else if (it->is_string()) {
      EXPECT_EQ(text, it->get<std::string>()) << at;
    }
  }
  return numbers;
}

// Every member of a GeoJSON feature's properties that the JSON row also has.
inline std::size_t expect_row_matches(const nlohmann::json& want, const nlohmann::json& got,
                                      const std::string& where) {
  std::size_t numbers = 0;
  for (const auto& [key, value] : got.items()) {
    auto it = want.find(key);
    if (it == want.end()) continue;
    if (it->is_number() && value.is_number()) {
      expect_same_number(value.get<double>(), it->get<double>(), where + "." + key);
      ++numbers;
    } else {
      EXPECT_EQ(value, *it) << where << "." << key;
    }
  }
  return numbers;
}

// A CSV answer row by row against the JSON rows it was written from, in order.
inline void expect_csv_matches(const std::string& csv, const nlohmann::json& want_rows,
                               std::size_t min_numbers_per_row) {
  const std::vector<CsvRow> rows = parse_csv(csv);
  ASSERT_EQ(rows.size(), want_rows.size()) << csv;
  for (std::size_t i = 0; i < rows.size(); ++i)
    EXPECT_GE(expect_row_matches(want_rows[i], rows[i], "row " + std::to_string(i)),
              min_numbers_per_row)
        << "row " << i;
}

}  // namespace lifecircle::test
