// Landing page, conformance, the OpenAPI document and the health check.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "collections.hpp"
#include "openapi_document.hpp"
#include "params.hpp"
#include "routes.hpp"

#ifndef LIFECIRCLE_OPENAPI_PATH
#define LIFECIRCLE_OPENAPI_PATH "api/openapi.yaml"
#endif

namespace lifecircle::server {

namespace {

using nlohmann::json;

json link(const std::string& href, std::string_view rel, std::string_view type,
          std::string_view title) {
  return {{"href", href}, {"rel", rel}, {"type", type}, {"title", title}};
}

// The media type of one Accept range, lower-cased, and its q-value.
std::pair<std::string, double> media_range(std::string_view range) {
  std::string type;
  double q = 1;
  std::size_t i = 0;
  for (bool first = true; i <= range.size(); first = false) {
    const std::size_t j = std::min(range.find(';', i), range.size());
    std::string part(range.substr(i, j - i));
    part.erase(0, part.find_first_not_of(" \t"));
    part.erase(part.find_last_not_of(" \t") + 1);
    for (char& c : part) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (first)
      type = part;
    else if (part.rfind("q=", 0) == 0)
      q = std::strtod(part.c_str() + 2, nullptr);
    i = j + 1;
  }
  return {type, q};
}

// Which encoding of the OpenAPI document a request asks for: `f` decides, else the Accept
// header (q-values honoured, ties to JSON); JSON when neither says, since OGC clients (QGIS,
// GDAL) read only JSON.
bool wants_yaml(const Request& req) {
  if (const std::string* f = req.param("f")) return *f == "yaml";
  const std::string* accept = req.header("accept");
  if (!accept) return false;
  double json_q = -1, yaml_q = -1;
  for (const std::string& range : split_list(*accept)) {
    const auto [type, q] = media_range(range);
    if (q <= 0) continue;
    if (type == "application/vnd.oai.openapi" || type == "application/yaml" ||
        type == "application/x-yaml" || type == "text/yaml")
      yaml_q = std::max(yaml_q, q);
    else if (type == "application/vnd.oai.openapi+json" || type == "application/openapi+json" ||
             type == "application/json" || type == "*/*" || type == "application/*")
      json_q = std::max(json_q, q);
  }
  return yaml_q > json_q;
}

const char* const kConformance[] = {
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
};

}  // namespace

void register_core_routes(Router& router, ServiceContext& ctx) {
  router.get("/", [&ctx](const Request& req) {
    require_known_params(req, {"f"});
    require_format(req, {"json"});
    const auto d = ctx.snapshot();
    const std::string& b = req.base_url;
    const std::string title = d->info().title.empty() ? "lifecircle" : d->info().title;
    const std::string description =
        !ctx.options.description.empty()
            ? ctx.options.description
            : "Community facility planning data (eldercare, meal sites, columbaria) served as OGC "
              "API - Features.";
    return Response::json(
        {{"title", title},
         {"description", description},
         {"links",
          {link(b + "/", "self", media::kJson, "this document"),
           link(b + "/api", "service-desc", media::kOpenApiJson,
                "the API definition (OpenAPI 3.0, JSON)"),
           link(b + "/api?f=yaml", "service-desc", media::kOpenApiYaml,
                "the API definition (OpenAPI 3.0, YAML)"),
           link(b + "/conformance", "conformance", media::kJson, "conformance classes"),
           link(b + "/collections", "data", media::kJson, "the feature collections")}}});
  });

  router.get("/conformance", [](const Request& req) {
    require_known_params(req, {"f"});
    require_format(req, {"json"});
    return Response::json({{"conformsTo", kConformance}});
  });

  // Read and converted once: the document is part of the build, not of the data.
  auto openapi = std::make_shared<OpenApiDocument>();
  {
    const std::string path =
        ctx.options.openapi_path.empty() ? LIFECIRCLE_OPENAPI_PATH : ctx.options.openapi_path;
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::ostringstream s;
      s << in.rdbuf();
      openapi->yaml = s.str();
      try {
        openapi->json = yaml_to_json(openapi->yaml).dump();
      } catch (const std::exception& e) {
        std::fprintf(stderr, "warning: the OpenAPI document %s is not valid YAML (%s)\n",
                     path.c_str(), e.what());
        openapi->yaml.clear();
      }
    } else {
      std::fprintf(stderr, "warning: cannot read the OpenAPI document %s; /api will be 404\n",
                   path.c_str());
    }
  }
  router.get("/api", [openapi](const Request& req) {
    require_known_params(req, {"f"});
    require_format(req, {"json", "yaml"});
    if (openapi->yaml.empty()) throw not_found("the OpenAPI document is not installed");
    Response r;
    const bool yaml = wants_yaml(req);
    r.content_type = yaml ? media::kOpenApiYaml : media::kOpenApiJson;
    r.body = yaml ? openapi->yaml : openapi->json;
    r.headers.emplace_back("Vary", "Accept");
    return r;
  });

  router.get("/health", [&ctx](const Request& req) {
    require_known_params(req, {});
    const auto d = ctx.snapshot();
    json counts = json::object();
    for (const auto& c : feature_collections()) counts[c->id] = c->size(*d);
    return Response::json({{"status", "ok"},
                           {"dataset",
                            {{"name", d->info().name},
                             {"title", d->info().title},
                             {"version", d->version()},
                             {"loaded_at", d->info().loaded_at},
                             {"features", counts}}}});
  });
}

}  // namespace lifecircle::server
