// The server's own request/response values and application errors. Handlers see only these,
// never Pistache types, so a handler reads as "parse, validate, call the library, encode".
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "lifecircle/config.hpp"
#include "lifecircle/errors.hpp"

namespace lifecircle::server {

enum class Method { get, head, post, put, patch, del, options, other };
std::string_view to_string(Method m);

// Media types the service answers with.
namespace media {
inline constexpr std::string_view kJson = "application/json";
inline constexpr std::string_view kGeoJson = "application/geo+json";
inline constexpr std::string_view kProblem = "application/problem+json";
inline constexpr std::string_view kOpenApiYaml = "application/vnd.oai.openapi;version=3.0";
inline constexpr std::string_view kOpenApiJson = "application/vnd.oai.openapi+json;version=3.0";
inline constexpr std::string_view kJsonSchema = "application/schema+json";
}  // namespace media

struct Request {
  Method method = Method::get;
  std::string path;  // as received (percent-encoded), without the query; the router decodes
  // Percent-decoded query parameters sorted by name; repeated names are all kept, in the
  // order they were sent (every route refuses them: see require_known_params).
  std::vector<std::pair<std::string, std::string>> query;
  std::map<std::string, std::string> path_params;  // filled by the router, decoded
  std::map<std::string, std::string> headers;      // lower-case names
  // Where links point: the configured public URL, or http://HOST:PORT (see link_base).
  std::string base_url;
  std::string route;  // the matched route pattern, set by dispatch (metrics); empty: none
  std::string body;   // POST/PUT body as received (routes_planning.cpp reads JSON bodies)

  const std::string* param(std::string_view name) const;
  const std::string* header(std::string_view lower_name) const;
  const std::string& path_param(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string content_type{media::kJson};
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static Response json(const nlohmann::json& body, int status = 200);
};

// An application error: becomes a problem document (status and code from the catalogue,
// lifecircle/errors.hpp). Throw it, or any lifecircle::Error, from a handler.
class ApiError : public Error {
 public:
  ApiError(ErrorCode code, std::string detail, std::string field = "")
      : Error(code, std::move(field), detail) {}
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Allow for a 405
};

inline ApiError invalid_parameter(std::string detail, std::string field = "") {
  return ApiError(ErrorCode::invalid_parameter, std::move(detail), std::move(field));
}
inline ApiError not_found(std::string detail) {
  return ApiError(ErrorCode::not_found, std::move(detail));
}

// RFC 7807 problem document: type, title, status, detail, code (the catalogue's problem code),
// reason (the ErrorCode's name) and, when known, the field at fault. The only place a problem
// document is written.
Response problem_response(ErrorCode code, const std::string& detail, const std::string& field = "");
Response problem_response(const Error& e);

// The base URL links are built from: the configured public URL; else the Host header when it is
// an allowed host (or a loopback name with the bound port); else http://BOUND_HOST:PORT.
std::string link_base(const LinkOptions& links, const std::string* host_header,
                      const std::string& bound_host, std::uint16_t port);

// Percent-decoding of a URI component; `plus_is_space` for query strings.
std::string percent_decode(std::string_view s, bool plus_is_space);
// The query of a request target (after '?'): '&'-separated name=value pairs, percent-decoded
// ('+' is a space), empty pairs dropped, a fragment cut, sorted by name with repeated names in
// the order they were sent.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);
// Percent-encoding for a query value or a path segment (unreserved characters pass).
std::string percent_encode(std::string_view s);

}  // namespace lifecircle::server
