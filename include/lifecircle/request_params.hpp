// One parser per analysis request type, shared by the HTTP service (query parameters) and the
// CLI (its options), so both accept the same values, apply the same limits and name the same
// parameter when one is wrong. Parameters come as (name, text) pairs; errors are AnalysisError
// naming the parameter (invalid_parameter, missing_parameter, unknown_parameter,
// repeated_parameter).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lifecircle/analyzer.hpp"
#include "lifecircle/coverage.hpp"
#include "lifecircle/standards.hpp"

namespace lifecircle {

using ParamList = std::vector<std::pair<std::string, std::string>>;

// The parameters each request type takes (without the output format).
extern const std::vector<std::string_view> kCoverageParams;  // coverage, gaps, service areas
extern const std::vector<std::string_view> kPerThousandParams;
extern const std::vector<std::string_view> kMealCapacityParams;
extern const std::vector<std::string_view> kColumbariaParams;
extern const std::vector<std::string_view> kOnePlusNParams;
extern const std::vector<std::string_view> kStandardsParams;  // GET /standards
// The distance modes a request may name.
extern const std::vector<std::string_view> kModes;

// Refuses a parameter not in `allowed`, a name given twice and an empty value.
void check_params(const ParamList& params, const std::vector<std::string_view>& allowed);

// The value of `name`, or null.
const std::string* find_param(const ParamList& params, std::string_view name);
// A finite decimal number (no leading '+', no spaces, no hex); nullopt when absent.
std::optional<double> number_param(const ParamList& params, std::string_view name);

// "a,b,c" -> its parts, empty parts dropped.
std::vector<std::string> split_list(std::string_view s);

// minutes=, speed=, detour= within `bounds`.
StandardsOverrides parse_overrides(const ParamList& params, const OverrideBounds& bounds);
std::optional<Family> parse_family_param(const ParamList& params);

// Each checks the names against its list above, then every value.
CoverageRequest parse_coverage_request(const ParamList& params, const OverrideBounds& bounds);
IndicatorRequest parse_indicator_request(const ParamList& params,
                                         const std::vector<std::string_view>& allowed,
                                         const OverrideBounds& bounds);

}  // namespace lifecircle
