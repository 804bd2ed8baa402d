// HTTP/1.1 framing rules (RFC 9112) on byte strings: each case is a request as a client would
// put it on the wire and the outcome the RFC asks for.
#include "server/http1.hpp"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "server/http.hpp"

namespace lifecircle::server {
namespace {

Http1Limits small_limits() {
  Http1Limits l;
  l.max_target_bytes = 64;
  l.max_head_bytes = 512;
  l.max_header_count = 5;
  l.max_body_bytes = 100;
  return l;
}

// Feeds `wire` at once; returns the parser's final state and leaves what is unread in `rest`.
RequestParser::State parse(RequestParser& p, std::string wire, std::string* rest = nullptr) {
  const RequestParser::State s = p.feed(wire);
  if (rest) *rest = wire;
  return s;
}

TEST(Http1Parser, SimpleGetWithHost) {
  RequestParser p(small_limits());
  ASSERT_EQ(parse(p, "GET /a?b=1 HTTP/1.1\r\nHost: x\r\n\r\n"), RequestParser::State::complete);
  const WireRequest r = p.take();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/a?b=1");
  EXPECT_EQ(r.minor_version, 1);
  EXPECT_TRUE(r.keep_alive);
  ASSERT_NE(r.header("host"), nullptr);
  EXPECT_EQ(*r.header("host"), "x");
}

TEST(Http1Parser, PipelinedRequestsComeOutOneByOneInOrder) {
  RequestParser p(small_limits());
  std::string wire =
      "GET /1 HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
      "GET /3 HTTP/1.1\r\nHost: x\r\n\r\n";
  std::vector<std::string> targets;
  while (p.feed(wire) == RequestParser::State::complete) {
    WireRequest r = p.take();
    targets.push_back(r.target + ":" + r.body);
  }
  EXPECT_EQ(targets, (std::vector<std::string>{"/1:", "/2:abc", "/3:"}));
  EXPECT_TRUE(wire.empty());
}

TEST(Http1Parser, ByteByByteArrivalGivesTheSameRequest) {
  RequestParser p(small_limits());
  const std::string wire = "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
  std::string in;
  RequestParser::State s = RequestParser::State::incomplete;
  for (const char c : wire) {
    ASSERT_EQ(s, RequestParser::State::incomplete);
    in.push_back(c);
    s = p.feed(in);
  }
  ASSERT_EQ(s, RequestParser::State::complete);
  EXPECT_EQ(p.take().body, "hello");
}

TEST(Http1Parser, ConnectionCloseAndHttp10Defaults) {
  RequestParser p(small_limits());
  ASSERT_EQ(parse(p, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            RequestParser::State::complete);
  EXPECT_FALSE(p.take().keep_alive);
  // HTTP/1.0 closes unless asked to keep alive, and needs no Host.
  ASSERT_EQ(parse(p, "GET / HTTP/1.0\r\n\r\n"), RequestParser::State::complete);
  EXPECT_FALSE(p.take().keep_alive);
  ASSERT_EQ(parse(p, "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"),
            RequestParser::State::complete);
  EXPECT_TRUE(p.take().keep_alive);
}

struct Refusal {
  const char* wire;
  int status;
  std::string_view code;
};

class Http1Refusals : public ::testing::TestWithParam<Refusal> {};

TEST_P(Http1Refusals, AreRefusedWithTheRightStatusAndCode) {
  RequestParser p(small_limits());
  ASSERT_EQ(parse(p, GetParam().wire), RequestParser::State::failed) << GetParam().wire;
  EXPECT_EQ(error_info(p.error().code).http_status, GetParam().status) << GetParam().wire;
  EXPECT_EQ(error_info(p.error().code).problem, GetParam().code) << GetParam().wire;
  EXPECT_FALSE(p.error().detail.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Rfc9112, Http1Refusals,
    ::testing::Values(
        // Malformed request lines are refused as soon as the line ends, headers or not.
        Refusal{"GARBAGE\r\n", 400, "MalformedRequest"},
        Refusal{"GET  / HTTP/1.1\r\n", 400, "MalformedRequest"},
        Refusal{"GET / HTTP/1.1 extra\r\n", 400, "MalformedRequest"},
        Refusal{"G(T / HTTP/1.1\r\n", 400, "MalformedRequest"},
        Refusal{"GET / HTTX/1.1\r\n", 400, "MalformedRequest"},
        Refusal{"GET nopath HTTP/1.1\r\n", 400, "MalformedRequest"},
        Refusal{"GET / HTTP/2.0\r\n", 505, "HttpVersionNotSupported"},
        // Framing and Host rules.
        Refusal{"GET / HTTP/1.1\r\n\r\n", 400, "MalformedRequest"},
        Refusal{"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "MalformedRequest"},
        Refusal{"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400,
                "MalformedRequest"},
        Refusal{"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 4\r\n\r\n", 400,
                "MalformedRequest"},
        Refusal{"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400,
                "MalformedRequest"},
        Refusal{"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1e3\r\n\r\n", 400,
                "MalformedRequest"},
        Refusal{"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: "
                "chunked\r\n\r\n",
                400, "MalformedRequest"},
        Refusal{"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 501,
                "NotImplemented"},
        Refusal{"GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400, "MalformedRequest"},
        Refusal{"GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400, "MalformedRequest"},
        Refusal{"GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400, "MalformedRequest"},
        // Limits: body 100 bytes, 5 header fields, head 512 bytes, target 64 bytes.
        Refusal{"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n", 413,
                "PayloadTooLarge"},
        Refusal{"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100000000000000000000000\r\n\r\n",
                413, "PayloadTooLarge"},
        Refusal{"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n65\r\n", 413,
                "PayloadTooLarge"},
        Refusal{"GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\n\r\n", 431,
                "HeadersTooLarge"},
        Refusal{"GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "
                "HTTP/1.1\r\n",
                414, "UriTooLong"}));

TEST(Http1Parser, AHeadLargerThanTheLimitIsRefusedBeforeItEnds) {
  RequestParser p(small_limits());
  std::string wire = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(600, 'x');
  ASSERT_EQ(p.feed(wire), RequestParser::State::failed);
  EXPECT_EQ(error_info(p.error().code).http_status, 431);
  // The same head arriving whole, terminator included, is refused too.
  RequestParser whole(small_limits());
  std::string complete =
      "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(600, 'x') + "\r\n\r\n";
  ASSERT_EQ(whole.feed(complete), RequestParser::State::failed);
  EXPECT_EQ(error_info(whole.error().code).http_status, 431);
}

TEST(Http1Parser, ARequestLineWithoutEndIsRefusedPastTheTargetLimit) {
  RequestParser p(small_limits());
  std::string wire = "GET /" + std::string(200, 'a');
  ASSERT_EQ(p.feed(wire), RequestParser::State::failed);
  EXPECT_EQ(error_info(p.error().code).http_status, 414);
}

TEST(Http1Parser, ChunkedBodyIsDecodedWithExtensionsAndTrailers) {
  RequestParser p(small_limits());
  ASSERT_EQ(parse(p,
                  "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: t\r\n\r\n"),
            RequestParser::State::complete);
  EXPECT_EQ(p.take().body, "Wikipedia");
}

TEST(Http1Parser, ExpectContinueIsReportedOnceTheHeadIsRead) {
  RequestParser p(small_limits());
  std::string wire =
      "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n";
  ASSERT_EQ(p.feed(wire), RequestParser::State::incomplete);
  EXPECT_TRUE(p.awaiting_body());
  EXPECT_TRUE(p.expects_continue());
  wire += "ok";
  ASSERT_EQ(p.feed(wire), RequestParser::State::complete);
  EXPECT_EQ(p.take().body, "ok");
}

TEST(Http1Parser, LeadingEmptyLinesAndBareLfAreTolerated) {
  RequestParser p(small_limits());
  ASSERT_EQ(parse(p, "\r\n\r\nGET /x HTTP/1.1\nHost: a\n\n"), RequestParser::State::complete);
  EXPECT_EQ(p.take().target, "/x");
}

TEST(Http1Parser, AbsoluteFormTargetIsReducedToPathAndQuery) {
  RequestParser p(small_limits());
  ASSERT_EQ(parse(p, "GET http://example.org:80/c?d=1 HTTP/1.1\r\nHost: a\r\n\r\n"),
            RequestParser::State::complete);
  EXPECT_EQ(p.take().target, "/c?d=1");
}

TEST(Http1Serializer, HeadKeepsTheLengthAndDropsTheBody) {
  WireResponse r;
  r.status = 200;
  r.headers = {{"Content-Type", "application/json"}};
  r.body = "{\"a\":1}";
  EXPECT_EQ(serialize_response(r, true, false),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n"
            "{\"a\":1}");
  EXPECT_EQ(serialize_response(r, false, true),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n"
            "Connection: close\r\n\r\n");
  r.status = 204;
  r.body.clear();
  EXPECT_EQ(serialize_response(r, true, false),
            "HTTP/1.1 204 No Content\r\nContent-Type: application/json\r\n\r\n");
}

// The query of a target as handlers see it: decoded ('+' and %20 are spaces), empty pairs
// dropped, the fragment cut, names sorted with repeated names kept in the order sent (so a
// handler can refuse a repeat instead of one silently winning).
TEST(RequestTarget, QueryPairsAreDecodedSortedAndRepeatsKeptInOrder) {
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(
      parse_query("limit=5&&bbox=1,2&limit=abc&q=a+b%20c&flag#limit=9"),
      (Pairs{{"bbox", "1,2"}, {"flag", ""}, {"limit", "5"}, {"limit", "abc"}, {"q", "a b c"}}));
  EXPECT_EQ(parse_query("%E4%B8%8A=%zz&=x&a%3Db=%"),
            (Pairs{{"", "x"}, {"a=b", "%"}, {"\xE4\xB8\x8A", "%zz"}}));
  EXPECT_TRUE(parse_query("").empty());
  EXPECT_TRUE(parse_query("&&#a=1").empty());
}

}  // namespace
}  // namespace lifecircle::server
