// Analysis endpoints: /standards, /coverage, /coverage/gaps, /service-areas and
// /indicators/{per-thousand,meal-capacity,columbaria,one-plus-n}. Each handler parses and
// validates its parameters, calls the Analyzer (lifecircle_analysis) and encodes the result;
// every number comes from the library.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "collections.hpp"
#include "lifecircle/analysis_json.hpp"
#include "lifecircle/analyzer.hpp"
#include "lifecircle/request_params.hpp"
#include "params.hpp"
#include "routes.hpp"

namespace lifecircle::server {
namespace {

using nlohmann::json;

constexpr std::string_view kCsv = "text/csv; charset=utf-8";

// Output parameters every analysis route takes besides its own: format, datum, CSV BOM.
const std::vector<std::string_view> kOutputParams = {"f", "crs", "bom"};

std::vector<std::string_view> with_output(std::vector<std::string_view> allowed) {
  allowed.insert(allowed.end(), kOutputParams.begin(), kOutputParams.end());
  return allowed;
}

// The query without the output parameters: what the request parsers read.
ParamList without_format(const Request& req) {
  ParamList p;
  for (const auto& kv : req.query)
    if (std::find(kOutputParams.begin(), kOutputParams.end(), kv.first) == kOutputParams.end())
      p.push_back(kv);
  return p;
}

// The analysis parameters are parsed by lifecircle/request_params.hpp (shared with the CLI)
// within the configured override bounds.
CoverageRequest coverage_request(const ServiceContext& ctx, const Request& req) {
  return parse_coverage_request(without_format(req), ctx.options.overrides);
}

IndicatorRequest indicator_request(const ServiceContext& ctx, const Request& req,
                                   const std::vector<std::string_view>& allowed) {
  return parse_indicator_request(without_format(req), allowed, ctx.options.overrides);
}

Response csv(const Request& req, std::string body) { return csv_response(req, std::move(body)); }

// Analysis layers in the datum a base map needs (`crs`, as the collections take it).
Response geojson(const Request& req, json j) {
  const SupportedCrs* crs = &supported_crs().front();
  if (const std::string* v = req.param("crs")) {
    crs = find_crs(*v);
    if (!crs) throw invalid_parameter("unsupported crs '" + *v + "'");
  }
  to_output_datum(j, crs->datum);
  Response r = Response::json(j);
  r.content_type = std::string(media::kGeoJson);
  r.headers.emplace_back("Content-Crs", "<" + std::string(crs->uri) + ">");
  return r;
}

std::string format_of(const Request& req, std::string fallback = "json") {
  const std::string* f = req.param("f");
  return f ? *f : fallback;
}

}  // namespace

// Without the byte-order mark Excel in a Chinese locale reads UTF-8 as GBK and garbles names.
Response csv_response(const Request& req, std::string body) {
  const std::string* bom = req.param("bom");
  if (bom && *bom != "true" && *bom != "false")
    throw invalid_parameter("parameter 'bom' must be true or false, not '" + *bom + "'");
  Response r;
  r.content_type = std::string(kCsv);
  r.body = (!bom || *bom == "true") ? "\xEF\xBB\xBF" + std::move(body) : std::move(body);
  return r;
}

// One Analyzer per dataset snapshot (its standards table and result cache), shared by every
// route group and dropped with the snapshot.
std::shared_ptr<Analyzer> analyzer_for(ServiceContext& ctx,
                                       const std::shared_ptr<const Dataset>& d) {
  struct Holder {
    std::shared_ptr<Analyzer> analyzer;
  };
  return ctx.cache
      .get<Holder>(
          "analysis", d,
          [&ctx](const Dataset& ds) {
            try {
              return Holder{
                  make_analyzer(ds, "", ctx.options.overrides, ctx.options.analysis_cache_entries)};
            } catch (const StandardsError& e) {
              // The file's path and the parser's words go to the log, not to clients.
              std::fprintf(stderr, "error: the standards table cannot be read: %s\n", e.what());
              throw ApiError(ErrorCode::service_unavailable,
                             "the standards table of this dataset cannot be read");
            }
          })
      ->analyzer;
}

void register_analysis_routes(Router& router, ServiceContext& ctx) {
  router.get("/standards", [&ctx](const Request& req) {
    require_known_params(req, with_output(kStandardsParams));
    require_format(req, {"json"});
    const StandardsOverrides overrides = parse_overrides(req.query, ctx.options.overrides);
    const auto d = ctx.snapshot();
    const auto a = analyzer_for(ctx, d);
    const Standards& s = a->standards();
    json profiles = json::object();
    const std::string* only = req.param("profile");
    for (const auto& [id, p] : s.profiles())
      if (!only || *only == id) profiles[id] = a->profile(id, overrides);
    if (only && profiles.empty()) a->profile(*only, {});  // throws unknown_profile
    return Response::json(
        {{"version", s.version()},
         {"title", s.title()},
         {"default_profile", s.default_profile()},
         {"modes", d->walking_network() ? std::vector<std::string>{"euclidean", "network"}
                                        : std::vector<std::string>{"euclidean"}},
         {"profiles", profiles},
         {"table", s.raw()}});
  });

  router.get("/coverage", [&ctx](const Request& req) {
    require_known_params(req, with_output(kCoverageParams));
    require_format(req, {"json", "geojson", "csv"});
    const CoverageRequest r = coverage_request(ctx, req);
    const auto d = ctx.snapshot();
    const auto c = analyzer_for(ctx, d)->coverage(*d, r);
    const std::string f = format_of(req);
    if (f == "csv") return csv(req, coverage_csv(*c));
    if (f == "geojson") return geojson(req, coverage_geojson(*d, *c));
    return Response::json(*c);
  });

  router.get("/coverage/gaps", [&ctx](const Request& req) {
    require_known_params(req, with_output(kCoverageParams));
    require_format(req, {"json", "geojson", "csv"});
    const CoverageRequest r = coverage_request(ctx, req);
    const auto d = ctx.snapshot();
    const auto g = analyzer_for(ctx, d)->gaps(*d, r);
    const std::string f = format_of(req);
    if (f == "csv") return csv(req, gaps_csv(*g));
    if (f == "geojson") return geojson(req, gaps_geojson(*g));
    return Response::json(*g);
  });

  router.get("/service-areas", [&ctx](const Request& req) {
    require_known_params(req, with_output(kCoverageParams));
    require_format(req, {"json", "geojson", "csv"});
    const CoverageRequest r = coverage_request(ctx, req);
    const auto d = ctx.snapshot();
    const auto areas = analyzer_for(ctx, d)->service_areas(*d, r);
    if (format_of(req) == "csv") return csv(req, service_areas_csv(*areas));
    return geojson(req, service_areas_geojson(*areas));
  });

  router.get("/indicators/per-thousand", [&ctx](const Request& req) {
    require_known_params(req, with_output(kPerThousandParams));
    require_format(req, {"json", "geojson", "csv"});
    const IndicatorRequest r = indicator_request(ctx, req, kPerThousandParams);
    const auto family = parse_family_param(req.query);
    const std::string f = format_of(req);
    if (!family && f != "json")
      throw invalid_parameter("f=" + f + " needs one 'family'; JSON answers all three", "family");
    const auto d = ctx.snapshot();
    const auto a = analyzer_for(ctx, d);
    if (!family) {
      json all = json::object();
      for (Family fam : {Family::eldercare, Family::meal, Family::columbarium})
        all[std::string(to_string(fam))] = *a->per_thousand(*d, fam, r);
      return Response::json(all);
    }
    const auto p = a->per_thousand(*d, *family, r);
    if (f == "csv") return csv(req, per_thousand_csv(*p));
    if (f == "geojson") return geojson(req, per_thousand_geojson(*d, *p));
    return Response::json(*p);
  });

  router.get("/indicators/meal-capacity", [&ctx](const Request& req) {
    require_known_params(req, with_output(kMealCapacityParams));
    require_format(req, {"json", "geojson", "csv"});
    const IndicatorRequest r = indicator_request(ctx, req, kMealCapacityParams);
    const auto d = ctx.snapshot();
    const auto m = analyzer_for(ctx, d)->meal_capacity(*d, r);
    if (format_of(req) == "csv") return csv(req, meal_capacity_csv(*m));
    if (format_of(req) == "geojson") return geojson(req, meal_capacity_geojson(*d, *m));
    return Response::json(*m);
  });

  router.get("/indicators/columbaria", [&ctx](const Request& req) {
    require_known_params(req, with_output(kColumbariaParams));
    require_format(req, {"json", "geojson", "csv"});
    const IndicatorRequest r = indicator_request(ctx, req, kColumbariaParams);
    const auto d = ctx.snapshot();
    const auto c = analyzer_for(ctx, d)->columbaria(*d, r);
    if (format_of(req) == "csv") return csv(req, columbaria_csv(*c));
    if (format_of(req) == "geojson") return geojson(req, columbaria_geojson(*d, *c));
    return Response::json(*c);
  });

  router.get("/indicators/one-plus-n", [&ctx](const Request& req) {
    require_known_params(req, with_output(kOnePlusNParams));
    require_format(req, {"json", "geojson", "csv"});
    const IndicatorRequest r = indicator_request(ctx, req, kOnePlusNParams);
    const auto d = ctx.snapshot();
    const auto o = analyzer_for(ctx, d)->one_plus_n(*d, r);
    if (format_of(req) == "csv") return csv(req, one_plus_n_csv(*o));
    if (format_of(req) == "geojson") return geojson(req, one_plus_n_geojson(*d, *o));
    return Response::json(*o);
  });
}

}  // namespace lifecircle::server
