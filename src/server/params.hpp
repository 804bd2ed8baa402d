// Query-parameter validation shared by the route groups: every parameter is checked, and a bad
// one is a 400 InvalidParameter that names it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http.hpp"
#include "lifecircle/types.hpp"

namespace lifecircle::server {

// Throws InvalidParameter naming the first parameter not in `allowed`.
void require_known_params(const Request& req, const std::vector<std::string_view>& allowed);

// A whole number within [lo, hi]; `fallback` when absent.
std::size_t uint_param(const Request& req, std::string_view name, std::size_t fallback,
                       std::size_t lo, std::size_t hi);

// "minLon,minLat,maxLon,maxLat" in degrees; nullopt when absent.
std::optional<BBox> bbox_param(const Request& req, std::string_view name);

// The `f` parameter: absent, or one of `formats`; anything else is a 406 NotAcceptable.
void require_format(const Request& req, const std::vector<std::string_view>& formats);

// Splits "a,b,c" into its parts (empty parts dropped).
std::vector<std::string> split_list(std::string_view s);

// Current UTC time as ISO 8601, e.g. 2024-05-01T08:00:00Z.
std::string utc_timestamp();

}  // namespace lifecircle::server
