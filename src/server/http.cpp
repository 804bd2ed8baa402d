#include "http.hpp"

#include <algorithm>

#include <cctype>
#include <nlohmann/json.hpp>

#include "http1.hpp"

namespace lifecircle::server {

std::string_view to_string(Method m) {
  switch (m) {
    case Method::get:
      return "GET";
    case Method::head:
      return "HEAD";
    case Method::post:
      return "POST";
    case Method::put:
      return "PUT";
    case Method::patch:
      return "PATCH";
    case Method::del:
      return "DELETE";
    case Method::options:
      return "OPTIONS";
    case Method::other:
      break;
  }
  return "OTHER";
}

const std::string* Request::param(std::string_view name) const {
  for (const auto& [k, v] : query)
    if (k == name) return &v;
  return nullptr;
}

const std::string* Request::header(std::string_view lower_name) const {
  auto it = headers.find(std::string(lower_name));
  return it == headers.end() ? nullptr : &it->second;
}

const std::string& Request::path_param(const std::string& name) const {
  static const std::string empty;
  auto it = path_params.find(name);
  return it == path_params.end() ? empty : it->second;
}

Response Response::json(const nlohmann::json& body, int status) {
  Response r;
  r.status = status;
  r.body = body.dump();
  return r;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Response problem_response(ErrorCode code, const std::string& detail, const std::string& field) {
  const ErrorInfo& info = error_info(code);
  nlohmann::json j = {{"type", "urn:lifecircle:problem:" + std::string(info.problem)},
                      {"title", reason_phrase(info.http_status)},
                      {"status", info.http_status},
                      {"detail", detail},
                      {"code", info.problem},
                      {"reason", info.reason}};
  if (!field.empty()) j["field"] = field;
  Response r;
  r.status = info.http_status;
  r.content_type = media::kProblem;
  // A detail can echo client input that is not valid UTF-8; replace rather than throw.
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response problem_response(const Error& e) {
  return problem_response(e.code(), e.what(), e.field());
}

std::string link_base(const LinkOptions& links, const std::string* host_header,
                      const std::string& bound_host, std::uint16_t port) {
  if (!links.public_base_url.empty()) return links.public_base_url;
  const std::string p = ":" + std::to_string(port);
  if (host_header && !host_header->empty()) {
    std::string h = *host_header;
    std::transform(h.begin(), h.end(), h.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    bool allowed = h == "127.0.0.1" + p || h == "localhost" + p || h == "[::1]" + p;
    for (const std::string& a : links.allowed_hosts) allowed = allowed || h == a;
    if (allowed) return "http://" + h;
  }
  const bool any = bound_host == "0.0.0.0" || bound_host == "::" || bound_host.empty();
  return "http://" + (any ? std::string("127.0.0.1") : bound_host) + p;
}

std::string percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view qs) {
  std::vector<std::pair<std::string, std::string>> out;
  qs = qs.substr(0, qs.find('#'));
  while (!qs.empty()) {
    const std::size_t amp = std::min(qs.find('&'), qs.size());
    const std::string_view pair = qs.substr(0, amp);
    if (!pair.empty()) {
      const std::size_t eq = std::min(pair.find('='), pair.size());
      out.emplace_back(percent_decode(pair.substr(0, eq), true),
                       percent_decode(pair.substr(std::min(eq + 1, pair.size())), true));
    }
    qs.remove_prefix(std::min(amp + 1, qs.size()));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

std::string percent_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~' || c == ',' || c == ':') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

}  // namespace lifecircle::server
