// Analysis endpoints: /standards, /coverage, /coverage/gaps, /service-areas and
// /indicators/{per-thousand,meal-capacity,columbaria,one-plus-n}. Each handler parses and
// validates its parameters, calls the Analyzer (lifecircle_analysis) and encodes the result;
// every number comes from the library.
#include <charconv>
#include <cmath>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "collections.hpp"
#include "lifecircle/analysis_json.hpp"
#include "lifecircle/analyzer.hpp"
#include "params.hpp"
#include "routes.hpp"

namespace lifecircle::server {
namespace {

using nlohmann::json;

constexpr std::string_view kCsv = "text/csv; charset=utf-8";

// Parameter names, in one place.
const std::vector<std::string_view> kSelectionParams = {
    "family", "type",     "status", "profile", "minutes", "speed", "detour",
    "by",     "district", "mode",   "area",    "f",       "crs",   "bom"};
const std::vector<std::string_view> kIndicatorParams = {
    "family", "profile", "minutes", "speed", "detour", "by", "district", "mode", "f", "crs", "bom"};

std::optional<double> number_param(const Request& req, std::string_view name) {
  const std::string* v = req.param(name);
  if (!v) return std::nullopt;
  double x = 0;
  const auto r = std::from_chars(v->data(), v->data() + v->size(), x);
  if (v->empty() || r.ec != std::errc() || r.ptr != v->data() + v->size() || !std::isfinite(x))
    throw invalid_parameter("parameter '" + std::string(name) + "' must be a number, not '" + *v +
                            "'");
  return x;
}

std::string string_param(const Request& req, std::string_view name) {
  const std::string* v = req.param(name);
  return v ? *v : std::string();
}

StandardsOverrides overrides_of(const Request& req) {
  StandardsOverrides o;
  o.minutes = number_param(req, "minutes");
  o.speed_m_s = number_param(req, "speed");
  o.detour_factor = number_param(req, "detour");
  return o;
}

AggregateBy by_of(const Request& req, AggregateBy fallback) {
  const std::string* v = req.param("by");
  if (!v) return fallback;
  const auto b = parse_aggregate_by(*v);
  if (!b)
    throw invalid_parameter("parameter 'by' must be city, district or street, not '" + *v + "'");
  return *b;
}

std::optional<Family> family_of(const Request& req) {
  const std::string* v = req.param("family");
  if (!v) return std::nullopt;
  const auto f = parse_family(*v);
  if (!f)
    throw invalid_parameter("parameter 'family' must be eldercare, meal or columbarium, not '" +
                            *v + "'");
  return f;
}

CoverageRequest coverage_request(const Request& req) {
  CoverageRequest r;
  r.selection.family = family_of(req);
  if (const std::string* t = req.param("type")) r.selection.types = split_list(*t);
  if (!r.selection.family && r.selection.types.empty())
    throw invalid_parameter("give 'family' or 'type'");
  if (const std::string* s = req.param("status")) {
    r.selection.statuses.clear();
    for (const auto& x : split_list(*s)) {
      const auto st = parse_status(x);
      if (!st)
        throw invalid_parameter("parameter 'status' lists open, planned or closed, not '" + x +
                                "'");
      r.selection.statuses.push_back(*st);
    }
  }
  r.profile = string_param(req, "profile");
  r.overrides = overrides_of(req);
  r.by = by_of(req, AggregateBy::district);
  r.district = string_param(req, "district");
  r.mode = req.param("mode") ? *req.param("mode") : "euclidean";
  if (const std::string* a = req.param("area")) {
    if (*a != "true" && *a != "false")
      throw invalid_parameter("parameter 'area' must be true or false");
    r.area = *a == "true";
  }
  return r;
}

IndicatorRequest indicator_request(const Request& req) {
  IndicatorRequest r;
  r.profile = string_param(req, "profile");
  r.overrides = overrides_of(req);
  r.by = by_of(req, AggregateBy::district);
  r.district = string_param(req, "district");
  r.mode = req.param("mode") ? *req.param("mode") : "euclidean";
  return r;
}

// Library errors become 400 InvalidParameter problem documents naming the parameter and the
// library's own stable code (e.g. network_unavailable for mode=network without a network).
template <class F>
Response answer(F f) {
  try {
    return f();
  } catch (const AnalysisError& e) {
    throw invalid_parameter(std::string(e.what()) + " (parameter '" + e.parameter() + "', " +
                            e.code() + ")");
  }
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
      .get<Holder>("analysis", d,
                   [](const Dataset& ds) {
                     try {
                       return Holder{make_analyzer(ds)};
                     } catch (const StandardsError& e) {
                       throw ApiError(503, problem::kServiceUnavailable, e.what());
                     }
                   })
      ->analyzer;
}

void register_analysis_routes(Router& router, ServiceContext& ctx) {
  router.get("/standards", [&ctx](const Request& req) {
    require_known_params(req, {"profile", "minutes", "speed", "detour", "f"});
    require_format(req, {"json"});
    const auto d = ctx.snapshot();
    const auto a = analyzer_for(ctx, d);
    return answer([&] {
      const Standards& s = a->standards();
      json profiles = json::object();
      const std::string* only = req.param("profile");
      for (const auto& [id, p] : s.profiles())
        if (!only || *only == id) profiles[id] = a->profile(id, overrides_of(req));
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
  });

  router.get("/coverage", [&ctx](const Request& req) {
    require_known_params(req, kSelectionParams);
    require_format(req, {"json", "geojson", "csv"});
    const auto d = ctx.snapshot();
    const auto a = analyzer_for(ctx, d);
    return answer([&] {
      const CoverageRequest r = coverage_request(req);
      const auto c = a->coverage(*d, r);
      const std::string f = format_of(req);
      if (f == "csv") return csv(req, coverage_csv(*c));
      if (f == "geojson") return geojson(req, coverage_geojson(*d, *c));
      return Response::json(*c);
    });
  });

  router.get("/coverage/gaps", [&ctx](const Request& req) {
    require_known_params(req, kSelectionParams);
    require_format(req, {"json", "geojson", "csv"});
    const auto d = ctx.snapshot();
    const auto a = analyzer_for(ctx, d);
    return answer([&] {
      const auto g = a->gaps(*d, coverage_request(req));
      const std::string f = format_of(req);
      if (f == "csv") return csv(req, gaps_csv(*g));
      if (f == "geojson") return geojson(req, gaps_geojson(*g));
      return Response::json(*g);
    });
  });

  router.get("/service-areas", [&ctx](const Request& req) {
    require_known_params(req, kSelectionParams);
    require_format(req, {"json", "geojson", "csv"});
    const auto d = ctx.snapshot();
    const auto a = analyzer_for(ctx, d);
    return answer([&] {
      const auto areas = a->service_areas(*d, coverage_request(req));
      if (format_of(req) == "csv") return csv(req, service_areas_csv(*areas));
      return geojson(req, service_areas_geojson(*areas));
    });
  });

  router.get("/indicators/per-thousand", [&ctx](const Request& req) {
    require_known_params(req, kIndicatorParams);
    require_format(req, {"json", "geojson", "csv"});
    const auto d = ctx.snapshot();
    const auto a = analyzer_for(ctx, d);
    return answer([&] {
      const IndicatorRequest r = indicator_request(req);
      const std::string f = format_of(req);
      const auto family = family_of(req);
      if (!family) {
        if (f != "json")
          throw invalid_parameter("f=" + f + " needs one 'family'; JSON answers all three");
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
  });

  router.get("/indicators/meal-capacity", [&ctx](const Request& req) {
    require_known_params(req, {"profile", "minutes", "speed", "detour", "mode", "f", "crs", "bom"});
    require_format(req, {"json", "geojson", "csv"});
    const auto d = ctx.snapshot();
    const auto a = analyzer_for(ctx, d);
    return answer([&] {
      const auto m = a->meal_capacity(*d, indicator_request(req));
      if (format_of(req) == "csv") return csv(req, meal_capacity_csv(*m));
      if (format_of(req) == "geojson") return geojson(req, meal_capacity_geojson(*d, *m));
      return Response::json(*m);
    });
  });

  router.get("/indicators/columbaria", [&ctx](const Request& req) {
    require_known_params(req, {"profile", "detour", "district", "mode", "f", "crs", "bom"});
    require_format(req, {"json", "geojson", "csv"});
    const auto d = ctx.snapshot();
    const auto a = analyzer_for(ctx, d);
    return answer([&] {
      const auto c = a->columbaria(*d, indicator_request(req));
      if (format_of(req) == "csv") return csv(req, columbaria_csv(*c));
      if (format_of(req) == "geojson") return geojson(req, columbaria_geojson(*d, *c));
      return Response::json(*c);
    });
  });

  router.get("/indicators/one-plus-n", [&ctx](const Request& req) {
    require_known_params(
        req, {"profile", "minutes", "speed", "detour", "district", "mode", "f", "crs", "bom"});
    require_format(req, {"json", "geojson", "csv"});
    const auto d = ctx.snapshot();
    const auto a = analyzer_for(ctx, d);
    return answer([&] {
      const auto o = a->one_plus_n(*d, indicator_request(req));
      if (format_of(req) == "csv") return csv(req, one_plus_n_csv(*o));
      if (format_of(req) == "geojson") return geojson(req, one_plus_n_geojson(*d, *o));
      return Response::json(*o);
    });
  });
}

}  // namespace lifecircle::server
