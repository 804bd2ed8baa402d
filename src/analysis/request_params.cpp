#include "lifecircle/request_params.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace lifecircle {

const std::vector<std::string_view> kCoverageParams = {"family",   "type",  "status", "profile",
                                                       "minutes",  "speed", "detour", "by",
                                                       "district", "mode",  "area"};
const std::vector<std::string_view> kPerThousandParams = {"family", "profile", "minutes",  "speed",
                                                          "detour", "by",      "district", "mode"};
const std::vector<std::string_view> kMealCapacityParams = {"profile", "minutes", "speed", "detour",
                                                           "mode"};
const std::vector<std::string_view> kColumbariaParams = {"profile", "detour", "district", "mode"};
const std::vector<std::string_view> kOnePlusNParams = {"profile", "minutes",  "speed",
                                                       "detour",  "district", "mode"};
const std::vector<std::string_view> kStandardsParams = {"profile", "minutes", "speed", "detour"};
const std::vector<std::string_view> kModes = {"euclidean", "network"};

namespace {

std::string joined(const std::vector<std::string_view>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + std::string(x);
  return s;
}

// Echoed values are cut, so a parameter of a few kilobytes does not come back whole.
std::string shown(std::string_view v) {
  constexpr std::size_t kMax = 64;
  return "'" + std::string(v.substr(0, kMax)) + (v.size() > kMax ? "...'" : "'");
}

AnalysisError bad(std::string_view name, const std::string& message) {
  return AnalysisError(ErrorCode::invalid_parameter, std::string(name),
                       "parameter '" + std::string(name) + "' " + message);
}

std::string mode_of(const ParamList& params) {
  const std::string* m = find_param(params, "mode");
  if (!m) return "euclidean";
  if (std::find(kModes.begin(), kModes.end(), *m) == kModes.end())
    throw bad("mode", "must be " + joined(kModes) + ", not " + shown(*m));
  return *m;
}

AggregateBy by_of(const ParamList& params, AggregateBy fallback) {
  const std::string* v = find_param(params, "by");
  if (!v) return fallback;
  const auto b = parse_aggregate_by(*v);
  if (!b) throw bad("by", "must be city, district or street, not " + shown(*v));
  return *b;
}

std::string text_of(const ParamList& params, std::string_view name) {
  const std::string* v = find_param(params, name);
  return v ? *v : std::string();
}

}  // namespace

void check_params(const ParamList& params, const std::vector<std::string_view>& allowed) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    const std::string& name = params[i].first;
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
      throw AnalysisError(ErrorCode::unknown_parameter, name,
                          "unknown parameter " + shown(name) +
                              (allowed.empty() ? std::string("; this resource takes none")
                                               : "; allowed: " + joined(allowed)));
    for (std::size_t j = 0; j < i; ++j)
      if (params[j].first == name)
        throw AnalysisError(ErrorCode::repeated_parameter, name,
                            "parameter '" + name +
                                "' is given more than once; give it once (lists are "
                                "comma-separated)");
    if (params[i].second.empty()) throw bad(name, "is empty");
  }
}

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    const std::size_t j = std::min(s.find(',', i), s.size());
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

const std::string* find_param(const ParamList& params, std::string_view name) {
  for (const auto& [k, v] : params)
    if (k == name) return &v;
  return nullptr;
}

std::optional<double> number_param(const ParamList& params, std::string_view name) {
  const std::string* v = find_param(params, name);
  if (!v) return std::nullopt;
  double x = 0;
  // from_chars rejects a leading '+' and spaces; "inf" and "nan" parse, so test finiteness.
  const auto r = std::from_chars(v->data(), v->data() + v->size(), x);
  if (v->empty() || r.ec != std::errc() || r.ptr != v->data() + v->size() || !std::isfinite(x))
    throw bad(name, "must be a finite number, not " + shown(*v));
  return x;
}

StandardsOverrides parse_overrides(const ParamList& params, const OverrideBounds& bounds) {
  StandardsOverrides o;
  o.minutes = number_param(params, "minutes");
  o.speed_m_s = number_param(params, "speed");
  o.detour_factor = number_param(params, "detour");
  check_overrides(o, bounds);
  return o;
}

std::optional<Family> parse_family_param(const ParamList& params) {
  const std::string* v = find_param(params, "family");
  if (!v) return std::nullopt;
  const auto f = parse_family(*v);
  if (!f) throw bad("family", "must be eldercare, meal or columbarium, not " + shown(*v));
  return f;
}

CoverageRequest parse_coverage_request(const ParamList& params, const OverrideBounds& bounds) {
  check_params(params, kCoverageParams);
  CoverageRequest r;
  r.selection.family = parse_family_param(params);
  if (const std::string* t = find_param(params, "type")) r.selection.types = split_list(*t);
  if (!r.selection.family && r.selection.types.empty())
    throw AnalysisError(ErrorCode::missing_parameter, "family", "give 'family' or 'type'");
  if (const std::string* s = find_param(params, "status")) {
    r.selection.statuses.clear();
    for (const auto& x : split_list(*s)) {
      const auto st = parse_status(x);
      if (!st) throw bad("status", "lists open, planned or closed, not " + shown(x));
      r.selection.statuses.push_back(*st);
    }
    if (r.selection.statuses.empty()) throw bad("status", "lists no status");
  }
  r.profile = text_of(params, "profile");
  r.overrides = parse_overrides(params, bounds);
  r.by = by_of(params, AggregateBy::district);
  r.district = text_of(params, "district");
  r.mode = mode_of(params);
  if (const std::string* a = find_param(params, "area")) {
    if (*a != "true" && *a != "false") throw bad("area", "must be true or false");
    r.area = *a == "true";
  }
  return r;
}

IndicatorRequest parse_indicator_request(const ParamList& params,
                                         const std::vector<std::string_view>& allowed,
                                         const OverrideBounds& bounds) {
  check_params(params, allowed);
  IndicatorRequest r;
  r.profile = text_of(params, "profile");
  r.overrides = parse_overrides(params, bounds);
  r.by = by_of(params, AggregateBy::district);
  r.district = text_of(params, "district");
  r.mode = mode_of(params);
  if (find_param(params, "family")) parse_family_param(params);
  return r;
}

}  // namespace lifecircle
