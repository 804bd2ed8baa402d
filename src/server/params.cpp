#include "params.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <ctime>

namespace lifecircle::server {

namespace {

std::string joined(const std::vector<std::string_view>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + std::string(x);
  return s;
}

bool parse_double(std::string_view s, double& out) {
  // from_chars rejects a leading '+' and spaces, which is the strictness we want.
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(out);
}

}  // namespace

void require_known_params(const Request& req, const std::vector<std::string_view>& allowed) {
  check_params(req.query, allowed);
}

std::vector<std::string_view> with_format(std::vector<std::string_view> allowed) {
  allowed.push_back("f");
  return allowed;
}

void require_json_body(const Request& req) {
  if (req.body.empty()) return;  // nothing to type; the route says what it needs
  const std::string* t = req.header("content-type");
  std::string type = t ? t->substr(0, t->find(';')) : std::string();
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  const bool json =
      type == "application/json" || (type.rfind("application/", 0) == 0 && type.size() > 17 &&
                                     type.compare(type.size() - 5, 5, "+json") == 0);
  if (!json)
    throw ApiError(ErrorCode::unsupported_media_type,
                   "the body must be JSON, sent with Content-Type: application/json" +
                       (t ? std::string(", not '") + t->substr(0, 64) + "'"
                          : std::string(" (the request has no Content-Type)")),
                   "Content-Type");
}

namespace {
// An echoed value is cut, so a parameter of a few kilobytes does not come back whole.
std::string shown(const std::string& v) { return v.size() > 64 ? v.substr(0, 64) + "..." : v; }
}  // namespace

std::size_t uint_param(const Request& req, std::string_view name, std::size_t fallback,
                       std::size_t lo, std::size_t hi) {
  const std::string* v = req.param(name);
  if (!v) return fallback;
  unsigned long long n = 0;
  const auto r = std::from_chars(v->data(), v->data() + v->size(), n);
  if (v->empty() || r.ec != std::errc() || r.ptr != v->data() + v->size() || n < lo || n > hi)
    throw invalid_parameter("parameter '" + std::string(name) + "' must be a whole number from " +
                                std::to_string(lo) + " to " + std::to_string(hi) + ", got '" +
                                shown(*v) + "'",
                            std::string(name));
  return static_cast<std::size_t>(n);
}

std::optional<BBox> bbox_param(const Request& req, std::string_view name) {
  const std::string* v = req.param(name);
  if (!v) return std::nullopt;
  const std::string n(name);
  auto bad = [&](const std::string& why) {
    return invalid_parameter("parameter '" + n + "' " + why + ": '" + shown(*v) + "'", n);
  };
  std::vector<std::string_view> parts;
  std::string_view s(*v);
  for (std::size_t i = 0;;) {
    const std::size_t j = s.find(',', i);
    parts.push_back(s.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i));
    if (j == std::string_view::npos) break;
    i = j + 1;
  }
  if (parts.size() == 6) throw bad("is 3-D; 3-D bounding boxes are not supported");
  double x[4];
  bool ok = parts.size() == 4;
  for (std::size_t k = 0; ok && k < 4; ++k) ok = parse_double(parts[k], x[k]);
  if (!ok) throw bad("must be four numbers: minLon,minLat,maxLon,maxLat");
  const BBox b{x[0], x[1], x[2], x[3]};
  if (b.min_x < -180 || b.max_x > 180 || b.min_y < -90 || b.max_y > 90)
    throw bad("is outside -180..180 longitude / -90..90 latitude");
  if (b.min_y > b.max_y) throw bad("has minLat > maxLat");
  if (b.min_x > b.max_x)
    throw bad("has minLon > maxLon (boxes across the antimeridian are not supported)");
  return b;
}

void require_format(const Request& req, const std::vector<std::string_view>& formats) {
  const std::string* f = req.param("f");
  if (!f || std::find(formats.begin(), formats.end(), *f) != formats.end()) return;
  throw ApiError(
      ErrorCode::not_acceptable,
      "format f=" + f->substr(0, 64) + " is not available here; available: " + joined(formats),
      "f");
}

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace lifecircle::server
