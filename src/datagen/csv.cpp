#include "datagen/csv.hpp"

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "lifecircle/datagen.hpp"

namespace lifecircle::datagen {

namespace {

std::vector<std::vector<std::string>> parse(const std::string& text, const std::string& path) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, field_started = false;
  std::size_t line = 1;
  auto end_field = [&] {
    record.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && !field_started) {
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_field();
      records.push_back(std::move(record));
      record.clear();
      ++line;
    } else {
      field += c;
      field_started = true;
    }
  }
  if (quoted) throw BuildError(path + ":" + std::to_string(line) + ": unterminated quoted field");
  if (field_started || !record.empty()) {
    end_field();
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace

CsvTable read_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw BuildError(path + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // a UTF-8 byte-order mark
  auto records = parse(text, path);
  if (records.empty()) throw BuildError(path + ": empty file, expected a header row");
  CsvTable t;
  t.path = path;
  t.header = std::move(records.front());
  for (std::size_t i = 1; i < records.size(); ++i) {
    if (records[i].size() == 1 && records[i][0].empty()) continue;  // blank line
    if (records[i].size() != t.header.size())
      throw BuildError(path + ":" + std::to_string(i + 1) + ": " +
                       std::to_string(records[i].size()) + " fields, the header has " +
                       std::to_string(t.header.size()));
    t.rows.push_back(std::move(records[i]));
  }
  return t;
}

std::size_t CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  throw BuildError(path + ": missing column '" + name + "'");
}

const std::string& CsvTable::at(std::size_t row, const std::string& name) const {
  return rows.at(row)[column(name)];
}

std::optional<double> CsvTable::optional_number(std::size_t row, const std::string& name) const {
  const std::string& v = at(row, name);
  if (v.empty()) return std::nullopt;
  return number(row, name);
}

double CsvTable::number(std::size_t row, const std::string& name) const {
  const std::string& v = at(row, name);
  char* end = nullptr;
  errno = 0;
  const double d = std::strtod(v.c_str(), &end);
  if (v.empty() || end != v.c_str() + v.size() || errno != 0)
    throw BuildError(path + ":" + std::to_string(line_of(row)) + ": field '" + name + "' = '" + v +
                     "' is not a number");
  return d;
}

}  // namespace lifecircle::datagen
