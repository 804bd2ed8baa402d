#include "lifecircle/standards.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

namespace lifecircle {
namespace {

using nlohmann::json;

// Reads one profile section with the key path kept for error messages.
class Reader {
 public:
  Reader(std::string file, const json& root) : file_(std::move(file)), root_(root) {}

  [[noreturn]] void fail(const std::string& key, const std::string& message) const {
    throw StandardsError(file_, key, message);
  }

  const json& object(const json& j, const std::string& key) const {
    if (!j.is_object()) fail(key, "must be an object");
    return j;
  }

  std::string string(const json& j, const std::string& name, const std::string& key,
                     bool required = false) const {
    if (!j.contains(name)) {
      if (required) fail(key + "." + name, "is required");
      return {};
    }
    if (!j[name].is_string()) fail(key + "." + name, "must be a string");
    return j[name].get<std::string>();
  }

  std::optional<double> number(const json& j, const std::string& name, const std::string& key,
                               bool required = false, bool positive = false) const {
    if (!j.contains(name)) {
      if (required) fail(key + "." + name, "is required");
      return std::nullopt;
    }
    if (!j[name].is_number()) fail(key + "." + name, "must be a number");
    const double v = j[name].get<double>();
    if (!std::isfinite(v) || v < 0 || (positive && v == 0))
      fail(key + "." + name, positive ? "must be a positive number" : "must be >= 0");
    return v;
  }

  std::vector<std::string> strings(const json& j, const std::string& name,
                                   const std::string& key) const {
    std::vector<std::string> out;
    if (!j.contains(name)) return out;
    if (!j[name].is_array()) fail(key + "." + name, "must be an array of strings");
    for (std::size_t i = 0; i < j[name].size(); ++i) {
      if (!j[name][i].is_string())
        fail(key + "." + name + "[" + std::to_string(i) + "]", "must be a string");
      out.push_back(j[name][i].get<std::string>());
    }
    return out;
  }

  // Citations must refer to the table's own citation list so that every number is traceable.
  std::vector<std::string> citations(const json& j, const std::string& key) const {
    auto ids = strings(j, "citations", key);
    for (std::size_t i = 0; i < ids.size(); ++i)
      if (!root_.contains("citations") || !root_["citations"].contains(ids[i]))
        fail(key + ".citations[" + std::to_string(i) + "]", "unknown citation '" + ids[i] + "'");
    return ids;
  }

  std::vector<std::string> types(const json& j, const std::string& name, const std::string& key,
                                 std::optional<Family> family = std::nullopt) const {
    auto out = strings(j, name, key);
    for (std::size_t i = 0; i < out.size(); ++i) {
      const auto* t = find_facility_type(out[i]);
      const std::string where = key + "." + name + "[" + std::to_string(i) + "]";
      if (!t) fail(where, "unknown facility type '" + out[i] + "'");
      if (family && t->family != *family)
        fail(where, "type '" + out[i] + "' is not of family " + std::string(to_string(*family)));
    }
    return out;
  }

 private:
  std::string file_;
  const json& root_;
};

void read_profile(const Reader& r, const json& p, const std::string& key, StandardsProfile& out) {
  r.object(p, key);
  if (p.contains("title")) out.title = r.string(p, "title", key);
  if (p.contains("citations")) out.citations = r.citations(p, key);

  if (p.contains("walking")) {
    const std::string k = key + ".walking";
    const json& w = r.object(p["walking"], k);
    out.detour_factor = *r.number(w, "detour_factor", k, true, true);
    if (out.detour_factor < 1)
      r.fail(k + ".detour_factor", "must be >= 1 (a walk is never shorter than the straight line)");
    if (w.contains("detour_from_network")) {
      if (!w["detour_from_network"].is_boolean())
        r.fail(k + ".detour_from_network", "must be true or false");
      out.detour_from_network = w["detour_from_network"].get<bool>();
    }
    r.citations(w, k);
  }

  if (p.contains("access")) {
    const std::string k = key + ".access";
    out.access.clear();
    for (const auto& [type, a] : r.object(p["access"], k).items()) {
      const std::string kt = k + "." + type;
      if (!find_facility_type(type)) r.fail(kt, "unknown facility type '" + type + "'");
      r.object(a, kt);
      AccessRule rule;
      rule.minutes = *r.number(a, "minutes", kt, true, true);
      rule.speed_m_s = *r.number(a, "speed_m_s", kt, true, true);
      rule.citations = r.citations(a, kt);
      rule.note = r.string(a, "note", kt);
      out.access[type] = rule;
    }
  }

  if (p.contains("district_classes")) {
    const std::string k = key + ".district_classes";
    out.district_classes.clear();
    for (const auto& [cls, v] : r.object(p["district_classes"], k).items()) {
      if (cls == "note") continue;
      r.object(v, k + "." + cls);
      out.district_classes[cls] = r.strings(v, "districts", k + "." + cls);
    }
  }

  if (p.contains("per_thousand")) {
    const std::string k = key + ".per_thousand";
    out.per_thousand.clear();
    for (const auto& [fam, v] : r.object(p["per_thousand"], k).items()) {
      const std::string kf = k + "." + fam;
      const auto family = parse_family(fam);
      if (!family) r.fail(kf, "unknown family '" + fam + "'");
      r.object(v, kf);
      PerThousandRule rule;
      rule.counted_types = r.types(v, "counted_types", kf, family);
      if (rule.counted_types.empty()) r.fail(kf + ".counted_types", "must name at least one type");
      rule.citywide_target_m2 = r.number(v, "citywide_target_m2", kf);
      if (v.contains("target_op")) rule.target_op = r.string(v, "target_op", kf);
      if (auto y = r.number(v, "target_year", kf)) rule.target_year = static_cast<int>(*y);
      for (const char* m : {"district_targets_m2", "class_targets_m2"}) {
        if (!v.contains(m)) continue;
        const std::string km = kf + "." + m;
        for (const auto& [code, t] : r.object(v[m], km).items()) {
          if (!t.is_number() || t.get<double>() < 0)
            r.fail(km + "." + code, "must be a number >= 0");
          (std::string(m) == "district_targets_m2" ? rule.district_targets_m2
                                                   : rule.class_targets_m2)[code] = t.get<double>();
        }
      }
      rule.citations = r.citations(v, kf);
      rule.note = r.string(v, "note", kf);
      out.per_thousand[fam] = rule;
    }
  }

  if (p.contains("meal_capacity")) {
    const std::string k = key + ".meal_capacity";
    const json& m = r.object(p["meal_capacity"], k);
    MealCapacityRule rule;
    rule.counted_types = r.types(m, "counted_types", k, Family::meal);
    rule.citywide_target_meals_per_day = r.number(m, "citywide_target_meals_per_day", k);
    rule.baseline_meals_per_day = r.number(m, "baseline_meals_per_day", k);
    if (auto y = r.number(m, "baseline_year", k)) rule.baseline_year = static_cast<int>(*y);
    if (auto y = r.number(m, "target_year", k)) rule.target_year = static_cast<int>(*y);
    rule.reference_population_60plus = r.number(m, "reference_population_60plus", k, false, true);
    rule.citations = r.citations(m, k);
    rule.note = r.string(m, "note", k);
    out.meal_capacity = rule;
  }

  if (p.contains("columbarium")) {
    const std::string k = key + ".columbarium";
    const json& c = r.object(p["columbarium"], k);
    ColumbariumRule rule;
    rule.types = r.types(c, "types", k, Family::columbarium);
    if (rule.types.empty()) r.fail(k + ".types", "must name at least one type");
    if (auto n = r.number(c, "min_per_rural_town", k))
      rule.min_per_rural_town = static_cast<int>(*n);
    if (c.contains("rural_kinds")) rule.rural_kinds = r.strings(c, "rural_kinds", k);
    if (c.contains("kind_overrides")) {
      const std::string ko = k + ".kind_overrides";
      for (const auto& [code, v] : r.object(c["kind_overrides"], ko).items()) {
        if (!v.is_string() || (v != "urban" && v != "rural"))
          r.fail(ko + "." + code, "must be \"urban\" or \"rural\"");
        rule.kind_overrides[code] = v.get<std::string>();
      }
    }
    rule.citations = r.citations(c, k);
    rule.note = r.string(c, "note", k);
    out.columbarium = rule;
  }

  if (p.contains("one_plus_n")) {
    const std::string k = key + ".one_plus_n";
    const json& c = r.object(p["one_plus_n"], k);
    OnePlusNRule rule;
    rule.center_types = r.types(c, "center_types", k, Family::eldercare);
    rule.station_types = r.types(c, "station_types", k, Family::eldercare);
    if (rule.center_types.empty()) r.fail(k + ".center_types", "must name at least one type");
    rule.citations = r.citations(c, k);
    rule.note = r.string(c, "note", k);
    out.one_plus_n = rule;
  }
}

}  // namespace

const PerThousandRule* StandardsProfile::per_thousand_rule(Family f) const {
  auto it = per_thousand.find(std::string(to_string(f)));
  return it == per_thousand.end() ? nullptr : &it->second;
}

std::optional<double> StandardsProfile::per_thousand_target(Family f,
                                                            const std::string& district) const {
  const PerThousandRule* rule = per_thousand_rule(f);
  if (!rule) return std::nullopt;
  if (auto it = rule->district_targets_m2.find(district); it != rule->district_targets_m2.end())
    return it->second;
  for (const auto& [cls, members] : district_classes) {
    for (const auto& code : members) {
      if (code != district) continue;
      if (auto t = rule->class_targets_m2.find(cls); t != rule->class_targets_m2.end())
        return t->second;
    }
  }
  return rule->citywide_target_m2;
}

Standards Standards::parse(const json& j, const std::string& file) {
  Reader r(file, j);
  r.object(j, "(root)");
  Standards s;
  s.path_ = file;
  s.raw_ = j;
  s.version_ = r.string(j, "version", "(root)", true);
  s.title_ = r.string(j, "title", "(root)");
  s.default_profile_ = r.string(j, "default_profile", "(root)", true);
  if (j.contains("citations")) r.object(j["citations"], "citations");
  if (!j.contains("profiles")) r.fail("profiles", "is required");
  const json& profiles = r.object(j["profiles"], "profiles");

  // Profiles may inherit whole sections; resolve parents first, refusing cycles.
  std::set<std::string> visiting;
  std::function<void(const std::string&)> build = [&](const std::string& id) {
    if (s.profiles_.count(id)) return;
    const std::string key = "profiles." + id;
    if (!profiles.contains(id)) r.fail(key, "no such profile");
    if (!visiting.insert(id).second) r.fail(key + ".inherits", "profiles inherit in a cycle");
    const json& p = r.object(profiles[id], key);
    StandardsProfile prof;
    if (const std::string parent = r.string(p, "inherits", key); !parent.empty()) {
      if (!profiles.contains(parent)) r.fail(key + ".inherits", "no profile '" + parent + "'");
      build(parent);
      prof = s.profiles_.at(parent);
      prof.citations.clear();
      prof.title.clear();
    }
    prof.id = id;
    read_profile(r, p, key, prof);
    if (prof.access.empty()) r.fail(key + ".access", "is required (directly or inherited)");
    s.profiles_[id] = std::move(prof);
    visiting.erase(id);
  };
  for (const auto& [id, p] : profiles.items()) build(id);
  if (!s.profiles_.count(s.default_profile_))
    r.fail("default_profile", "names no profile ('" + s.default_profile_ + "')");
  return s;
}

Standards Standards::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw StandardsError(path, "(file)", "cannot open");
  json j;
  try {
    in >> j;
  } catch (const json::parse_error& e) {
    throw StandardsError(path, "(file)", std::string("not valid JSON: ") + e.what());
  }
  return parse(j, path);
}

const StandardsProfile* Standards::profile(const std::string& id) const {
  auto it = profiles_.find(id.empty() ? default_profile_ : id);
  return it == profiles_.end() ? nullptr : &it->second;
}

namespace {

std::string bound_text(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

void check_override(const std::optional<double>& v, const Range& r, const char* name,
                    const char* unit) {
  if (!v || r.contains(*v)) return;
  throw AnalysisError(ErrorCode::invalid_parameter, name,
                      std::string(name) + " must be between " + bound_text(r.min) + " and " +
                          bound_text(r.max) + unit);
}

}  // namespace

void check_overrides(const StandardsOverrides& o, const OverrideBounds& bounds) {
  check_override(o.minutes, bounds.minutes, "minutes", "");
  check_override(o.speed_m_s, bounds.speed_m_s, "speed", " m/s");
  check_override(o.detour_factor, bounds.detour_factor, "detour", "");
}

std::string overrides_key(const StandardsOverrides& o) {
  auto part = [](const char* name, const std::optional<double>& v) {
    if (!v) return std::string(name) + "=default";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", *v);
    return std::string(name) + "=" + buf;
  };
  return part("minutes", o.minutes) + ";" + part("speed", o.speed_m_s) + ";" +
         part("detour", o.detour_factor);
}

StandardsProfile Standards::resolve(const std::string& id, const StandardsOverrides& o,
                                    const OverrideBounds& bounds) const {
  const StandardsProfile* p = profile(id);
  if (!p) {
    std::string known;
    for (const auto& [k, v] : profiles_) known += (known.empty() ? "" : ", ") + k;
    throw AnalysisError(ErrorCode::unknown_profile, "profile",
                        "unknown standards profile '" + id + "' (known: " + known + ")");
  }
  StandardsProfile out = *p;
  check_overrides(o, bounds);
  for (auto& [type, rule] : out.access) {
    if (o.minutes) rule.minutes = *o.minutes;
    if (o.speed_m_s) rule.speed_m_s = *o.speed_m_s;
  }
  if (o.detour_factor) {
    out.detour_factor = *o.detour_factor;
    out.detour_source = "override";
  }
  return out;
}

std::string default_standards_path() {
  return std::string(LIFECIRCLE_DATA_DIR) + "/standards/standards.json";
}

}  // namespace lifecircle
