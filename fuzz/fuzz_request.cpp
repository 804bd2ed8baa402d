// Fuzzes what a request goes through before and inside a handler: the query string split and
// percent-decoded (parse_query, as the server does), the path split and matched by the Router
// with every route group of the service registered, and the handler with its parameter parsing,
// over the HTTP tests' fixture dataset. Input: one byte naming the method (G, H, P, U, A, D, O),
// then the request target
// ("/path?query"). The service's promise is checked: an answer is never a 5xx, an error is a
// problem document, and only ApiError leaves a handler (anything else would be a 500).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "lifecircle/loader.hpp"
#include "server/context.hpp"
#include "server/router.hpp"
#include "server/routes.hpp"

namespace {

using namespace lifecircle;
using namespace lifecircle::server;

struct Service {
  ServiceContext ctx;
  Router router;
  Service() {
    LoadResult r = load_dataset(std::string(LIFECIRCLE_FUZZ_DATA) + "/server/manifest.json");
    if (!r.dataset) {
      std::fprintf(stderr, "fuzz_request: the fixture dataset does not load\n");
      std::abort();
    }
    ctx.store = std::make_shared<DatasetStore>(r.dataset);
    ctx.options.access_log = false;
    for (auto group : {register_core_routes, register_feature_routes, register_analysis_routes,
                       register_web_routes, register_metrics_routes, register_planning_routes})
      group(router, ctx);
  }
};

// The first byte names the method by its letter, so the seeds read as requests.
Method method_of(std::uint8_t c) {
  switch (c) {
    case 'H':
      return Method::head;
    case 'P':
      return Method::post;
    case 'U':
      return Method::put;
    case 'A':
      return Method::patch;
    case 'D':
      return Method::del;
    case 'O':
      return Method::options;
    default:
      return Method::get;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Service* service = new Service();  // lives for the process, like the server's
  if (size < 1) return 0;
  Request req;
  req.method = method_of(data[0]);
  const std::string_view target(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t qm = std::min(target.find('?'), target.size());
  req.path = std::string(target.substr(0, qm));
  if (qm < target.size()) req.query = parse_query(target.substr(qm + 1));
  req.base_url = "http://127.0.0.1:8080";

  Router::Match m = service->router.match(req.method, req.path);
  if (!m.handler) return 0;
  req.path_params = std::move(m.params);
  req.route = *m.pattern;
  Response res;
  try {
    res = (*m.handler)(req);
  } catch (const lifecircle::Error& e) {
    // What the dispatcher does with any catalogue error.
    if (lifecircle::error_info(e.code()).http_status >= 500)
      lifecircle::fuzz::fail("a 5xx catalogue error", req.path, e.what());
    res = problem_response(e);
  } catch (const std::exception& e) {
    lifecircle::fuzz::fail("an exception other than a catalogue error left the handler", req.path,
                           e.what());
  }
  if (res.status >= 500) lifecircle::fuzz::fail("a 5xx answer", req.path, res.body);
  const bool json_body = res.content_type.find("json") != std::string::npos;
  if (res.status >= 400 && res.content_type != media::kProblem)
    lifecircle::fuzz::fail("an error that is not a problem document", req.path, res.body);
  if (json_body && req.method != Method::head && !nlohmann::json::accept(res.body))
    lifecircle::fuzz::fail("a JSON answer that does not parse", req.path, res.body);
  return 0;
}
