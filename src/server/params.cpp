#include "params.hpp"

#include <algorithm>
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
  for (const auto& [name, value] : req.query) {
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
    throw invalid_parameter("unknown query parameter '" + name + "'" +
                            (allowed.empty() ? std::string("; this resource takes none")
                                             : "; allowed: " + joined(allowed)));
  }
}

std::size_t uint_param(const Request& req, std::string_view name, std::size_t fallback,
                       std::size_t lo, std::size_t hi) {
  const std::string* v = req.param(name);
  if (!v) return fallback;
  unsigned long long n = 0;
  const auto r = std::from_chars(v->data(), v->data() + v->size(), n);
  if (v->empty() || r.ec != std::errc() || r.ptr != v->data() + v->size() || n < lo || n > hi)
    throw invalid_parameter("parameter '" + std::string(name) + "' must be a whole number from " +
                            std::to_string(lo) + " to " + std::to_string(hi) + ", got '" + *v +
                            "'");
  return static_cast<std::size_t>(n);
}

std::optional<BBox> bbox_param(const Request& req, std::string_view name) {
  const std::string* v = req.param(name);
  if (!v) return std::nullopt;
  const std::string n(name);
  std::vector<std::string_view> parts;
  std::string_view s(*v);
  for (std::size_t i = 0;;) {
    const std::size_t j = s.find(',', i);
    parts.push_back(s.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i));
    if (j == std::string_view::npos) break;
    i = j + 1;
  }
  if (parts.size() == 6)
    throw invalid_parameter("parameter '" + n + "': 3-D bounding boxes are not supported");
  double x[4];
  bool ok = parts.size() == 4;
  for (std::size_t k = 0; ok && k < 4; ++k) ok = parse_double(parts[k], x[k]);
  if (!ok)
    throw invalid_parameter("parameter '" + n +
                            "' must be four numbers: minLon,minLat,maxLon,maxLat, got '" + *v +
                            "'");
  const BBox b{x[0], x[1], x[2], x[3]};
  if (b.min_x < -180 || b.max_x > 180 || b.min_y < -90 || b.max_y > 90)
    throw invalid_parameter("parameter '" + n +
                            "' is outside -180..180 longitude / -90..90 latitude: '" + *v + "'");
  if (b.min_y > b.max_y)
    throw invalid_parameter("parameter '" + n + "' has minLat > maxLat: '" + *v + "'");
  if (b.min_x > b.max_x)
    throw invalid_parameter("parameter '" + n +
                            "' has minLon > maxLon (boxes across the antimeridian are not "
                            "supported): '" +
                            *v + "'");
  return b;
}

void require_format(const Request& req, const std::vector<std::string_view>& formats) {
  const std::string* f = req.param("f");
  if (!f || std::find(formats.begin(), formats.end(), *f) != formats.end()) return;
  throw ApiError(406, problem::kNotAcceptable,
                 "format f=" + *f + " is not available here; available: " + joined(formats));
}

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    const std::size_t j = std::min(s.find(',', i), s.size());
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
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
