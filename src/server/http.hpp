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

namespace lifecircle::server {

enum class Method { get, head, post, put, patch, del, options, other };
std::string_view to_string(Method m);

// Stable problem codes: clients switch on these, so they never change once published.
// The same list is documented in api/openapi.yaml (components/schemas/Problem).
namespace problem {
inline constexpr std::string_view kInvalidParameter = "InvalidParameter";      // 400
inline constexpr std::string_view kNotFound = "NotFound";                      // 404
inline constexpr std::string_view kMethodNotAllowed = "MethodNotAllowed";      // 405
inline constexpr std::string_view kNotAcceptable = "NotAcceptable";            // 406
inline constexpr std::string_view kInternalError = "InternalError";            // 500
inline constexpr std::string_view kServiceUnavailable = "ServiceUnavailable";  // 503
}  // namespace problem

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
  // order they were sent.
  std::vector<std::pair<std::string, std::string>> query;
  std::map<std::string, std::string> path_params;  // filled by the router, decoded
  std::map<std::string, std::string> headers;      // lower-case names
  std::string base_url;                            // "http://host:port" as the client sees us
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

// An application error: becomes a problem document. Throw it from any handler.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string_view code, std::string detail)
      : std::runtime_error(detail), status_(status), code_(code) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Allow for a 405

 private:
  int status_;
  std::string code_;
};

inline ApiError invalid_parameter(std::string detail) {
  return ApiError(400, problem::kInvalidParameter, std::move(detail));
}
inline ApiError not_found(std::string detail) {
  return ApiError(404, problem::kNotFound, std::move(detail));
}

// RFC 7807 problem document: type, title, status, detail, code.
Response problem_response(int status, std::string_view code, const std::string& detail);

// Percent-decoding of a URI component; `plus_is_space` for query strings.
std::string percent_decode(std::string_view s, bool plus_is_space);
// The query of a request target (after '?'): '&'-separated name=value pairs, percent-decoded
// ('+' is a space), empty pairs dropped, a fragment cut, sorted by name with repeated names in
// the order they were sent.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);
// Percent-encoding for a query value or a path segment (unreserved characters pass).
std::string percent_encode(std::string_view s);

}  // namespace lifecircle::server
