// The versioned standards table (gis-data/standards/standards.json): named profiles of walking
// thresholds, per-thousand floor-area targets, the meal-capacity target and the columbarium rule,
// each with its citations. Numbers live in the file, never in code.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lifecircle/errors.hpp"
#include "lifecircle/types.hpp"

namespace lifecircle {

// A load error that names the file and the JSON key (e.g. "profiles.x.access.canteen.minutes").
class StandardsError : public std::runtime_error {
 public:
  StandardsError(std::string file, std::string key, const std::string& message)
      : std::runtime_error(file + ": " + key + ": " + message),
        file_(std::move(file)),
        key_(std::move(key)) {}
  const std::string& file() const { return file_; }
  const std::string& key() const { return key_; }

 private:
  std::string file_, key_;
};

// A bad analysis request: a code from the error catalogue (e.g. unknown_profile,
// invalid_parameter, network_unavailable), the parameter at fault, and a sentence. The server
// turns it into a problem document; the CLI prints it.
class AnalysisError : public Error {
 public:
  AnalysisError(ErrorCode code, std::string parameter, const std::string& message)
      : Error(code, std::move(parameter), message) {}
  const std::string& parameter() const { return field(); }
};

// Walking access to one facility type: a walk of `minutes` at `speed_m_s`.
struct AccessRule {
  double minutes = 15;
  double speed_m_s = 1.0;
  std::vector<std::string> citations;
  std::string note;
  double walk_m() const { return minutes * 60.0 * speed_m_s; }
};

// Floor area per 1000 residents for one family.
struct PerThousandRule {
  std::vector<std::string> counted_types;
  std::optional<double> citywide_target_m2;  // none: compare with the citywide mean
  std::string target_op = ">=";
  std::optional<int> target_year;
  std::map<std::string, double> district_targets_m2;  // district code -> target
  std::map<std::string, double> class_targets_m2;     // district class -> target
  std::vector<std::string> citations;
  std::string note;
};

struct MealCapacityRule {
  std::vector<std::string> counted_types;
  std::optional<double> citywide_target_meals_per_day;
  std::optional<double> baseline_meals_per_day;
  std::optional<int> baseline_year, target_year;
  // The 60+ population the city target was set against; the target per 1000 60+ derives from it.
  std::optional<double> reference_population_60plus;
  std::vector<std::string> citations;
  std::string note;
  std::optional<double> target_per_1000_60plus() const {
    if (!citywide_target_meals_per_day || !reference_population_60plus ||
        *reference_population_60plus <= 0)
      return std::nullopt;
    return *citywide_target_meals_per_day / (*reference_population_60plus / 1000.0);
  }
};

struct ColumbariumRule {
  std::vector<std::string> types{"public_columbarium"};
  int min_per_rural_town = 1;
  std::vector<std::string> rural_kinds{"rural"};
  // Street/town code -> "urban" | "rural": a profile's own reading of a unit, over the
  // registry's kind (e.g. a town the bureau counts as urbanised, or the reverse).
  std::map<std::string, std::string> kind_overrides;
  std::vector<std::string> citations;
  std::string note;
  // The kind the rule sees for a unit.
  const std::string& kind_of(const std::string& code, const std::string& registry_kind) const {
    const auto it = kind_overrides.find(code);
    return it == kind_overrides.end() ? registry_kind : it->second;
  }
};

struct OnePlusNRule {
  std::vector<std::string> center_types{"comprehensive_center"};
  std::vector<std::string> station_types{"doorstep_station"};
  std::vector<std::string> citations;
  std::string note;
};

struct StandardsProfile {
  std::string id;
  std::string title;
  std::vector<std::string> citations;
  double detour_factor = 1.0;
  // walking.detour_from_network: take the factor the dataset's walking network measures (its
  // median network / straight-line ratio) when it has one; detour_factor stays the fallback.
  bool detour_from_network = false;
  std::string detour_source =
      "profile";  // where detour_factor came from: profile|override|measured
  std::map<std::string, AccessRule> access;                          // facility type -> rule
  std::map<std::string, PerThousandRule> per_thousand;               // family name -> rule
  std::map<std::string, std::vector<std::string>> district_classes;  // class -> district codes
  MealCapacityRule meal_capacity;
  ColumbariumRule columbarium;
  OnePlusNRule one_plus_n;

  // The per-thousand target for a district: its own target, else its class's, else citywide.
  std::optional<double> per_thousand_target(Family f, const std::string& district_code) const;
  const PerThousandRule* per_thousand_rule(Family f) const;
};

// Single values a request may set over a named profile (e.g. `minutes=10`). They apply to every
// facility type the request selects.
struct StandardsOverrides {
  std::optional<double> minutes;
  std::optional<double> speed_m_s;
  std::optional<double> detour_factor;
  bool empty() const { return !minutes && !speed_m_s && !detour_factor; }
};

// A closed interval of allowed values.
struct Range {
  double min = 0, max = 0;
  bool contains(double x) const { return x >= min && x <= max; }  // false for NaN
};

// The values an override may take, so a walk stays meaningful. Configured in the service's
// configuration ("overrides"); these defaults are what api/openapi.yaml states.
struct OverrideBounds {
  Range minutes{1, 120};
  Range speed_m_s{0.1, 3};
  Range detour_factor{1, 3};
};

// Throws AnalysisError (invalid_parameter) naming the first override outside its bounds, by its
// request name: "minutes", "speed" or "detour".
void check_overrides(const StandardsOverrides& o, const OverrideBounds& bounds);

// The overrides as cache-key text; an absent override reads "default", never a number a request
// could also give.
std::string overrides_key(const StandardsOverrides& o);

class Standards {
 public:
  // Reads and validates the table. Throws StandardsError naming the file and key.
  static Standards load(const std::string& path);
  // `file` names the source in error messages.
  static Standards parse(const nlohmann::json& j, const std::string& file);

  const std::string& version() const { return version_; }
  const std::string& title() const { return title_; }
  const std::string& default_profile() const { return default_profile_; }
  const std::string& path() const { return path_; }
  const std::map<std::string, StandardsProfile>& profiles() const { return profiles_; }
  // nullptr when unknown; an empty id means the default profile.
  const StandardsProfile* profile(const std::string& id) const;
  // The profile with the overrides applied. Throws AnalysisError (unknown_profile,
  // invalid_parameter) naming the parameter.
  StandardsProfile resolve(const std::string& id, const StandardsOverrides& o,
                           const OverrideBounds& bounds = {}) const;
  // The file as loaded, for serving at /standards.
  const nlohmann::json& raw() const { return raw_; }

 private:
  std::string path_, version_, title_, default_profile_;
  std::map<std::string, StandardsProfile> profiles_;
  nlohmann::json raw_;
};

// gis-data/standards/standards.json of the build's data directory.
std::string default_standards_path();

}  // namespace lifecircle
