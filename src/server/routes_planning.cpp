// Planning endpoints: POST /siting (location-allocation on the current dataset), POST
// /scenarios (what-if edits on a copy of it) and GET /scenarios/{scenarioId}. Handlers parse
// the JSON body, call lifecircle_planning and encode; the dispatcher turns errors into problem
// documents that name the field at fault (`field`) and the catalogue's reason (`reason`).
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

struct PlanningState {
  std::shared_ptr<const planning::PlanningLimits> limits;
  planning::ScenarioStore scenarios;
  explicit PlanningState(std::shared_ptr<const planning::PlanningLimits> l)
      : limits(std::move(l)), scenarios(limits->scenario_entries) {}
};

// The JSON body of a POST. Parse errors name the byte, never the parser's own message.
json body_of(const Request& req) {
  if (req.body.empty())
    throw PlanningError(ErrorCode::invalid_body, "body", "the request needs a JSON body");
  try {
    return json::parse(req.body);
  } catch (const json::parse_error& e) {
    throw PlanningError(ErrorCode::invalid_body, "body",
                        "the body is not valid JSON (at byte " + std::to_string(e.byte) + ")");
  } catch (const json::exception&) {
    // e.g. a number beyond the range of a double (1e400)
    throw PlanningError(ErrorCode::invalid_body, "body",
                        "the body holds a number out of range; numbers must be finite doubles");
  }
}

// Links are added when answering, from this request's base, so no stored result holds a host.
json with_links(json result, const Request& req, const std::string& id) {
  result["links"] = json::array({{{"href", req.base_url + "/scenarios/" + id},
                                  {"rel", "self"},
                                  {"type", "application/json"}}});
  return result;
}

}  // namespace

void register_planning_routes(Router& router, ServiceContext& ctx) {
  auto st = std::make_shared<PlanningState>(
      std::make_shared<const planning::PlanningLimits>(ctx.options.planning));

  router.post("/siting", [&ctx, st](const Request& req) {
    require_known_params(req, {"f"});
    require_format(req, {"json", "geojson"});
    const auto d = ctx.snapshot();
    const planning::SitingRequest q = planning::parse_siting_request(body_of(req), *st->limits);
    const auto a = analyzer_for(ctx, d);
    const planning::SitingResult r = planning::run_siting(*d, *a, q, *st->limits);
    const std::string* f = req.param("f");
    if (f && *f == "geojson") {
      Response res = Response::json(planning::sites_geojson(r));
      res.content_type = std::string(media::kGeoJson);
      return res;
    }
    return Response::json(planning::to_json(r));
  });

  router.post("/scenarios", [&ctx, st](const Request& req) {
    require_known_params(req, {"f"});
    require_format(req, {"json"});
    const auto d = ctx.snapshot();
    const json body = body_of(req);
    const planning::ScenarioRequest q = planning::parse_scenario_request(body, *st->limits);
    const auto a = analyzer_for(ctx, d);
    const std::string id = planning::scenario_id(*d, body);
    auto result = st->scenarios.get(id, *d);
    if (!result) {
      json j = planning::run_scenario(*d, *a, q);
      j["id"] = id;
      result = std::make_shared<const json>(std::move(j));
      st->scenarios.put(id, d->info().name, d->version(), result);
    }
    Response res = Response::json(with_links(*result, req, id), 201);
    res.headers.emplace_back("Location", "/scenarios/" + id);
    return res;
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
    return Response::json(with_links(*result, req, id));
  });
}

}  // namespace lifecircle::server
