// HTTP/1.1 message framing (RFC 9112) for the service: an incremental request parser with
// limits, and the response serialiser. Pistache 0.0.5 keeps only its TCP transport here
// (server.cpp); its own HTTP layer drops pipelined requests, ignores `Connection: close` and
// half-closes, accepts conflicting Content-Length headers, and answers errors in plain text.
// This module knows no sockets, so every framing rule is tested on strings.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lifecircle/errors.hpp"

namespace lifecircle::server {

struct Http1Limits {
  std::size_t max_target_bytes = 8 * 1024;  // request-target (path and query); longer: 414
  std::size_t max_head_bytes = 64 * 1024;   // request line and header fields; more: 431
  std::size_t max_header_count = 100;       // header fields; more: 431
  std::size_t max_body_bytes = 1 << 20;     // decoded body; more: 413
};

struct WireRequest {
  std::string method;  // as sent (methods are case-sensitive)
  std::string target;  // origin-form "/path?query" (an absolute-form target is reduced to it)
  int minor_version = 1;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names, trimmed values
  std::string body;
  bool keep_alive = true;  // false: the connection closes after the answer

  const std::string* header(std::string_view lower_name) const;
};

// Why a request was refused at the protocol level. The connection closes after the answer,
// since the rest of the byte stream cannot be framed.
struct WireError {
  ErrorCode code = ErrorCode::malformed_request;  // its status: error_info(code).http_status
  std::string detail;
};

// Parses requests one after another from a connection's byte stream (pipelining included).
class RequestParser {
 public:
  enum class State { incomplete, complete, failed };

  explicit RequestParser(Http1Limits limits) : limits_(limits) {}

  // Consumes bytes from the front of `in`. `complete`: take() the request and call again for
  // the next one; `failed`: error() says why and nothing more can be parsed.
  State feed(std::string& in);
  WireRequest take();
  const WireError& error() const { return error_; }

  // The head of a request is parsed and its body is not complete yet (with bytes left in the
  // buffer, this tells a request cut short from an idle connection).
  bool mid_message() const { return phase_ == Phase::length_body || phase_ == Phase::chunked; }
  // The head is parsed and a body is awaited: the moment to send "100 Continue".
  bool awaiting_body() const { return mid_message(); }
  bool expects_continue() const { return expects_continue_; }

 private:
  enum class Phase { head, length_body, chunked, done, failed };
  enum class ChunkStep { size_line, data, data_end, trailers };
  State fail(ErrorCode code, std::string detail);
  State parse_request_line(std::string_view line);
  State parse_headers(std::string& in, std::size_t first_lf, std::size_t last_lf);
  State start_body(std::string& in);
  State read_chunks(std::string& in);

  Http1Limits limits_;
  Phase phase_ = Phase::head;
  std::size_t scan_from_ = 0;  // where the search for the head's end resumes
  bool line_checked_ = false;  // the request line of the head being read is valid
  bool close_asked_ = false;
  bool keep_alive_asked_ = false;
  bool expects_continue_ = false;
  std::size_t body_left_ = 0;
  ChunkStep chunk_ = ChunkStep::size_line;
  std::size_t trailer_bytes_ = 0;
  WireRequest req_;
  WireError error_;
};

// The reason phrase of a status code ("Not Found").
std::string_view reason_phrase(int status);

struct WireResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Length is added here
  std::string body;
};

// "HTTP/1.1 ..." with Content-Length (none for 1xx/204/304), Connection: close when the
// connection ends after it, and no body for HEAD.
std::string serialize_response(const WireResponse& r, bool keep_alive, bool head_only);

}  // namespace lifecircle::server
