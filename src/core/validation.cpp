#include "lifecircle/validation.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace lifecircle {

void ValidationReport::add(Problem p) { problems_.push_back(std::move(p)); }

void ValidationReport::error(std::string code, std::string file, std::string layer,
                             std::string feature, std::string field, std::string message) {
  add({Severity::error, std::move(code), std::move(file), std::move(layer), std::move(feature),
       std::move(field), std::move(message)});
}

void ValidationReport::warning(std::string code, std::string file, std::string layer,
                               std::string feature, std::string field, std::string message) {
  add({Severity::warning, std::move(code), std::move(file), std::move(layer), std::move(feature),
       std::move(field), std::move(message)});
}

void ValidationReport::merge(const ValidationReport& other) {
  problems_.insert(problems_.end(), other.problems_.begin(), other.problems_.end());
}

std::size_t ValidationReport::error_count() const {
  return static_cast<std::size_t>(
      std::count_if(problems_.begin(), problems_.end(),
                    [](const Problem& p) { return p.severity == Severity::error; }));
}

std::size_t ValidationReport::warning_count() const { return problems_.size() - error_count(); }

std::string ValidationReport::to_text() const {
  std::string out;
  for (const auto& p : problems_) {
    out += p.severity == Severity::error ? "error" : "warning";
    out += " [" + p.code + "] " + p.file;
    if (!p.layer.empty()) out += ": layer " + p.layer;
    if (!p.feature.empty()) out += ", feature " + p.feature;
    if (!p.field.empty()) out += ", field " + p.field;
    out += ": " + p.message + "\n";
  }
  return out;
}

void to_json(nlohmann::json& j, const Problem& p) {
  j = {{"severity", p.severity == Severity::error ? "error" : "warning"},
       {"code", p.code},
       {"file", p.file},
       {"layer", p.layer},
       {"feature", p.feature},
       {"field", p.field},
       {"message", p.message}};
}

void to_json(nlohmann::json& j, const ValidationReport& r) {
  j = {{"errors", r.error_count()}, {"warnings", r.warning_count()}, {"problems", r.problems()}};
}

}  // namespace lifecircle
