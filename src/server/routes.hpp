// Route groups. Each group lives in its own routes_<group>.cpp and registers its endpoints
// here; server.cpp calls every function of kRouteGroups (add yours there and to this list).
#pragma once

#include "context.hpp"
#include "lifecircle/analyzer.hpp"
#include "router.hpp"

namespace lifecircle::server {

// `/`, `/conformance`, `/api`, `/health`.
void register_core_routes(Router& router, ServiceContext& ctx);
// `/collections`, `/collections/{collectionId}`, `.../items`, `.../items/{featureId}`.
void register_feature_routes(Router& router, ServiceContext& ctx);
// `/standards`, `/coverage`, `/coverage/gaps`, `/service-areas`, `/indicators/...`.
void register_analysis_routes(Router& router, ServiceContext& ctx);
// The Analyzer of a dataset snapshot, shared by the analysis and planning groups (one standards
// table and one result cache per version). Defined in routes_analysis.cpp.
std::shared_ptr<Analyzer> analyzer_for(ServiceContext& ctx,
                                       const std::shared_ptr<const Dataset>& d);
// A CSV answer, with the UTF-8 byte-order mark Excel needs in Chinese locales unless the request
// says bom=false (routes_analysis.cpp); every CSV route answers through it.
Response csv_response(const Request& req, std::string body);
// `/map` and its static assets (routes_web.cpp).
void register_web_routes(Router& router, ServiceContext& ctx);
// `/metrics` in Prometheus text format (metrics.cpp).
void register_metrics_routes(Router& router, ServiceContext& ctx);
// `POST /siting`, `POST /scenarios`, `GET /scenarios/{scenarioId}` (routes_planning.cpp).
void register_planning_routes(Router& router, ServiceContext& ctx);

}  // namespace lifecircle::server
