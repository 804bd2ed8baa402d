// A small RFC 4180 CSV reader for the project's own input tables (quoted fields, doubled
// quotes, UTF-8 text). Errors name the file and line.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace lifecircle::datagen {

struct CsvTable {
  std::string path;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  // Column index of `name`; throws BuildError naming the file when it is missing.
  std::size_t column(const std::string& name) const;
  const std::string& at(std::size_t row, const std::string& name) const;
  // The value as a number; throws BuildError naming file, line and field when it is not one.
  double number(std::size_t row, const std::string& name) const;
  std::optional<double> optional_number(std::size_t row, const std::string& name) const;
  // 1-based line of a row in the file (the header is line 1), for messages.
  std::size_t line_of(std::size_t row) const { return row + 2; }
};

CsvTable read_csv(const std::string& path);

}  // namespace lifecircle::datagen
