// The planner's map page: `/map` and its static assets (web/ in the source tree: index.html,
// app.js, styles.css, and the front-end libraries vendored by scripts/setup-web.sh into
// web/vendor/). Nothing is fetched from outside the machine, so the page works offline.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "params.hpp"
#include "routes.hpp"

#ifndef LIFECIRCLE_WEB_DIR
#define LIFECIRCLE_WEB_DIR "web"
#endif

namespace lifecircle::server {

namespace {

struct MediaType {
  std::string_view extension;
  std::string_view type;
};
// Only these kinds of file are served: package manifests, scripts and sources stay private.
constexpr MediaType kMediaTypes[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".png", "image/png"},
    {".svg", "image/svg+xml"},
    {".ico", "image/x-icon"},
};

const MediaType* media_type_of(const std::string& name) {
  for (const auto& m : kMediaTypes)
    if (name.size() > m.extension.size() &&
        name.compare(name.size() - m.extension.size(), m.extension.size(), m.extension) == 0)
      return &m;
  return nullptr;
}

// A path segment is a plain file or folder name: no separators, no "..", no hidden files.
bool safe_segment(const std::string& s) {
  if (s.empty() || s.front() == '.') return false;
  for (const char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return s != "node_modules";
}

// The web directory: $LIFECIRCLE_WEB_DIR when set (an installed service), else the source
// tree's web/ the binary was built from.
std::string web_dir() {
  const char* env = std::getenv("LIFECIRCLE_WEB_DIR");
  return env && *env ? std::string(env) : std::string(LIFECIRCLE_WEB_DIR);
}

Response file_response(const std::vector<std::string>& segments) {
  std::string rel;
  for (const auto& s : segments) {
    if (!safe_segment(s)) throw not_found("no such file in the map page");
    rel += "/" + s;
  }
  const MediaType* type = media_type_of(segments.back());
  if (!type) throw not_found("no such file in the map page");
  std::ifstream in(web_dir() + rel, std::ios::binary);
  if (!in) throw not_found("no such file in the map page: " + rel.substr(1));
  std::ostringstream body;
  body << in.rdbuf();
  Response r;
  r.content_type = type->type;
  r.body = body.str();
  // Revalidate every time: the files are small and a stale app.js after an upgrade is worse.
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

}  // namespace

void register_web_routes(Router& router, ServiceContext& /*ctx*/) {
  router.get("/map", [](const Request& req) {
    require_known_params(req, {"lang", "family", "type", "profile", "minutes", "metric"});
    if (const std::string* lang = req.param("lang"); lang && *lang != "zh" && *lang != "en")
      throw invalid_parameter("parameter 'lang' must be zh or en", "lang");
    // The page's URLs are relative to /map (assets under map/, the API beside it); under
    // /map/ they would resolve one level too deep, so send the browser to the canonical URL.
    if (req.path.size() > 4 && req.path.back() == '/') {
      Response r;
      r.status = 301;
      r.content_type.clear();
      std::string location = "/map";
      for (const auto& [k, v] : req.query)
        location +=
            (location.size() == 4 ? "?" : "&") + percent_encode(k) + "=" + percent_encode(v);
      r.headers.emplace_back("Location", location);
      return r;
    }
    return file_response({"index.html"});
  });
  // Assets up to three folders deep (e.g. map/vendor/leaflet/images/layers.png).
  const char* const patterns[] = {"/map/{a}", "/map/{a}/{b}", "/map/{a}/{b}/{c}",
                                  "/map/{a}/{b}/{c}/{d}"};
  const char* const names[] = {"a", "b", "c", "d"};
  for (std::size_t depth = 0; depth < 4; ++depth) {
    router.get(patterns[depth], [depth, names](const Request& req) {
      std::vector<std::string> segments;
      for (std::size_t i = 0; i <= depth; ++i) segments.push_back(req.path_param(names[i]));
      return file_response(segments);
    });
  }
}

}  // namespace lifecircle::server
