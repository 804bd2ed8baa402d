// The HTTP/1.1 protocol of the real server over loopback sockets: pipelining, half-close,
// Connection: close, HEAD and OPTIONS, protocol errors as problem documents, the body limit
// that follows the planning limits, timeouts, bounded abuse, and heavy requests on their own
// pools while /health keeps answering. Timeouts are set short so each case takes a second or two.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "lifecircle/planning.hpp"
#include "lifecircle/server.hpp"
#include "planning/world.hpp"
#include "server/http_client.hpp"
#include "server/job_pool.hpp"
#include "support/served_dataset.hpp"
#include "support/temp_dir.hpp"

namespace lifecircle {
namespace {

using nlohmann::json;
using test::HttpResponse;
using test::Socket;

class ProtocolTest : public ::testing::Test {
 protected:
  static ServerOptions options() {
    ServerOptions o = test::ServedDataset::quiet();
    // Short enough for quick cases, long enough that a loaded machine does not trip them
    // during the slow-client and deep-pipelining cases.
    o.header_timeout = std::chrono::milliseconds(2000);
    o.body_timeout = std::chrono::milliseconds(1000);
    o.idle_timeout = std::chrono::milliseconds(1500);
    return o;
  }
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    DatasetContent c = planning_test::three_clusters();
    c.info.standards_path = dir_->write("standards.json", fixtures::standards_json(300).dump());
    served_ = std::make_unique<test::ServedDataset>(std::move(c), options());
    port_ = served_->port();
  }
  static void TearDownTestSuite() {
    served_.reset();
    delete dir_;
  }

  static std::string get(const std::string& target, const std::string& extra = "") {
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
  }

  // A problem document with this status and code, as every protocol error must be.
  static void expect_problem(const HttpResponse& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/problem+json") << r.body;
    const json j = json::parse(r.body, nullptr, false);
    ASSERT_TRUE(j.is_object()) << r.body;
    EXPECT_EQ(j.value("code", ""), code) << r.body;
    EXPECT_EQ(j.value("status", 0), status) << r.body;
  }

  // Sends `wire` on a fresh connection and reads one answer.
  static HttpResponse exchange(const std::string& wire) {
    Socket s(port_);
    s.send_all(wire);
    std::string buf;
    return test::read_response(s, buf);
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline std::unique_ptr<test::ServedDataset> served_;
  static inline std::uint16_t port_ = 0;
};

TEST_F(ProtocolTest, PipelinedRequestsAreAllAnsweredInOrder) {
  Socket s(port_);
  s.send_all(get("/health") + get("/conformance") + get("/nowhere") + get("/collections"));
  std::string buf;
  const HttpResponse a = test::read_response(s, buf);
  const HttpResponse b = test::read_response(s, buf);
  const HttpResponse c = test::read_response(s, buf);
  const HttpResponse d = test::read_response(s, buf);
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(b.status, 200);
  EXPECT_NE(b.body.find("conformsTo"), std::string::npos);
  expect_problem(c, 404, "NotFound");
  EXPECT_EQ(d.status, 200);
  EXPECT_NE(d.body.find("\"collections\""), std::string::npos);
  // Keep-alive by default in HTTP/1.1: the connection takes one more.
  s.send_all(get("/health"));
  EXPECT_EQ(test::read_response(s, buf).status, 200);
}

TEST_F(ProtocolTest, AHalfClosedClientStillGetsItsAnswersThenTheClose) {
  Socket s(port_);
  s.send_all(get("/health") + get("/conformance"));
  s.shutdown_write();
  std::string buf;
  EXPECT_EQ(test::read_response(s, buf).status, 200);
  EXPECT_EQ(test::read_response(s, buf).status, 200);
  EXPECT_TRUE(buf.empty());
  EXPECT_TRUE(s.wait_closed());
}

TEST_F(ProtocolTest, ConnectionCloseIsAnsweredAndTheSocketCloses) {
  Socket s(port_);
  s.send_all(get("/health", "Connection: close\r\n") + get("/conformance"));
  std::string buf;
  const HttpResponse r = test::read_response(s, buf);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("connection"), "close");
  // The request after the close is not answered: the server closes instead.
  EXPECT_TRUE(buf.empty());
  EXPECT_TRUE(s.wait_closed());
}

TEST_F(ProtocolTest, Http10ClosesUnlessAskedToKeepAlive) {
  Socket s(port_);
  s.send_all("GET /health HTTP/1.0\r\n\r\n");
  std::string buf;
  EXPECT_EQ(test::read_response(s, buf).status, 200);
  EXPECT_TRUE(s.wait_closed());
}

TEST_F(ProtocolTest, HeadIsAnsweredLikeGetWithoutTheBody) {
  Socket s(port_);
  // A HEAD answer has a Content-Length but no body: the next answer follows at once.
  s.send_all("HEAD /collections HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + get("/collections"));
  std::string buf;
  while (buf.find("\r\n\r\n") == std::string::npos) ASSERT_TRUE(s.read_some(buf));
  const std::string head = buf.substr(0, buf.find("\r\n\r\n") + 4);
  buf.erase(0, head.size());
  EXPECT_EQ(head.rfind("HTTP/1.1 200", 0), 0u) << head;
  const HttpResponse full = test::read_response(s, buf);
  ASSERT_EQ(full.status, 200);
  EXPECT_NE(head.find("Content-Length: " + std::to_string(full.body.size()) + "\r\n"),
            std::string::npos)
      << head;
}

TEST_F(ProtocolTest, OptionsAnswersTheCorsPreflight) {
  const HttpResponse r = exchange(
      "OPTIONS /collections HTTP/1.1\r\nHost: x\r\nOrigin: http://planner.example\r\n"
      "Access-Control-Request-Method: GET\r\nAccess-Control-Request-Headers: Accept\r\n\r\n");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.header("allow"), "GET, HEAD, OPTIONS");
  EXPECT_EQ(r.header("access-control-allow-methods"), "GET, HEAD, OPTIONS");
  EXPECT_EQ(r.header("access-control-allow-origin"), "*");
  EXPECT_EQ(r.header("access-control-allow-headers"), "Accept");
}

TEST_F(ProtocolTest, ProtocolErrorsAreProblemDocumentsWithStableCodes) {
  struct Case {
    std::string wire;
    int status;
    const char* code;
  };
  const std::vector<Case> cases = {
      {"FOO /health HTTP/1.1\r\nHost: x\r\n\r\n", 501, "NotImplemented"},
      {"DELETE /health HTTP/1.1\r\nHost: x\r\n\r\n", 405, "MethodNotAllowed"},
      {"GARBAGE\r\n", 400, "MalformedRequest"},
      {"GET /health HTTP/1.1\r\n\r\n", 400, "MalformedRequest"},  // no Host
      {"POST /siting HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400,
       "MalformedRequest"},
      {"POST /siting HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400, "MalformedRequest"},
      {"POST /siting HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n"
       "{}",
       415, "UnsupportedMediaType"},
      {get("/collections?x=" + std::string(10'000, 'a')), 414, "UriTooLong"},
      {"GET /health HTTP/3.0\r\nHost: x\r\n\r\n", 505, "HttpVersionNotSupported"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.wire.substr(0, 60));
    expect_problem(exchange(c.wire), c.status, c.code);
  }
}

TEST_F(ProtocolTest, ADeclared100MbBodyIsRefusedAtOnceAndCounted) {
  // Nothing of the body is sent: the answer must not wait for it.
  const HttpResponse r = exchange(
      "POST /siting HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 100000000\r\n\r\n");
  expect_problem(r, 413, "PayloadTooLarge");
  const HttpResponse m = test::http_get(port_, "/metrics");
  EXPECT_NE(m.body.find("status=\"413\""), std::string::npos);
}

TEST_F(ProtocolTest, TheBodyLimitFollowsThePlanningLimits) {
  // 50,000 supplied candidates as a client writes them (7-decimal WGS84, an id each) fit.
  std::string candidates;
  for (int i = 0; i < 50'000; ++i)
    candidates += std::string(i ? "," : "") +
                  R"({"type":"Feature","properties":{"id":"candidate-)" + std::to_string(i) +
                  R"("},"geometry":{"type":"Point","coordinates":[121.4737012,31.2304012]}})";
  const std::string body =
      R"({"type":"comprehensive_center","k":1,"candidates":{"type":"FeatureCollection",)"
      R"("features":[)" +
      candidates + "]}}";
  const std::size_t limit = max_body(options());
  EXPECT_LT(body.size(), limit);
  // A tenth of the candidates allowed: the limit shrinks with them.
  ServerOptions fewer = options();
  fewer.planning.max_supplied_candidates = 5'000;
  EXPECT_LT(max_body(fewer), limit);
  // Exactly the limit passes the protocol layer (the JSON is then refused); one more byte is
  // a 413 problem.
  const auto post = [](std::size_t n) {
    return "POST /siting HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "Content-Length: " +
           std::to_string(n) + "\r\n\r\n" + std::string(n, ' ');
  };
  const HttpResponse at = exchange(post(limit));
  EXPECT_EQ(at.status, 400) << at.body;
  EXPECT_EQ(at.header("content-type"), "application/problem+json");
  expect_problem(exchange(post(limit + 1)), 413, "PayloadTooLarge");
}

TEST_F(ProtocolTest, ExpectContinueGetsAnInterimAnswerBeforeTheBody) {
  Socket s(port_);
  s.send_all(
      "POST /siting HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  std::string buf;
  while (buf.find("\r\n\r\n") == std::string::npos) ASSERT_TRUE(s.read_some(buf));
  EXPECT_EQ(buf, "HTTP/1.1 100 Continue\r\n\r\n");
  buf.clear();
  s.send_all("{}");
  const HttpResponse r = test::read_response(s, buf);
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  EXPECT_EQ(r.status / 100, 4) << r.body;
}

TEST_F(ProtocolTest, AStalledBodyAndAStalledHeadTimeOutWith408) {
  Socket body(port_);
  body.send_all(
      "POST /siting HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 1000\r\n\r\n{\"k\":");
  Socket head(port_);
  head.send_all("GET /health HTTP/1.1\r\nHost: x\r\n");
  std::string buf;
  expect_problem(test::read_response(body, buf), 408, "RequestTimeout");
  EXPECT_TRUE(body.wait_closed());
  buf.clear();
  expect_problem(test::read_response(head, buf), 408, "RequestTimeout");
  EXPECT_TRUE(head.wait_closed());
}

TEST_F(ProtocolTest, AnIdleConnectionIsClosedAfterTheIdleTimeout) {
  Socket s(port_);
  s.send_all(get("/health"));
  std::string buf;
  EXPECT_EQ(test::read_response(s, buf).status, 200);
  EXPECT_TRUE(s.wait_closed());  // idle_timeout is 1.5 s; the socket's own timeout is 10 s
  Socket silent(port_);
  EXPECT_TRUE(silent.wait_closed());
}

TEST_F(ProtocolTest, AbuseLeavesTheServiceAnswering) {
  // Hundreds of idle connections.
  std::vector<std::unique_ptr<Socket>> idle;
  for (int i = 0; i < 300; ++i) idle.push_back(std::make_unique<Socket>(port_));
  // Malformed request lines, each answered with a 400 problem.
  for (int i = 0; i < 20; ++i)
    expect_problem(exchange(std::string(i % 2 ? "\x01\x02\x03 / HTTP/1.1\r\n" : "GET /\r\n")), 400,
                   "MalformedRequest");
  // A 1 MB header and thousands of headers: 431 and a close (the rest may be refused).
  const auto refused = [](const std::string& wire) {
    Socket s(port_);
    std::string buf;
    try {
      s.send_all(wire);
    } catch (const std::exception&) {
      // The server may close before all was sent; its answer is still readable.
    }
    return test::read_response(s, buf);
  };
  expect_problem(
      refused("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(1 << 20, 'a') + "\r\n\r\n"), 431,
      "HeadersTooLarge");
  std::string many = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 5000; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  expect_problem(refused(many + "\r\n"), 431, "HeadersTooLarge");
  // Deep pipelining: 200 requests in one write, 200 answers in order.
  {
    Socket s(port_);
    std::string wire;
    for (int i = 0; i < 200; ++i) wire += get(i % 2 ? "/health" : "/conformance");
    s.send_all(wire);
    std::string buf;
    for (int i = 0; i < 200; ++i) {
      const HttpResponse r = test::read_response(s, buf);
      ASSERT_EQ(r.status, 200) << i;
      ASSERT_EQ(r.body.find("conformsTo") != std::string::npos, i % 2 == 0) << i;
    }
  }
  // A slow client: a request a byte at a time over ~0.4 s is still answered.
  {
    Socket s(port_);
    for (const char c : get("/health")) {
      s.send_all(std::string(1, c));
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::string buf;
    EXPECT_EQ(test::read_response(s, buf).status, 200);
  }
  // Bodies cut short by a close, and by a half-close (that one is answered).
  for (int i = 0; i < 20; ++i) {
    Socket s(port_);
    s.send_all("POST /siting HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"k\"");
  }
  {
    Socket s(port_);
    s.send_all("POST /siting HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"k\"");
    s.shutdown_write();
    std::string buf;
    expect_problem(test::read_response(s, buf), 400, "MalformedRequest");
  }
  // /health answers while all of that is still connected. The latency is reported, not
  // asserted (a noisy machine); the load bench measures it.
  const auto t0 = std::chrono::steady_clock::now();
  const HttpResponse h = test::http_get(port_, "/health");
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(h.status, 200);
  std::printf("/health after abuse: %.1f ms with %zu idle connections open\n", ms, idle.size());
}

TEST(JobPool, AFullQueueRefusesAndRunningJobsFinish) {
  server::JobPool pool("test", 1, 1);
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::atomic<int> ran{0};
  const auto blocked = [&] {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return release; });
    ++ran;
  };
  ASSERT_TRUE(pool.try_submit(blocked));  // runs (or is about to)
  while (pool.running() == 0) std::this_thread::yield();
  EXPECT_TRUE(pool.try_submit(blocked));   // waits: the one queue place
  EXPECT_FALSE(pool.try_submit(blocked));  // full
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
  }
  cv.notify_all();
  while (ran.load() < 2) std::this_thread::yield();
  EXPECT_EQ(pool.queued(), 0u);
  EXPECT_TRUE(pool.try_submit([&] { ++ran; }));
  // stop() drops what is still queued, so wait for the accepted job to run before stopping.
  while (ran.load() < 3) std::this_thread::yield();
  pool.stop();
  EXPECT_EQ(ran.load(), 3);
  EXPECT_FALSE(pool.try_submit([&] { ++ran; }));
}

// Siting runs on the planning pool (one worker, one queue place here): extra concurrent runs
// are refused with 503 + Retry-After, and /health answers throughout.
TEST(HeavyRequests, SitingRunsOnItsPoolWhileHealthAnswers) {
  testing::TempDir dir;
  DatasetContent c = planning_test::three_clusters();
  c.info.standards_path = dir.write("standards.json", fixtures::standards_json(300).dump());
  ServerOptions o = test::ServedDataset::quiet();
  o.planning_threads = 1;
  o.planning_queue = 1;
  test::ServedDataset served(std::move(c), o);
  const std::uint16_t port = served.port();
  const std::string body =
      json{{"type", "comprehensive_center"}, {"k", 2}, {"method", "exact"}, {"grid_m", 100}}.dump();
  const auto siting = [port, &body] {
    Socket s(port);
    s.send_all(
        "POST /siting HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body);
    std::string buf;
    return test::read_response(s, buf);
  };
  std::vector<std::future<HttpResponse>> runs;
  for (int i = 0; i < 6; ++i) runs.push_back(std::async(std::launch::async, siting));
  int health_ok = 0;
  for (int i = 0; i < 10; ++i) health_ok += test::http_get(port, "/health").status == 200;
  EXPECT_EQ(health_ok, 10);
  int ok = 0, busy = 0;
  for (auto& f : runs) {
    const HttpResponse r = f.get();
    if (r.status == 200) {
      ++ok;
    } else {
      EXPECT_EQ(r.status, 503) << r.body;
      EXPECT_FALSE(r.header("retry-after").empty());
      EXPECT_EQ(r.header("content-type"), "application/problem+json");
      ++busy;
    }
  }
  EXPECT_GE(ok, 1);
  EXPECT_EQ(ok + busy, 6);
}

}  // namespace
}  // namespace lifecircle
