// The error catalogue: every error the library and the service report, with the HTTP status and
// the stable problem code the service answers it with. Library code raises an ErrorCode and the
// field at fault and never an HTTP status; the server turns an ErrorCode into a problem document
// in one place (src/server/http.cpp), so one condition gets one status and one code on every
// route. api/openapi.yaml lists the problem codes and reasons of this table (a test checks it).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lifecircle {

// The reason an answer failed. The names (the `reason` member of a problem document) and the
// problem codes are published: add entries, never rename or renumber published ones.
enum class ErrorCode {
  // A request's parameters or body.
  invalid_parameter,   // a value of the wrong type, out of range or not among the allowed ones
  missing_parameter,   // a required parameter or member is absent
  unknown_parameter,   // a parameter or member the resource does not take
  repeated_parameter,  // a query parameter given more than once
  invalid_body,        // the body is not the JSON document the resource reads
  // Names a request refers to that the dataset or the standards do not know.
  unknown_profile,
  unknown_type,
  type_not_in_family,
  unknown_district,
  unknown_facility,
  duplicate_facility,
  no_access_rule,  // the standards give the facility type no walking threshold
  // Valid requests the current data cannot answer.
  network_unavailable,  // mode=network on a dataset without a walking network
  no_candidates,        // siting: no candidate site left inside the area
  invalid_request,      // siting solver: an inconsistent request
  invalid_instance,     // siting solver: an inconsistent covering instance
  target_unreachable,   // siting: the target share cannot be reached
  too_large,            // the work a request asks for exceeds a configured limit
  // HTTP.
  body_too_large,          // the body exceeds the configured size
  unsupported_media_type,  // a POST body that is not application/json
  not_found,
  method_not_allowed,
  not_acceptable,      // the `f` format is not offered by the resource
  malformed_request,   // an HTTP request the server cannot read
  expectation_failed,  // an Expect header other than 100-continue
  request_timeout,
  uri_too_long,
  headers_too_large,
  not_implemented,  // an HTTP method the server does not know
  http_version_not_supported,
  unauthorized,           // a write without valid credentials
  forbidden,              // credentials without the right
  conflict,               // a write against a state that changed
  precondition_failed,    // If-Match did not match
  precondition_required,  // a write without If-Match
  overloaded,             // the queue of heavy analyses is full; retry later
  service_unavailable,    // no dataset loaded, or shutting down
  solver_failed,
  internal_error,
};

inline constexpr std::size_t kErrorCodeCount =
    static_cast<std::size_t>(ErrorCode::internal_error) + 1;

struct ErrorInfo {
  ErrorCode code;
  std::string_view reason;   // the enum's name: the fine-grained, machine-readable cause
  int http_status;           // what the service answers
  std::string_view problem;  // the problem document's `code`: what clients switch on
};

// One row per ErrorCode, in enum order.
inline constexpr std::array<ErrorInfo, kErrorCodeCount> kErrorCatalogue = {{
    {ErrorCode::invalid_parameter, "invalid_parameter", 400, "InvalidParameter"},
    {ErrorCode::missing_parameter, "missing_parameter", 400, "InvalidParameter"},
    {ErrorCode::unknown_parameter, "unknown_parameter", 400, "InvalidParameter"},
    {ErrorCode::repeated_parameter, "repeated_parameter", 400, "InvalidParameter"},
    {ErrorCode::invalid_body, "invalid_body", 400, "InvalidParameter"},
    {ErrorCode::unknown_profile, "unknown_profile", 400, "InvalidParameter"},
    {ErrorCode::unknown_type, "unknown_type", 400, "InvalidParameter"},
    {ErrorCode::type_not_in_family, "type_not_in_family", 400, "InvalidParameter"},
    {ErrorCode::unknown_district, "unknown_district", 400, "InvalidParameter"},
    {ErrorCode::unknown_facility, "unknown_facility", 400, "InvalidParameter"},
    {ErrorCode::duplicate_facility, "duplicate_facility", 400, "InvalidParameter"},
    {ErrorCode::no_access_rule, "no_access_rule", 400, "InvalidParameter"},
    {ErrorCode::network_unavailable, "network_unavailable", 422, "ModeUnavailable"},
    {ErrorCode::no_candidates, "no_candidates", 422, "UnprocessableRequest"},
    {ErrorCode::invalid_request, "invalid_request", 422, "UnprocessableRequest"},
    {ErrorCode::invalid_instance, "invalid_instance", 422, "UnprocessableRequest"},
    {ErrorCode::target_unreachable, "target_unreachable", 422, "TargetUnreachable"},
    {ErrorCode::too_large, "too_large", 413, "RequestTooLarge"},
    {ErrorCode::body_too_large, "body_too_large", 413, "PayloadTooLarge"},
    {ErrorCode::unsupported_media_type, "unsupported_media_type", 415, "UnsupportedMediaType"},
    {ErrorCode::not_found, "not_found", 404, "NotFound"},
    {ErrorCode::method_not_allowed, "method_not_allowed", 405, "MethodNotAllowed"},
    {ErrorCode::not_acceptable, "not_acceptable", 406, "NotAcceptable"},
    {ErrorCode::malformed_request, "malformed_request", 400, "MalformedRequest"},
    {ErrorCode::expectation_failed, "expectation_failed", 417, "ExpectationFailed"},
    {ErrorCode::request_timeout, "request_timeout", 408, "RequestTimeout"},
    {ErrorCode::uri_too_long, "uri_too_long", 414, "UriTooLong"},
    {ErrorCode::headers_too_large, "headers_too_large", 431, "HeadersTooLarge"},
    {ErrorCode::not_implemented, "not_implemented", 501, "NotImplemented"},
    {ErrorCode::http_version_not_supported, "http_version_not_supported", 505,
     "HttpVersionNotSupported"},
    {ErrorCode::unauthorized, "unauthorized", 401, "Unauthorized"},
    {ErrorCode::forbidden, "forbidden", 403, "Forbidden"},
    {ErrorCode::conflict, "conflict", 409, "Conflict"},
    {ErrorCode::precondition_failed, "precondition_failed", 412, "PreconditionFailed"},
    {ErrorCode::precondition_required, "precondition_required", 428, "PreconditionRequired"},
    {ErrorCode::overloaded, "overloaded", 503, "ServiceUnavailable"},
    {ErrorCode::service_unavailable, "service_unavailable", 503, "ServiceUnavailable"},
    {ErrorCode::solver_failed, "solver_failed", 500, "SolverFailed"},
    {ErrorCode::internal_error, "internal_error", 500, "InternalError"},
}};

namespace detail {
constexpr bool catalogue_in_enum_order() {
  for (std::size_t i = 0; i < kErrorCatalogue.size(); ++i)
    if (static_cast<std::size_t>(kErrorCatalogue[i].code) != i) return false;
  return true;
}
}  // namespace detail
static_assert(detail::catalogue_in_enum_order(),
              "kErrorCatalogue must list every ErrorCode in order");

constexpr const ErrorInfo& error_info(ErrorCode c) {
  return kErrorCatalogue[static_cast<std::size_t>(c)];
}
constexpr std::string_view to_string(ErrorCode c) { return error_info(c).reason; }
inline std::optional<ErrorCode> parse_error_code(std::string_view reason) {
  for (const ErrorInfo& e : kErrorCatalogue)
    if (e.reason == reason) return e.code;
  return std::nullopt;
}

// The base of the library's exceptions for bad requests: a code from the catalogue, the field
// (parameter or JSON member) at fault, and a sentence for a person. The sentence never carries
// another exception's what(), a file path of the machine or a stack trace.
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string field, const std::string& message)
      : std::runtime_error(message), code_(code), field_(std::move(field)) {}
  ErrorCode code() const { return code_; }
  std::string_view reason() const { return to_string(code_); }
  const std::string& field() const { return field_; }

 private:
  ErrorCode code_;
  std::string field_;
};

}  // namespace lifecircle
