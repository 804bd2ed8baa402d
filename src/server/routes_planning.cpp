// Planning endpoints: POST /siting (location-allocation on the current dataset), POST
// /scenarios (what-if edits on a copy of it) and GET /scenarios/{scenarioId}. Handlers parse
// the JSON body, call lifecircle_planning and encode; errors become problem documents that
// name the field at fault (`field`) and the library's reason code (`reason`).
#include <cstdio>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "lifecircle/analyzer.hpp"
#include "lifecircle/planning.hpp"
#include "params.hpp"
#include "routes.hpp"

namespace lifecircle::server {
namespace {

using nlohmann::json;
using planning::PlanningError;

// Problem codes of this group, beside the shared ones in http.hpp.
constexpr std::string_view kRequestTooLarge = "RequestTooLarge";      // 413
constexpr std::string_view kTargetUnreachable = "TargetUnreachable";  // 422
constexpr std::string_view kUnprocessable = "UnprocessableRequest";   // 422
constexpr std::string_view kModeUnavailable = "ModeUnavailable";      // 422
constexpr std::string_view kSolverFailed = "SolverFailed";            // 500

// A problem document with the member at fault and the library's reason code.
Response problem(int status, std::string_view code, const std::string& detail,
                 const std::string& field, const std::string& reason) {
  Response r = problem_response(status, code, detail);
  json j = json::parse(r.body);
  if (!field.empty()) j["field"] = field;
  if (!reason.empty()) j["reason"] = reason;
  r.body = j.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

Response problem_of(const PlanningError& e) {
  const int s = e.http_status();
  std::string_view code = problem::kInvalidParameter;
  if (s == 413)
    code = kRequestTooLarge;
  else if (s == 422)
    code = e.code() == "target_unreachable" ? kTargetUnreachable : kUnprocessable;
  else if (s >= 500)
    code = kSolverFailed;
  return problem(s, code, e.what(), e.field(), e.code());
}

struct PlanningState {
  std::shared_ptr<const planning::PlanningLimits> limits;
  planning::ScenarioStore scenarios;
  explicit PlanningState(std::shared_ptr<const planning::PlanningLimits> l)
      : limits(std::move(l)), scenarios(limits->scenario_entries) {}
};

json body_of(const Request& req) {
  if (req.body.empty())
    throw PlanningError("invalid_parameter", "body", "the request needs a JSON body");
  try {
    return json::parse(req.body);
  } catch (const json::parse_error& e) {
    throw PlanningError("invalid_parameter", "body",
                        std::string("the body is not valid JSON: ") + e.what());
  }
}

// Library errors become problem documents; ApiError passes through to the dispatcher.
template <class F>
Response answer(F f) {
  try {
    return f();
  } catch (const PlanningError& e) {
    return problem_of(e);
  } catch (const AnalysisError& e) {
    if (e.code() == "network_unavailable")
      return problem(422, kModeUnavailable, e.what(), e.parameter(), e.code());
    return problem(400, problem::kInvalidParameter, e.what(), e.parameter(), e.code());
  }
}

}  // namespace

void register_planning_routes(Router& router, ServiceContext& ctx) {
  auto st = std::make_shared<PlanningState>(
      ctx.options.planning_limits ? ctx.options.planning_limits
                                  : std::make_shared<const planning::PlanningLimits>());

  router.post("/siting", [&ctx, st](const Request& req) {
    require_known_params(req, {"f"});
    require_format(req, {"json", "geojson"});
    const auto d = ctx.snapshot();
    const auto a = analyzer_for(ctx, d);
    return answer([&] {
      const planning::SitingRequest q = planning::parse_siting_request(body_of(req), *st->limits);
      const planning::SitingResult r = planning::run_siting(*d, *a, q, *st->limits);
      const std::string* f = req.param("f");
      if (f && *f == "geojson") {
        Response res = Response::json(planning::sites_geojson(r));
        res.content_type = std::string(media::kGeoJson);
        return res;
      }
      return Response::json(planning::to_json(r));
    });
  });

  router.post("/scenarios", [&ctx, st](const Request& req) {
    require_known_params(req, {"f"});
    require_format(req, {"json"});
    const auto d = ctx.snapshot();
    const auto a = analyzer_for(ctx, d);
    return answer([&] {
      const json body = body_of(req);
      const planning::ScenarioRequest q = planning::parse_scenario_request(body, *st->limits);
      const std::string id = planning::scenario_id(*d, body);
      auto result = st->scenarios.get(id, *d);
      if (!result) {
        json j = planning::run_scenario(*d, *a, q);
        j["id"] = id;
        j["links"] = json::array({{{"href", req.base_url + "/scenarios/" + id},
                                   {"rel", "self"},
                                   {"type", "application/json"}}});
        result = std::make_shared<const json>(std::move(j));
        st->scenarios.put(id, d->info().name, d->version(), result);
      }
      Response res = Response::json(*result, 201);
      res.headers.emplace_back("Location", "/scenarios/" + id);
      return res;
    });
  });

  router.get("/scenarios/{scenarioId}", [&ctx, st](const Request& req) {
    require_known_params(req, {"f"});
    require_format(req, {"json"});
    const auto d = ctx.snapshot();
    const std::string& id = req.path_param("scenarioId");
    const auto result = st->scenarios.get(id, *d);
    if (!result)
      throw not_found("no scenario '" + id +
                      "' on the current dataset version (results last while the version does)");
    return Response::json(*result);
  });
}

}  // namespace lifecircle::server
