// Load-time problems, each with its place: file, layer, feature and field.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace lifecircle {

enum class Severity { error, warning };

struct Problem {
  Severity severity = Severity::error;
  std::string code;     // stable machine code, e.g. "missing_field", "duplicate_id"
  std::string file;     // path or connection as written in the manifest
  std::string layer;    // manifest layer key, e.g. "facilities"
  std::string feature;  // feature id (or "#<index>" when the feature has none)
  std::string field;    // attribute name, empty when the problem is not about one field
  std::string message;  // human sentence
};

class ValidationReport {
 public:
  void add(Problem p);
  void error(std::string code, std::string file, std::string layer, std::string feature,
             std::string field, std::string message);
  void warning(std::string code, std::string file, std::string layer, std::string feature,
               std::string field, std::string message);
  void merge(const ValidationReport& other);

  const std::vector<Problem>& problems() const { return problems_; }
  std::size_t error_count() const;
  std::size_t warning_count() const;
  bool ok() const { return error_count() == 0; }

  // One line per problem: "error [code] file: layer feature X field Y: message".
  std::string to_text() const;

 private:
  std::vector<Problem> problems_;
};

void to_json(nlohmann::json& j, const Problem& p);
void to_json(nlohmann::json& j, const ValidationReport& r);

}  // namespace lifecircle
