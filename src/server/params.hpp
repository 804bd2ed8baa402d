// Query-parameter validation shared by the route groups: every parameter is checked, and a bad
// one is a 400 problem that names it (the analysis parameters are parsed by
// lifecircle/request_params.hpp, shared with the CLI).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http.hpp"
#include "lifecircle/request_params.hpp"
#include "lifecircle/types.hpp"

namespace lifecircle::server {

// Refuses a parameter not in `allowed`, a repeated name and an empty value, naming it.
void require_known_params(const Request& req, const std::vector<std::string_view>& allowed);
// `allowed` and "f".
std::vector<std::string_view> with_format(std::vector<std::string_view> allowed);

// A request body's media type must be JSON (application/json or application/*+json): 415
// if not. The dispatcher calls it for every POST, PUT and PATCH.
void require_json_body(const Request& req);

// A whole number within [lo, hi]; `fallback` when absent.
std::size_t uint_param(const Request& req, std::string_view name, std::size_t fallback,
                       std::size_t lo, std::size_t hi);

// "minLon,minLat,maxLon,maxLat" in degrees; nullopt when absent.
std::optional<BBox> bbox_param(const Request& req, std::string_view name);

// The `f` parameter: absent, or one of `formats`; anything else is a 406 NotAcceptable.
void require_format(const Request& req, const std::vector<std::string_view>& formats);

// Current UTC time as ISO 8601, e.g. 2024-05-01T08:00:00Z.
std::string utc_timestamp();

}  // namespace lifecircle::server
