// Landing page, conformance, the OpenAPI document and the health check.
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "collections.hpp"
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
           link(b + "/api", "service-desc", media::kOpenApiYaml,
                "the API definition (OpenAPI 3.0)"),
           link(b + "/conformance", "conformance", media::kJson, "conformance classes"),
           link(b + "/collections", "data", media::kJson, "the feature collections")}}});
  });

  router.get("/conformance", [](const Request& req) {
    require_known_params(req, {"f"});
    require_format(req, {"json"});
    return Response::json({{"conformsTo", kConformance}});
  });

  // Read once: the document is part of the build, not of the data.
  auto openapi = std::make_shared<std::string>();
  {
    const std::string path =
        ctx.options.openapi_path.empty() ? LIFECIRCLE_OPENAPI_PATH : ctx.options.openapi_path;
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::ostringstream s;
      s << in.rdbuf();
      *openapi = s.str();
    } else {
      std::fprintf(stderr, "warning: cannot read the OpenAPI document %s; /api will be 404\n",
                   path.c_str());
    }
  }
  router.get("/api", [openapi](const Request& req) {
    require_known_params(req, {"f"});
    require_format(req, {"yaml"});
    if (openapi->empty()) throw not_found("the OpenAPI document is not installed");
    Response r;
    r.content_type = media::kOpenApiYaml;
    r.body = *openapi;
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
