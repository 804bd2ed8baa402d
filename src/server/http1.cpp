#include "http1.hpp"

#include <algorithm>
#include <cctype>

namespace lifecircle::server {

namespace {

// RFC 9110 token characters (method and field names).
bool is_tchar(unsigned char c) {
  return std::isalnum(c) ||
         std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return is_tchar(static_cast<unsigned char>(c)); });
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Comma-separated list elements of a field value, trimmed, empty ones dropped.
std::vector<std::string_view> list_elements(std::string_view v) {
  std::vector<std::string_view> out;
  while (!v.empty()) {
    const std::size_t comma = std::min(v.find(','), v.size());
    const std::string_view e = trim(v.substr(0, comma));
    if (!e.empty()) out.push_back(e);
    v.remove_prefix(std::min(comma + 1, v.size()));
  }
  return out;
}

// A line of the head without its terminator: LF, with an optional CR before it.
std::string_view strip_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

const std::string* WireRequest::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_name) return &value;
  return nullptr;
}

RequestParser::State RequestParser::fail(ErrorCode code, std::string detail) {
  phase_ = Phase::failed;
  error_ = WireError{code, std::move(detail)};
  return State::failed;
}

WireRequest RequestParser::take() {
  WireRequest r = std::move(req_);
  req_ = WireRequest{};
  phase_ = Phase::head;
  scan_from_ = 0;
  expects_continue_ = false;
  return r;
}

RequestParser::State RequestParser::feed(std::string& in) {
  if (phase_ == Phase::failed) return State::failed;
  if (phase_ == Phase::done) return State::complete;
  if (phase_ == Phase::head) {
    // Empty lines before a request line are ignored (RFC 9112 section 2.2).
    std::size_t skip = 0;
    while (skip < in.size() && (in[skip] == '\r' || in[skip] == '\n')) ++skip;
    if (skip > 0) in.erase(0, skip), scan_from_ = 0;
    if (in.empty()) return State::incomplete;

    // The request line is judged as soon as it is complete, so a malformed one is refused at
    // once instead of after a timeout.
    const std::size_t first_lf = in.find('\n');
    if (first_lf == std::string::npos) {
      if (in.size() > limits_.max_target_bytes + 32)
        return fail(
            ErrorCode::uri_too_long,
            "the request line exceeds " + std::to_string(limits_.max_target_bytes) + " bytes");
      return State::incomplete;
    }
    if (!line_checked_) {
      const State s = parse_request_line(strip_cr(std::string_view(in).substr(0, first_lf)));
      if (s == State::failed) return s;
      line_checked_ = true;
    }
    // The head ends at the first empty line.
    std::size_t pos = std::max(scan_from_, first_lf);
    while (true) {
      const std::size_t lf = in.find('\n', pos + 1);
      if (lf == std::string::npos) break;
      const std::size_t line_start = pos + 1;
      if (lf >= limits_.max_head_bytes) break;  // refused below, wherever the head ends
      if (lf == line_start || (lf == line_start + 1 && in[line_start] == '\r'))
        return parse_headers(in, first_lf, lf);
      pos = lf;
    }
    scan_from_ = pos;
    if (in.size() > limits_.max_head_bytes)
      return fail(ErrorCode::headers_too_large,
                  "the request head exceeds " + std::to_string(limits_.max_head_bytes) + " bytes");
    return State::incomplete;
  }
  if (phase_ == Phase::length_body) {
    const std::size_t n = std::min(in.size(), body_left_);
    req_.body.append(in, 0, n);
    in.erase(0, n);
    body_left_ -= n;
    if (body_left_ > 0) return State::incomplete;
    phase_ = Phase::done;
    return State::complete;
  }
  return read_chunks(in);
}

RequestParser::State RequestParser::parse_request_line(std::string_view line) {
  const std::size_t sp1 = line.find(' ');
  const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
    return fail(ErrorCode::malformed_request,
                "the request line must be METHOD SP TARGET SP HTTP-VERSION");
  const std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (!is_token(method)) return fail(ErrorCode::malformed_request, "the method is not a token");
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || !std::isdigit(version[5]) ||
      version[6] != '.' || !std::isdigit(version[7]))
    return fail(ErrorCode::malformed_request, "the HTTP version is malformed");
  if (version[5] != '1' || (version[7] != '0' && version[7] != '1'))
    return fail(ErrorCode::http_version_not_supported, "only HTTP/1.0 and HTTP/1.1 are served");
  if (target.size() > limits_.max_target_bytes)
    return fail(ErrorCode::uri_too_long, "the request target exceeds " +
                                             std::to_string(limits_.max_target_bytes) + " bytes");
  for (const char c : target)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return fail(ErrorCode::malformed_request, "the request target has a control character");
  // Absolute form (sent to proxies, accepted from anyone): keep path and query.
  if (target.size() > 7 && (lower(target.substr(0, 7)) == "http://" ||
                            (target.size() > 8 && lower(target.substr(0, 8)) == "https://"))) {
    const std::size_t authority = target.find("//") + 2;
    const std::size_t path = target.find_first_of("/?", authority);
    target = path == std::string_view::npos ? std::string_view("/") : target.substr(path);
    req_.target = target.front() == '?' ? "/" + std::string(target) : std::string(target);
  } else if (target == "*" && method == "OPTIONS") {
    req_.target = "*";
  } else if (target.front() != '/') {
    return fail(ErrorCode::malformed_request, "the request target must begin with /");
  } else {
    req_.target = std::string(target);
  }
  req_.method = std::string(method);
  req_.minor_version = version[7] - '0';
  return State::incomplete;
}

RequestParser::State RequestParser::parse_headers(std::string& in, std::size_t first_lf,
                                                  std::size_t last_lf) {
  const std::string_view head(in.data(), last_lf + 1);
  std::size_t pos = first_lf + 1;
  while (pos < head.size()) {
    const std::size_t lf = head.find('\n', pos);
    const std::string_view line = strip_cr(head.substr(pos, lf - pos));
    pos = lf + 1;
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t')
      return fail(ErrorCode::malformed_request, "folded header lines are not accepted");
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || !is_token(line.substr(0, colon)))
      return fail(ErrorCode::malformed_request,
                  "a header line is not NAME: VALUE (no space before the colon)");
    const std::string_view value = trim(line.substr(colon + 1));
    for (const char c : value)
      if (c == '\0' || c == '\r' || c == '\n')
        return fail(ErrorCode::malformed_request, "a header value has a control character");
    if (req_.headers.size() >= limits_.max_header_count)
      return fail(ErrorCode::headers_too_large,
                  "more than " + std::to_string(limits_.max_header_count) + " header fields");
    req_.headers.emplace_back(lower(line.substr(0, colon)), std::string(value));
  }
  in.erase(0, last_lf + 1);
  scan_from_ = 0;
  line_checked_ = false;
  return start_body(in);
}

RequestParser::State RequestParser::start_body(std::string& in) {
  int hosts = 0;
  bool chunked = false, has_te = false, has_length = false;
  std::string_view length;
  for (const auto& [name, value] : req_.headers) {
    if (name == "host") {
      ++hosts;
      if (value.find_first_of(" /\\@") != std::string::npos)
        return fail(ErrorCode::malformed_request, "the Host header is malformed");
    } else if (name == "content-length") {
      // Repeated or listed values must all agree (RFC 9110 section 8.6); anything else is a
      // smuggling attempt or a broken client.
      for (const std::string_view v : list_elements(value)) {
        if (!std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
          return fail(ErrorCode::malformed_request,
                      "Content-Length must be a non-negative decimal integer");
        if (has_length && v != length)
          return fail(ErrorCode::malformed_request, "conflicting Content-Length values");
        has_length = true;
        length = v;
      }
      if (list_elements(value).empty())
        return fail(ErrorCode::malformed_request, "Content-Length is empty");
    } else if (name == "transfer-encoding") {
      has_te = true;
      const auto codings = list_elements(value);
      chunked = !codings.empty() && lower(codings.back()) == "chunked" && codings.size() == 1;
      if (!chunked)
        return fail(ErrorCode::not_implemented, "only the chunked transfer coding is served");
    } else if (name == "connection") {
      for (const std::string_view o : list_elements(value)) {
        const std::string opt = lower(o);
        if (opt == "close") req_.keep_alive = false, close_asked_ = true;
        if (opt == "keep-alive") keep_alive_asked_ = true;
      }
    } else if (name == "expect") {
      if (lower(value) != "100-continue")
        return fail(ErrorCode::expectation_failed, "only Expect: 100-continue is understood");
      expects_continue_ = true;
    }
  }
  if (req_.minor_version == 1 && hosts != 1)
    return fail(ErrorCode::malformed_request, "an HTTP/1.1 request needs exactly one Host");
  if (hosts > 1) return fail(ErrorCode::malformed_request, "more than one Host header");
  req_.keep_alive = !close_asked_ && (req_.minor_version == 1 || keep_alive_asked_);
  close_asked_ = keep_alive_asked_ = false;
  if (has_te && (has_length || req_.minor_version == 0))
    return fail(ErrorCode::malformed_request,
                "Transfer-Encoding with Content-Length (or in HTTP/1.0) is refused");
  if (chunked) {
    phase_ = Phase::chunked;
    chunk_ = ChunkStep::size_line;
    return read_chunks(in);
  }
  std::size_t n = 0;
  for (const char c : length) {
    if (n > limits_.max_body_bytes) break;
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  if (n > limits_.max_body_bytes)
    return fail(ErrorCode::body_too_large,
                "the body exceeds " + std::to_string(limits_.max_body_bytes) + " bytes");
  expects_continue_ = expects_continue_ && n > 0;
  if (n == 0) {
    phase_ = Phase::done;
    return State::complete;
  }
  req_.body.reserve(n);
  body_left_ = n;
  phase_ = Phase::length_body;
  return feed(in);
}

RequestParser::State RequestParser::read_chunks(std::string& in) {
  while (true) {
    if (chunk_ == ChunkStep::data) {
      const std::size_t n = std::min(in.size(), body_left_);
      req_.body.append(in, 0, n);
      in.erase(0, n);
      body_left_ -= n;
      if (body_left_ > 0) return State::incomplete;
      chunk_ = ChunkStep::data_end;
      continue;
    }
    const std::size_t lf = in.find('\n');
    if (lf == std::string::npos) {
      if (in.size() > 4096) return fail(ErrorCode::malformed_request, "a chunk line is too long");
      return State::incomplete;
    }
    const std::string_view line = strip_cr(std::string_view(in).substr(0, lf));
    if (chunk_ == ChunkStep::data_end) {
      if (!line.empty())
        return fail(ErrorCode::malformed_request, "chunk data is longer than its size");
      chunk_ = ChunkStep::size_line;
    } else if (chunk_ == ChunkStep::trailers) {
      trailer_bytes_ += lf + 1;
      if (trailer_bytes_ > limits_.max_head_bytes)
        return fail(ErrorCode::headers_too_large, "the trailer section is too large");
      if (line.empty()) {
        in.erase(0, lf + 1);
        trailer_bytes_ = 0;
        phase_ = Phase::done;
        return State::complete;
      }
    } else {
      const std::string_view size = trim(line.substr(0, line.find(';')));
      std::size_t n = 0;
      if (size.empty() || size.size() > 15)
        return fail(ErrorCode::malformed_request, "a chunk size is malformed");
      for (const char c : size) {
        const int d = std::isdigit(static_cast<unsigned char>(c))
                          ? c - '0'
                          : (std::isxdigit(static_cast<unsigned char>(c))
                                 ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                                 : -1);
        if (d < 0) return fail(ErrorCode::malformed_request, "a chunk size is not hexadecimal");
        n = n * 16 + static_cast<std::size_t>(d);
      }
      if (req_.body.size() + n > limits_.max_body_bytes)
        return fail(ErrorCode::body_too_large,
                    "the body exceeds " + std::to_string(limits_.max_body_bytes) + " bytes");
      body_left_ = n;
      chunk_ = n == 0 ? ChunkStep::trailers : ChunkStep::data;
    }
    in.erase(0, lf + 1);
  }
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 417:
      return "Expectation Failed";
    case 422:
      return "Unprocessable Content";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return status < 400 ? "OK" : (status < 500 ? "Client Error" : "Server Error");
  }
}

std::string serialize_response(const WireResponse& r, bool keep_alive, bool head_only) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " ";
  out += reason_phrase(r.status);
  out += "\r\n";
  for (const auto& [name, value] : r.headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  const bool bodiless = r.status < 200 || r.status == 204 || r.status == 304;
  if (!bodiless) out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  if (!keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  if (!bodiless && !head_only) out += r.body;
  return out;
}

}  // namespace lifecircle::server
