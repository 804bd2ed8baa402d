// The Pistache side of the service: converts requests into server::Request, dispatches them
// through the Router, turns every error into a problem document, adds CORS, logs, and drains
// on stop. Nothing else in the server module includes Pistache.
#include "lifecircle/server.hpp"

#include <pistache/endpoint.h>
#include <pistache/http.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <thread>

#include "context.hpp"
#include "router.hpp"
#include "routes.hpp"

namespace lifecircle {

namespace server {
namespace {

using RouteGroup = void (*)(Router&, ServiceContext&);
// Every endpoint group of the service. Add a group here and declare it in routes.hpp.
const RouteGroup kRouteGroups[] = {register_core_routes, register_feature_routes,
                                   register_analysis_routes, register_web_routes,
                                   register_metrics_routes, register_planning_routes};

// A response header whose name is chosen at run time (Pistache's Raw headers are not sent).
class NamedHeader : public Pistache::Http::Header::Header {
 public:
  NamedHeader(std::string name, std::string value)
      : name_(std::move(name)),
        value_(std::move(value)),
        hash_(Pistache::Http::Header::detail::hash(name_.c_str())) {}
  const char* name() const override { return name_.c_str(); }
  uint64_t hash() const override { return hash_; }
  void write(std::ostream& os) const override { os << value_; }

 private:
  std::string name_;
  std::string value_;
  uint64_t hash_;
};

// State shared by the handler clones Pistache makes for its worker threads.
struct Core {
  ServiceContext ctx;
  Router router;
  std::atomic<int> in_flight{0};
  std::atomic<bool> draining{false};
  std::uint16_t port = 0;
};

Method method_of(Pistache::Http::Method m) {
  using M = Pistache::Http::Method;
  switch (m) {
    case M::Get:
      return Method::get;
    case M::Head:
      return Method::head;
    case M::Post:
      return Method::post;
    case M::Put:
      return Method::put;
    case M::Patch:
      return Method::patch;
    case M::Delete:
      return Method::del;
    case M::Options:
      return Method::options;
    default:
      return Method::other;
  }
}

std::string allow_list(const std::vector<Method>& methods) {
  std::string s;
  for (const Method m : methods) s += (s.empty() ? "" : ", ") + std::string(to_string(m));
  return s + (s.empty() ? "" : ", ") + "OPTIONS";
}

Response dispatch(Core& core, Request& req) {
  try {
    if (core.draining.load()) throw ApiError(503, problem::kServiceUnavailable, "shutting down");
    Router::Match m = core.router.match(req.method, req.path);
    if (req.method == Method::options) {
      // CORS preflight (and plain OPTIONS): which methods this path takes.
      if (m.allowed.empty()) throw not_found("no resource at " + req.path);
      Response r;
      r.status = 204;
      r.content_type.clear();
      r.headers.emplace_back("Allow", allow_list(m.allowed));
      r.headers.emplace_back("Access-Control-Allow-Methods", allow_list(m.allowed));
      const std::string* asked = req.header("access-control-request-headers");
      r.headers.emplace_back("Access-Control-Allow-Headers",
                             asked ? *asked : std::string("Accept, Content-Type"));
      r.headers.emplace_back("Access-Control-Max-Age", "86400");
      return r;
    }
    if (!m.handler) {
      if (m.allowed.empty()) throw not_found("no resource at " + req.path);
      ApiError e(405, problem::kMethodNotAllowed,
                 std::string(to_string(req.method)) + " is not allowed on " + req.path);
      e.headers.emplace_back("Allow", allow_list(m.allowed));
      throw e;
    }
    req.path_params = std::move(m.params);
    req.route = *m.pattern;
    return (*m.handler)(req);
  } catch (const ApiError& e) {
    Response r = problem_response(e.status(), e.code(), e.what());
    r.headers.insert(r.headers.end(), e.headers.begin(), e.headers.end());
    return r;
  } catch (const std::exception& e) {
    // The cause goes to the log only: a 500 must not leak internals.
    std::fprintf(stderr, "error: %s %s: %s\n", std::string(to_string(req.method)).c_str(),
                 req.path.c_str(), e.what());
  } catch (...) {
    std::fprintf(stderr, "error: %s %s: unknown exception\n",
                 std::string(to_string(req.method)).c_str(), req.path.c_str());
  }
  return problem_response(500, problem::kInternalError,
                          "the server failed to answer this request; it has been logged");
}

class PistacheHandler : public Pistache::Http::Handler {
 public:
  HTTP_PROTOTYPE(PistacheHandler)

  explicit PistacheHandler(std::shared_ptr<Core> core) : core_(std::move(core)) {}

  void onRequest(const Pistache::Http::Request& preq,
                 Pistache::Http::ResponseWriter writer) override {
    const auto t0 = std::chrono::steady_clock::now();
    Core& core = *core_;
    core.in_flight.fetch_add(1);
    struct Done {
      std::atomic<int>& n;
      ~Done() { n.fetch_sub(1); }
    } done{core.in_flight};

    Request req;
    Response res;
    try {
      req.method = method_of(preq.method());
      req.path = preq.resource();
      req.body = preq.body();
      for (auto it = preq.query().parameters_begin(); it != preq.query().parameters_end(); ++it)
        req.query.emplace_back(percent_decode(it->first, true), percent_decode(it->second, true));
      std::sort(req.query.begin(), req.query.end());
      for (const auto& [name, raw] : preq.headers().rawList()) {
        std::string lower = name;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        req.headers[lower] = raw.value();
      }
      const std::string* host = req.header("host");
      req.base_url = "http://" + (host && !host->empty()
                                      ? *host
                                      : core.ctx.options.host + ":" + std::to_string(core.port));
      res = dispatch(core, req);
    } catch (...) {
      res = problem_response(500, problem::kInternalError, "the server failed to read the request");
    }

    // Counted before sending, so a client that has its response also sees it in /metrics.
    core.ctx.metrics.observe(
        to_string(req.method), req.route, res.status,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    try {
      auto& headers = writer.headers();
      if (!res.content_type.empty())
        headers.add(std::make_shared<NamedHeader>("Content-Type", res.content_type));
      headers.add(std::make_shared<NamedHeader>("Access-Control-Allow-Origin", "*"));
      headers.add(std::make_shared<NamedHeader>("Access-Control-Expose-Headers", "Content-Crs"));
      for (auto& [name, value] : res.headers)
        headers.add(std::make_shared<NamedHeader>(name, value));
      writer.send(static_cast<Pistache::Http::Code>(res.status), res.body);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "error: sending the response failed: %s\n", e.what());
    }

    if (core.ctx.options.access_log) {
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      const std::time_t now = std::time(nullptr);
      std::tm tm{};
      gmtime_r(&now, &tm);
      char when[32];
      std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
      // One fprintf per line so lines from worker threads do not interleave.
      std::fprintf(stderr, "%s %s %s%s %d %.2fms\n", when,
                   std::string(to_string(req.method)).c_str(), preq.resource().c_str(),
                   preq.query().as_str().c_str(), res.status, ms);
    }
  }

 private:
  std::shared_ptr<Core> core_;
};

}  // namespace
}  // namespace server

struct Server::Impl {
  std::shared_ptr<server::Core> core = std::make_shared<server::Core>();
  std::unique_ptr<Pistache::Http::Endpoint> endpoint;
  bool running = false;
};

Server::Server(std::shared_ptr<DatasetStore> store, ServerOptions options)
    : impl_(std::make_unique<Impl>()) {
  server::Core& core = *impl_->core;
  core.ctx.store = std::move(store);
  core.ctx.options = std::move(options);
  for (const auto group : server::kRouteGroups) group(core.router, core.ctx);
}

Server::~Server() {
  try {
    stop(std::chrono::milliseconds(500));
  } catch (...) {
    // A destructor must not throw; the process is ending the server anyway.
  }
}

void Server::start() {
  if (impl_->running) return;
  // A client that hangs up mid-response must not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  const ServerOptions& o = impl_->core->ctx.options;
  using namespace Pistache;
  try {
    impl_->endpoint = std::make_unique<Http::Endpoint>(Address(o.host, Port(o.port)));
    impl_->endpoint->init(Http::Endpoint::options()
                              .threads(std::max(1, o.threads))
                              .flags(Tcp::Options::ReuseAddr)
                              .maxRequestSize(64 * 1024)
                              .headerTimeout(std::chrono::seconds(20)));
    impl_->endpoint->setHandler(std::make_shared<server::PistacheHandler>(impl_->core));
    impl_->endpoint->serveThreaded();
  } catch (const std::exception& e) {
    impl_->endpoint.reset();
    throw std::runtime_error("cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " +
                             e.what());
  }
  impl_->core->port = static_cast<std::uint16_t>(impl_->endpoint->getPort());
  impl_->running = true;
}

std::uint16_t Server::port() const { return impl_->core->port; }

std::string Server::url() const {
  return "http://" + impl_->core->ctx.options.host + ":" + std::to_string(port());
}

void Server::stop(std::chrono::milliseconds drain) {
  if (!impl_->running) return;
  impl_->running = false;
  server::Core& core = *impl_->core;
  // Pistache's shutdown() cuts connections at once, so first let the requests being answered
  // finish (new ones get 503), then give their buffered bytes a moment to reach the socket.
  core.draining = true;
  const auto deadline = std::chrono::steady_clock::now() + drain;
  while (core.in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  impl_->endpoint->shutdown();
  impl_->endpoint.reset();
}

}  // namespace lifecircle
