// Fuzzes the HTTP/1.1 framing of the service (RequestParser): the input is a connection's byte
// stream, fed in two pieces split where the first byte says, so the incremental paths run too.
// Every request the parser completes must respect the limits and carry an origin-form target
// whose query parses; a refusal must be a 4xx or 5xx with a protocol problem code, after which
// the parser takes nothing more.
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "server/http.hpp"
#include "server/http1.hpp"

namespace {

using namespace lifecircle::server;

// Small limits, so the fuzzer reaches every refusal with short inputs.
Http1Limits small_limits() {
  Http1Limits l;
  l.max_target_bytes = 256;
  l.max_head_bytes = 1024;
  l.max_header_count = 16;
  l.max_body_bytes = 512;
  return l;
}

void check(const WireRequest& r, const Http1Limits& limits) {
  if (r.body.size() > limits.max_body_bytes)
    lifecircle::fuzz::fail("a body over the limit was accepted", r.target, r.body.substr(0, 64));
  if (r.headers.size() > limits.max_header_count)
    lifecircle::fuzz::fail("more header fields than the limit were accepted", r.target, "");
  if (r.target.size() > limits.max_target_bytes)
    lifecircle::fuzz::fail("a target over the limit was accepted", r.target, "");
  if (r.method.empty()) lifecircle::fuzz::fail("a request without a method", r.target, "");
  if (r.target.empty() || (r.target[0] != '/' && r.target != "*"))
    lifecircle::fuzz::fail("a target that is not origin-form", r.target, "");
  for (const auto& [name, value] : r.headers)
    for (const char c : name)
      if (c >= 'A' && c <= 'Z') lifecircle::fuzz::fail("a header name not lower-cased", name, "");
  const std::size_t q = r.target.find('?');
  if (q != std::string::npos) (void)parse_query(std::string_view(r.target).substr(q + 1));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const Http1Limits limits = small_limits();
  const std::string stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t split = stream.empty() ? 0 : data[0] % (stream.size() + 1);
  RequestParser parser(limits);
  std::string in;
  for (const std::string& piece : {stream.substr(0, split), stream.substr(split)}) {
    in += piece;
    while (true) {
      const RequestParser::State s = parser.feed(in);
      if (s == RequestParser::State::complete) {
        check(parser.take(), limits);
        continue;
      }
      if (s == RequestParser::State::failed) {
        const WireError& e = parser.error();
        const lifecircle::ErrorInfo& info = lifecircle::error_info(e.code);
        if (info.http_status < 400 || info.http_status > 505 || info.problem.empty())
          lifecircle::fuzz::fail("a refusal without a 4xx/5xx status and a code", e.detail,
                                 std::to_string(info.http_status));
        if (parser.feed(in) != RequestParser::State::failed)
          lifecircle::fuzz::fail("the parser went on after a refusal", e.detail, "");
        return 0;
      }
      break;  // incomplete: wait for the next piece
    }
  }
  return 0;
}
