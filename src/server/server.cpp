// The Pistache side of the service. Pistache's TCP listener and reactor accept and poll the
// connections; HttpTransport reads and writes them itself and frames HTTP/1.1 with http1.hpp
// (pipelining, half-close, Connection: close, 100-continue, timeouts, problem documents for
// every protocol error), because Pistache 0.0.5's HTTP layer gets those wrong. Requests are
// dispatched through the Router; heavy analyses run on bounded JobPools apart from the
// reactor threads. Nothing else in the server module includes Pistache.
#include "lifecircle/server.hpp"

#include <pistache/listener.h>
#include <pistache/peer.h>
#include <pistache/tcp.h>
#include <pistache/transport.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "context.hpp"
#include "http1.hpp"
#include "job_pool.hpp"
#include "lifecircle/planning.hpp"
#include "params.hpp"
#include "router.hpp"
#include "routes.hpp"

namespace lifecircle {

std::size_t max_body(const ServerOptions& options) {
  if (options.max_body_bytes > 0) return options.max_body_bytes;
  const planning::PlanningLimits& l = options.planning;
  // A supplied candidate written out with id, position, cost and capacity stays under 200
  // bytes, an excluded vertex id under 16 and a scenario change under 512; 1 MiB for the rest.
  return (std::size_t{1} << 20) + l.max_supplied_candidates * 200 + l.max_excluded_vertices * 16 +
         l.max_scenario_changes * 512;
}

namespace server {
namespace {

using Clock = std::chrono::steady_clock;
using Pistache::Polling::NotifyOn;

using RouteGroup = void (*)(Router&, ServiceContext&);
// Every endpoint group of the service. Add a group here and declare it in routes.hpp.
const RouteGroup kRouteGroups[] = {register_core_routes,     register_feature_routes,
                                   register_analysis_routes, register_web_routes,
                                   register_metrics_routes,  register_planning_routes};

// Where a route's requests run: on the reactor thread that read them, or on a pool.
enum class Lane { request_thread, analysis, planning };
struct HeavyRoute {
  Method method;
  std::string_view pattern;
  Lane lane;
};
// Routes whose work can take seconds (a cold analysis, a solver run).
const HeavyRoute kHeavyRoutes[] = {{Method::get, "/coverage", Lane::analysis},
                                   {Method::get, "/coverage/gaps", Lane::analysis},
                                   {Method::get, "/service-areas", Lane::analysis},
                                   {Method::post, "/siting", Lane::planning},
                                   {Method::post, "/scenarios", Lane::planning}};

// State shared by the transports of the reactor threads and the pool jobs.
struct Core {
  ServiceContext ctx;
  Router router;
  Http1Limits limits;
  std::atomic<int> in_flight{0};
  std::atomic<bool> draining{false};
  std::uint16_t port = 0;
  JobPool* analysis = nullptr;  // owned by Server::Impl, alive while serving
  JobPool* planning = nullptr;
};

Method method_of(std::string_view m) {
  if (m == "GET") return Method::get;
  if (m == "HEAD") return Method::head;
  if (m == "POST") return Method::post;
  if (m == "PUT") return Method::put;
  if (m == "PATCH") return Method::patch;
  if (m == "DELETE") return Method::del;
  if (m == "OPTIONS") return Method::options;
  return Method::other;
}

std::string allow_list(const std::vector<Method>& methods) {
  std::string s;
  for (const Method m : methods) {
    s += (s.empty() ? "" : ", ") + std::string(to_string(m));
    if (m == Method::get) s += ", HEAD";  // HEAD is answered wherever GET is
  }
  return s + (s.empty() ? "" : ", ") + "OPTIONS";
}

std::string http_date() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

// Answers a request whose route is matched; every error becomes a problem document.
Response answer(Core& core, Request& req, Router::Match m) {
  try {
    if (core.draining.load()) throw ApiError(ErrorCode::service_unavailable, "shutting down");
    if (req.method == Method::other)
      throw ApiError(ErrorCode::not_implemented, "this method is not implemented");
    if (req.method == Method::options) {
      // CORS preflight (and plain OPTIONS): which methods this path takes.
      if (req.path != "*" && m.allowed.empty()) throw not_found("no resource at " + req.path);
      const std::string allowed =
          req.path == "*" ? "GET, HEAD, POST, OPTIONS" : allow_list(m.allowed);
      Response r;
      r.status = 204;
      r.content_type.clear();
      r.headers.emplace_back("Allow", allowed);
      r.headers.emplace_back("Access-Control-Allow-Methods", allowed);
      const std::string* asked = req.header("access-control-request-headers");
      r.headers.emplace_back("Access-Control-Allow-Headers",
                             asked ? *asked : std::string("Accept, Content-Type"));
      r.headers.emplace_back("Access-Control-Max-Age", "86400");
      return r;
    }
    if (!m.handler) {
      if (m.allowed.empty()) throw not_found("no resource at " + req.path);
      ApiError e(ErrorCode::method_not_allowed,
                 std::string(to_string(req.method)) + " is not allowed on " + req.path);
      e.headers.emplace_back("Allow", allow_list(m.allowed));
      throw e;
    }
    if (req.method == Method::post || req.method == Method::put || req.method == Method::patch)
      require_json_body(req);
    req.path_params = std::move(m.params);
    req.route = *m.pattern;
    return (*m.handler)(req);
  } catch (const ApiError& e) {
    Response r = problem_response(e);
    r.headers.insert(r.headers.end(), e.headers.begin(), e.headers.end());
    return r;
  } catch (const Error& e) {
    // Library errors (analysis, planning, siting) carry their code and field.
    return problem_response(e);
  } catch (const std::exception& e) {
    // The cause goes to the log only: a 500 must not leak internals.
    std::fprintf(stderr, "error: %s %s: %s\n", std::string(to_string(req.method)).c_str(),
                 req.path.c_str(), e.what());
  } catch (...) {
    std::fprintf(stderr, "error: %s %s: unknown exception\n",
                 std::string(to_string(req.method)).c_str(), req.path.c_str());
  }
  return problem_response(ErrorCode::internal_error,
                          "the server failed to answer this request; it has been logged");
}

// What the log and the metrics need of one exchange, whatever thread answers it.
struct Exchange {
  std::string method = "OTHER";
  std::string target;  // as received, for the access log
  Clock::time_point start = Clock::now();
  bool keep_alive = false;
  bool head_only = false;
};

// Counts, logs and serialises an answer.
std::string finish(Core& core, const Exchange& x, const std::string& route, Response res) {
  const double seconds = std::chrono::duration<double>(Clock::now() - x.start).count();
  // Counted before sending, so a client that has its response also sees it in /metrics.
  core.ctx.metrics.observe(x.method, route, res.status, seconds);
  if (core.ctx.options.access_log) {
    // One fprintf per line so lines from several threads do not interleave.
    std::fprintf(stderr, "%s %s %s %d %.2fms\n", utc_timestamp().c_str(), x.method.c_str(),
                 x.target.empty() ? "-" : x.target.c_str(), res.status, seconds * 1000);
  }
  WireResponse w;
  w.status = res.status;
  if (!res.content_type.empty()) w.headers.emplace_back("Content-Type", res.content_type);
  w.headers.emplace_back("Date", http_date());
  w.headers.emplace_back("Access-Control-Allow-Origin", "*");
  w.headers.emplace_back("Access-Control-Expose-Headers", "Content-Crs");
  for (auto& h : res.headers) w.headers.push_back(std::move(h));
  w.body = std::move(res.body);
  return serialize_response(w, x.keep_alive, x.head_only);
}

Request to_request(WireRequest& w, const Core& core) {
  Request req;
  req.method = method_of(w.method);
  const std::size_t q = w.target.find('?');
  req.path = w.target.substr(0, q);
  if (q != std::string::npos) req.query = parse_query(std::string_view(w.target).substr(q + 1));
  for (auto& [name, value] : w.headers) {
    auto [it, fresh] = req.headers.emplace(name, value);
    if (!fresh) it->second += ", " + value;  // repeated fields form one list (RFC 9110 5.3)
  }
  req.body = std::move(w.body);
  req.base_url =
      link_base(core.ctx.options.links, req.header("host"), core.ctx.options.host, core.port);
  return req;
}

// Answers produced on a pool, handed back to the reactor thread that owns the connection.
struct Completion {
  int fd;
  std::size_t peer_id;  // the connection, in case the descriptor was reused meanwhile
  std::string bytes;
  bool keep_alive;
};

class Completions {
 public:
  Completions() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}
  ~Completions() { ::close(fd_); }
  Completions(const Completions&) = delete;
  Completions& operator=(const Completions&) = delete;
  int fd() const { return fd_; }
  void post(Completion c) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (closed_) return;
      items_.push_back(std::move(c));
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(fd_, &one, sizeof one);
  }
  std::vector<Completion> take() {
    std::uint64_t count = 0;
    [[maybe_unused]] const ssize_t n = ::read(fd_, &count, sizeof count);
    std::lock_guard<std::mutex> lock(mu_);
    return std::exchange(items_, {});
  }
  void close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    items_.clear();
  }

 private:
  int fd_;
  std::mutex mu_;
  std::vector<Completion> items_;
  bool closed_ = false;
};

// One client connection, touched only by the reactor thread that owns it.
struct Connection {
  Connection(std::shared_ptr<Pistache::Tcp::Peer> p, const Http1Limits& limits)
      : peer(std::move(p)), parser(limits) {}
  std::shared_ptr<Pistache::Tcp::Peer> peer;
  RequestParser parser;
  std::string in;   // bytes read and not parsed yet
  std::string out;  // bytes to write, from out_sent on
  std::size_t out_sent = 0;
  bool want_write = false;     // waiting for the socket to drain
  bool busy = false;           // a request is being answered on a pool
  bool eof = false;            // the client shut down its sending side
  bool closing = false;        // no more requests: close once `out` is written
  bool lingering = false;      // our side is shut down; reading until the client closes
  bool continue_sent = false;  // "100 Continue" went out for the request being read
  bool dead = false;           // to be removed after the current event
  Clock::time_point request_start = Clock::now();  // first byte of the request being read
  Clock::time_point last_byte = Clock::now();      // last byte read or written
};

class HttpTransport;

// Pistache's transport wants a TCP handler; this one only reports new connections, since
// HttpTransport reads the sockets itself.
class ConnectionHandler : public Pistache::Tcp::Handler {
 public:
  PROTOTYPE_OF(Pistache::Tcp::Handler, ConnectionHandler)
  void onInput(const char*, size_t, const std::shared_ptr<Pistache::Tcp::Peer>&) override {}
  void onConnection(const std::shared_ptr<Pistache::Tcp::Peer>& peer) override;
};

class HttpTransport : public Pistache::Tcp::Transport {
 public:
  explicit HttpTransport(std::shared_ptr<Core> core)
      : Transport(std::make_shared<ConnectionHandler>()),
        core_(std::move(core)),
        done_(std::make_shared<Completions>()) {}
  ~HttpTransport() override {
    done_->close();
    if (tick_fd_ >= 0) ::close(tick_fd_);
  }
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  std::shared_ptr<Pistache::Aio::Handler> clone() const override {
    return std::make_shared<HttpTransport>(core_);
  }

  void registerPoller(Pistache::Polling::Epoll& poller) override {
    Transport::registerPoller(poller);
    using Pistache::Polling::Tag;
    poller.addFd(done_->fd(), Pistache::Flags<NotifyOn>(NotifyOn::Read), Tag(done_->fd()));
    // A tick for the timeouts: 100 ms is well below the shortest one worth configuring.
    tick_fd_ = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    const itimerspec every{{0, 100'000'000}, {0, 100'000'000}};
    ::timerfd_settime(tick_fd_, 0, &every, nullptr);
    poller.addFd(tick_fd_, Pistache::Flags<NotifyOn>(NotifyOn::Read), Tag(tick_fd_));
  }

  void onReady(const Pistache::Aio::FdSet& fds) override {
    std::vector<Pistache::Polling::Event> theirs;
    for (const auto& e : fds) {
      const auto tag = e.getTag();
      const int fd = static_cast<int>(tag.value());
      if (fd == done_->fd()) {
        deliver();
      } else if (fd == tick_fd_) {
        std::uint64_t ticks = 0;
        [[maybe_unused]] const ssize_t n = ::read(tick_fd_, &ticks, sizeof ticks);
        sweep();
      } else if (peers.count(fd) > 0) {
        ready(fd, e.isWritable());
      } else {
        // Pistache's own queues and timers.
        Pistache::Polling::Event ev(tag);
        if (e.isReadable()) ev.flags.setFlag(NotifyOn::Read);
        if (e.isWritable()) ev.flags.setFlag(NotifyOn::Write);
        if (e.isHangup()) ev.flags.setFlag(NotifyOn::Hangup);
        theirs.push_back(std::move(ev));
      }
    }
    reap();
    if (!theirs.empty()) Transport::onReady(Pistache::Aio::FdSet(std::move(theirs)));
  }

  void connected(const std::shared_ptr<Pistache::Tcp::Peer>& peer) {
    conns_.try_emplace(peer->fd(), peer, core_->limits);
  }

 private:
  Connection* find(int fd) {
    auto it = conns_.find(fd);
    if (it != conns_.end()) return &it->second;
    auto p = peers.find(fd);
    if (p == peers.end()) return nullptr;
    return &conns_.try_emplace(fd, p->second, core_->limits).first->second;
  }

  void ready(int fd, bool writable) {
    Connection* c = find(fd);
    if (!c || c->dead) return;
    if (writable) flush(*c);
    if (c->dead) return;
    read(*c);
    if (!c->dead) process(*c);
  }

  void read(Connection& c) {
    const int fd = c.peer->fd();
    // Past this much buffered input a client is flooding, not pipelining.
    const std::size_t cap = core_->limits.max_head_bytes + core_->limits.max_body_bytes + 65536;
    char buf[65536];
    while (true) {
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n > 0) {
        c.last_byte = Clock::now();
        if (c.lingering || c.closing) continue;  // nothing more is parsed: discard
        if (c.in.empty() && !c.parser.mid_message() && !c.busy) c.request_start = c.last_byte;
        c.in.append(buf, static_cast<std::size_t>(n));
        if (c.in.size() > cap) {
          c.dead = true;
          return;
        }
        continue;
      }
      if (n == 0) {
        c.eof = true;
        break;
      }
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) c.dead = true;
      break;
    }
    if (c.lingering && c.eof) c.dead = true;
  }

  // Parses and answers what has arrived, in order, one request at a time.
  void process(Connection& c) {
    while (!c.busy && !c.closing && !c.dead) {
      const RequestParser::State st = c.parser.feed(c.in);
      if (st == RequestParser::State::failed) {
        const WireError& e = c.parser.error();
        refuse(c, e.code, e.detail);
        break;
      }
      if (st == RequestParser::State::incomplete) {
        if (c.parser.awaiting_body() && c.parser.expects_continue() && !c.continue_sent) {
          c.out += "HTTP/1.1 100 Continue\r\n\r\n";
          c.continue_sent = true;
        }
        if (c.eof && (!c.in.empty() || c.parser.mid_message()))
          refuse(c, ErrorCode::malformed_request,
                 "the connection was shut down before the request was complete");
        break;
      }
      c.continue_sent = false;
      WireRequest w = c.parser.take();
      start(c, w);
      if (!c.in.empty()) c.request_start = Clock::now();
    }
    if (c.eof && !c.busy) c.closing = true;  // nothing more will come
    flush(c);
  }

  // Answers a request the protocol layer refuses; the connection closes after it.
  void refuse(Connection& c, ErrorCode code, const std::string& detail) {
    Exchange x;
    x.start = c.request_start;
    c.out += finish(*core_, x, "", problem_response(code, detail));
    c.closing = true;
  }

  void start(Connection& c, WireRequest& w) {
    Core& core = *core_;
    Exchange x;
    x.method = std::string(to_string(method_of(w.method)));  // OTHER keeps /metrics bounded
    x.target = w.target;
    x.start = c.request_start;
    x.keep_alive = w.keep_alive && !core.draining.load();
    Request req = to_request(w, core);
    x.head_only = req.method == Method::head;
    Router::Match m;
    if (req.method != Method::other && req.path != "*")
      m = core.router.match(x.head_only ? Method::get : req.method, req.path);
    Lane lane = Lane::request_thread;
    for (const HeavyRoute& h : kHeavyRoutes)
      if (m.handler && m.pattern && *m.pattern == h.pattern &&
          (x.head_only ? Method::get : req.method) == h.method)
        lane = h.lane;
    c.closing = !x.keep_alive;
    if (lane == Lane::request_thread) {
      core.in_flight.fetch_add(1);
      Response res = answer(core, req, std::move(m));
      c.out += finish(core, x, req.route, std::move(res));
      core.in_flight.fetch_sub(1);
      return;
    }
    JobPool* pool = lane == Lane::analysis ? core.analysis : core.planning;
    const int fd = c.peer->fd();
    const std::size_t id = c.peer->getID();
    core.in_flight.fetch_add(1);
    auto job = [core_ptr = core_, done = done_, fd, id, x, req = std::move(req),
                m = std::move(m)]() mutable {
      Core& k = *core_ptr;
      Response res = answer(k, req, std::move(m));
      done->post({fd, id, finish(k, x, req.route, std::move(res)), x.keep_alive});
      k.in_flight.fetch_sub(1);
    };
    if (pool && pool->try_submit(std::move(job))) {
      c.busy = true;
      return;
    }
    core.in_flight.fetch_sub(1);
    Response busy =
        problem_response(ErrorCode::overloaded, "the analysis queue is full; retry later");
    busy.headers.emplace_back("Retry-After", lane == Lane::planning ? "10" : "2");
    c.out += finish(core, x, m.pattern ? *m.pattern : "", std::move(busy));
  }

  void deliver() {
    for (Completion& done : done_->take()) {
      auto it = conns_.find(done.fd);
      if (it == conns_.end() || it->second.dead || it->second.peer->getID() != done.peer_id)
        continue;  // the client went away meanwhile
      Connection& c = it->second;
      c.busy = false;
      c.out += done.bytes;
      c.last_byte = Clock::now();
      if (!done.keep_alive) c.closing = true;
      if (!c.in.empty()) c.request_start = c.last_byte;
      process(c);
    }
  }

  void flush(Connection& c) {
    const int fd = c.peer->fd();
    while (c.out_sent < c.out.size()) {
      const ssize_t n =
          ::send(fd, c.out.data() + c.out_sent, c.out.size() - c.out_sent, MSG_NOSIGNAL);
      if (n > 0) {
        c.out_sent += static_cast<std::size_t>(n);
        c.last_byte = Clock::now();
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!c.want_write)
          reactor()->modifyFd(key(), fd, NotifyOn::Read | NotifyOn::Write | NotifyOn::Shutdown,
                              Pistache::Polling::Mode::Edge);
        c.want_write = true;
        return;
      }
      c.dead = true;
      return;
    }
    c.out.clear();
    c.out_sent = 0;
    if (c.want_write) {
      reactor()->modifyFd(key(), fd, NotifyOn::Read | NotifyOn::Shutdown,
                          Pistache::Polling::Mode::Edge);
      c.want_write = false;
    }
    if (c.closing && !c.busy && !c.lingering) {
      if (c.eof) {
        c.dead = true;
        return;
      }
      // Half-close and keep reading until the client closes, so unread input does not turn
      // the close into a reset that could destroy the answer in flight.
      ::shutdown(fd, SHUT_WR);
      c.lingering = true;
      c.last_byte = Clock::now();
    }
  }

  void sweep() {
    const ServerOptions& o = core_->ctx.options;
    const auto now = Clock::now();
    for (auto& [fd, c] : conns_) {
      if (c.dead || c.busy) continue;
      if (c.lingering) {
        if (now - c.last_byte > std::chrono::seconds(2)) c.dead = true;
      } else if (c.out_sent < c.out.size()) {
        if (now - c.last_byte > o.idle_timeout) c.dead = true;  // a client that reads nothing
      } else if (c.parser.mid_message()) {
        if (now - c.last_byte > o.body_timeout) timeout(c, "the request body stalled");
      } else if (!c.in.empty()) {
        if (now - c.request_start > o.header_timeout)
          timeout(c, "the request head did not arrive in time");
      } else if (now - c.last_byte > o.idle_timeout) {
        c.closing = true;
        flush(c);
      }
    }
    reap();
  }

  void timeout(Connection& c, const std::string& why) {
    refuse(c, ErrorCode::request_timeout, why);
    flush(c);
  }

  // Closes the connections marked dead (Pistache's removePeer unregisters and closes).
  void reap() {
    for (auto it = conns_.begin(); it != conns_.end();) {
      if (!it->second.dead) {
        ++it;
        continue;
      }
      if (peers.count(it->first) > 0) removePeer(it->second.peer);
      it = conns_.erase(it);
    }
  }

  std::shared_ptr<Core> core_;
  std::shared_ptr<Completions> done_;
  int tick_fd_ = -1;
  std::unordered_map<int, Connection> conns_;
};

void ConnectionHandler::onConnection(const std::shared_ptr<Pistache::Tcp::Peer>& peer) {
  static_cast<HttpTransport*>(transport())->connected(peer);
}

}  // namespace
}  // namespace server

struct Server::Impl {
  std::shared_ptr<server::Core> core = std::make_shared<server::Core>();
  std::unique_ptr<Pistache::Tcp::Listener> listener;
  std::unique_ptr<server::JobPool> analysis;
  std::unique_ptr<server::JobPool> planning;
  bool running = false;
};

Server::Server(std::shared_ptr<DatasetStore> store, ServerOptions options)
    : impl_(std::make_unique<Impl>()) {
  server::Core& core = *impl_->core;
  core.ctx.store = std::move(store);
  core.ctx.options = std::move(options);
  const ServerOptions& o = core.ctx.options;
  core.limits =
      server::Http1Limits{o.max_target_bytes, o.max_head_bytes, o.max_header_count, max_body(o)};
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
  server::Core& core = *impl_->core;
  const ServerOptions& o = core.ctx.options;
  using namespace Pistache;
  impl_->analysis =
      std::make_unique<server::JobPool>("analysis", o.analysis_threads, o.analysis_queue);
  impl_->planning =
      std::make_unique<server::JobPool>("planning", o.planning_threads, o.planning_queue);
  core.analysis = impl_->analysis.get();
  core.planning = impl_->planning.get();
  core.draining = false;
  try {
    impl_->listener = std::make_unique<Tcp::Listener>(Address(o.host, Port(o.port)));
    impl_->listener->init(static_cast<size_t>(std::max(1, o.threads)),
                          Flags<Tcp::Options>(Tcp::Options::ReuseAddr));
    std::shared_ptr<server::Core> shared = impl_->core;
    impl_->listener->setTransportFactory(
        [shared] { return std::make_shared<server::HttpTransport>(shared); });
    impl_->listener->setHandler(std::make_shared<server::ConnectionHandler>());
    impl_->listener->bind();
    impl_->listener->runThreaded();
  } catch (const std::exception& e) {
    impl_->listener.reset();
    impl_->analysis.reset();
    impl_->planning.reset();
    throw std::runtime_error("cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " +
                             e.what());
  }
  core.port = static_cast<std::uint16_t>(impl_->listener->getPort());
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
  // Let the requests being answered finish (new ones get 503 and Connection: close), then
  // give their bytes a moment to reach the sockets before the reactor stops.
  core.draining = true;
  const auto deadline = std::chrono::steady_clock::now() + drain;
  while (core.in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  impl_->listener->shutdown();
  // Jobs still running finish (their answers are dropped); queued ones are discarded.
  impl_->analysis->stop();
  impl_->planning->stop();
  impl_->listener.reset();
  core.analysis = core.planning = nullptr;
  impl_->analysis.reset();
  impl_->planning.reset();
}

}  // namespace lifecircle
