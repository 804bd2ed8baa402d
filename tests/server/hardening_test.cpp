// The error catalogue, the configuration file and the defects of bad input found by running the
// service as a new user would, each over real HTTP against the real server: the analysis cache
// answering a bad override, unvalidated filters, huge JSON numbers, a wrong Content-Type, and
// links that followed the client's Host header.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "lifecircle/config.hpp"
#include "lifecircle/errors.hpp"
#include "lifecircle/request_params.hpp"
#include "lifecircle/server.hpp"
#include "planning/world.hpp"
#include "server/http_client.hpp"
#include "server/openapi_document.hpp"
#include "support/served_dataset.hpp"
#include "support/temp_dir.hpp"

namespace lifecircle {
namespace {

using nlohmann::json;
using test::HttpResponse;

// Removes the "_comment" members that document the file.
json without_comments(json j) {
  if (!j.is_object()) return j;
  json out = json::object();
  for (auto& [k, v] : j.items())
    if (k.rfind("_", 0) != 0) out[k] = without_comments(v);
  return out;
}

TEST(ErrorCatalogue, EveryCodeHasOneStatusAndAStableProblemCode) {
  std::set<std::string_view> reasons;
  for (std::size_t i = 0; i < kErrorCatalogue.size(); ++i) {
    const ErrorInfo& e = kErrorCatalogue[i];
    EXPECT_EQ(static_cast<std::size_t>(e.code), i);
    EXPECT_TRUE(reasons.insert(e.reason).second) << e.reason;
    EXPECT_GE(e.http_status, 400) << e.reason;
    EXPECT_LT(e.http_status, 600) << e.reason;
    EXPECT_FALSE(e.problem.empty()) << e.reason;
    EXPECT_EQ(parse_error_code(e.reason), e.code);
  }
  // The conditions the review found answered differently on different routes.
  EXPECT_EQ(error_info(ErrorCode::network_unavailable).http_status, 422);
  EXPECT_EQ(error_info(ErrorCode::network_unavailable).problem, "ModeUnavailable");
  EXPECT_EQ(error_info(ErrorCode::too_large).http_status, 413);
  EXPECT_FALSE(parse_error_code("no_such_reason"));
}

TEST(Config, TheDocumentedFileIsTheDefaults) {
  std::ifstream in(default_config_path());
  ASSERT_TRUE(in) << default_config_path();
  const json file = json::parse(in);
  EXPECT_EQ(without_comments(file), to_json(ServerOptions{}));
  // Reading it gives the defaults back.
  EXPECT_EQ(to_json(read_config(default_config_path())), to_json(ServerOptions{}));
}

TEST(Config, AbsentMembersKeepTheDefaultsAndMistakesNameTheKey) {
  const ServerOptions o = config_from_json(
      json::parse(R"({"paging": {"max_limit": 50}, "overrides": {"minutes": [5, 60]},
                      "links": {"public_base_url": "https://example.org/lc/",
                                "allowed_hosts": ["Planning.Example:80"]}})"),
      "t.json");
  EXPECT_EQ(o.paging.max_limit, 50u);
  EXPECT_EQ(o.paging.default_limit, 50u);  // lowered with max_limit, since not given
  EXPECT_EQ(o.overrides.minutes.min, 5);
  EXPECT_EQ(o.overrides.minutes.max, 60);
  EXPECT_EQ(o.planning.overrides.minutes.max, 60);  // one section sets every route's bounds
  EXPECT_EQ(o.overrides.speed_m_s.max, 3);
  EXPECT_EQ(o.links.public_base_url, "https://example.org/lc");
  EXPECT_EQ(o.links.allowed_hosts, std::vector<std::string>{"planning.example:80"});
  EXPECT_EQ(o.planning.max_supplied_candidates, 50000u);

  auto key_of = [](const char* text) {
    try {
      config_from_json(json::parse(text), "t.json");
    } catch (const ConfigError& e) {
      return e.key();
    }
    return std::string("(accepted)");
  };
  EXPECT_EQ(key_of(R"({"paging": {"max_limt": 5}})"), "paging.max_limt");
  EXPECT_EQ(key_of(R"({"pagin": {}})"), "pagin");
  EXPECT_EQ(key_of(R"({"paging": {"max_limit": "5"}})"), "paging.max_limit");
  EXPECT_EQ(key_of(R"({"paging": {"max_limit": 2.5}})"), "paging.max_limit");
  EXPECT_EQ(key_of(R"({"overrides": {"speed": [3, 1]}})"), "overrides.speed");
  EXPECT_EQ(key_of(R"({"planning": {"solver": {"max_demand": -1}}})"),
            "planning.solver.max_demand");
  EXPECT_EQ(key_of(R"({"links": {"public_base_url": "ftp://x"}})"), "links.public_base_url");
}

// The three-cluster world of tests/planning/world.hpp behind the real server.
class Hardening : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    DatasetContent c = planning_test::three_clusters();
    c.info.standards_path = dir_->write("standards.json", fixtures::standards_json(300).dump());
    served_ = std::make_unique<test::ServedDataset>(std::move(c));
    port_ = served_->port();
  }
  static void TearDownTestSuite() {
    served_.reset();
    delete dir_;
  }

  // A problem document with this status and code; returns it parsed.
  static json problem(const HttpResponse& r, int status, const std::string& code,
                      const std::string& what) {
    EXPECT_EQ(r.status, status) << what << "\n" << r.body;
    EXPECT_EQ(r.header("content-type"), "application/problem+json") << what;
    const json j = json::parse(r.body);
    EXPECT_EQ(j["code"], code) << what;
    EXPECT_EQ(j["status"], status) << what;
    return j;
  }
  static HttpResponse get(const std::string& target) { return test::http_get(port_, target); }
  static HttpResponse post_json(const std::string& target, const std::string& body) {
    return test::http_send(port_, "POST", target, body, {{"Content-Type", "application/json"}});
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline std::unique_ptr<test::ServedDataset> served_;
  static inline std::uint16_t port_ = 0;
};

TEST_F(Hardening, ABadOverrideIsRefusedEvenWhenTheDefaultIsCached) {
  // The absent override used to be keyed as -1: once the default was cached, -1 hit it.
  ASSERT_EQ(get("/coverage?family=eldercare&by=city").status, 200);
  ASSERT_EQ(get("/indicators/one-plus-n").status, 200);
  ASSERT_EQ(get("/indicators/meal-capacity").status, 200);
  for (const char* o : {"minutes=-1", "speed=-1", "detour=-1", "minutes=0", "speed=3.5"}) {
    const std::string q = o;
    const json a =
        problem(get("/coverage?family=eldercare&by=city&" + q), 400, "InvalidParameter", q);
    EXPECT_EQ(a["field"], q.substr(0, q.find('='))) << q;
    EXPECT_EQ(a["reason"], "invalid_parameter");
    problem(get("/indicators/one-plus-n?" + q), 400, "InvalidParameter", "one-plus-n " + q);
    problem(get("/indicators/meal-capacity?" + q), 400, "InvalidParameter", "meal " + q);
    problem(get("/coverage/gaps?family=eldercare&" + q), 400, "InvalidParameter", "gaps " + q);
  }
  // The bounds themselves are accepted (a closed interval).
  EXPECT_EQ(get("/coverage?family=eldercare&minutes=120&speed=0.1&detour=3").status, 200);
  EXPECT_EQ(get("/coverage?family=eldercare&minutes=1&speed=3&detour=1").status, 200);
}

TEST_F(Hardening, RepeatedParametersAreRefusedNotResolved) {
  for (const char* target :
       {"/coverage?family=eldercare&family=meal", "/collections/facilities/items?limit=5&limit=abc",
        "/collections/facilities/items?bbox=120,30,123,32&bbox=a",
        "/indicators/one-plus-n?speed=1&speed=-1", "/collections/facilities/items?f=json&f=json"}) {
    const json j = problem(get(target), 400, "InvalidParameter", target);
    EXPECT_EQ(j["reason"], "repeated_parameter") << target;
  }
}

TEST_F(Hardening, FiltersAndModesAreValidated) {
  const json d = problem(get("/collections/facilities/items?district_code=abc"), 400,
                         "InvalidParameter", "district_code=abc");
  EXPECT_EQ(d["field"], "district_code");
  problem(get("/collections/population/items?street_code=31010100"), 400, "InvalidParameter",
          "8-digit street code");
  problem(get("/collections/plan_indicators/items?kind=bogus"), 400, "InvalidParameter",
          "kind=bogus");
  const json m =
      problem(get("/indicators/per-thousand?mode=abc"), 400, "InvalidParameter", "mode=abc");
  EXPECT_EQ(m["field"], "mode");
  // Well-formed codes still filter (the district exists; a code that does not is no match).
  const json ok = json::parse(get("/collections/facilities/items?district_code=310101").body);
  EXPECT_EQ(ok["numberMatched"], 1);
  EXPECT_EQ(
      json::parse(get("/collections/facilities/items?district_code=310199").body)["numberMatched"],
      0);
}

TEST_F(Hardening, NetworkUnavailableIsTheSameProblemOnEveryRoute) {
  const std::vector<HttpResponse> answers = {
      get("/coverage?family=eldercare&mode=network"), get("/indicators/one-plus-n?mode=network"),
      get("/indicators/per-thousand?mode=network"),
      post_json("/siting", R"({"type":"comprehensive_center","k":1,"mode":"network"})"),
      post_json(
          "/scenarios",
          R"({"mode":"network","family":"eldercare","changes":[{"op":"remove","id":"cc-a"}]})")};
  for (const HttpResponse& r : answers) {
    const json j = problem(r, 422, "ModeUnavailable", r.body);
    EXPECT_EQ(j["reason"], "network_unavailable");
    EXPECT_EQ(j["field"], "mode");
  }
}

TEST_F(Hardening, HugeNumbersAndWrongTypesInBodiesAre400) {
  for (const std::string body :
       {R"({"type":"comprehensive_center","k":1e400})",
        R"({"type":"comprehensive_center","k":123456789012345678901234567890})",
        R"({"type":"comprehensive_center","k":1,"minutes":-1e400})",
        R"({"type":"comprehensive_center","k":1,"candidates":{"type":7}})",
        R"({"type":"comprehensive_center","k":1,"excluded_areas":{"type":[]}})", R"([1,2)",
        R"({"type":"comprehensive_center","k":1,"grid_m":1e308})"}) {
    const HttpResponse r = post_json("/siting", body);
    EXPECT_GE(r.status, 400) << body << "\n" << r.body;
    EXPECT_LT(r.status, 500) << body << "\n" << r.body;
    EXPECT_EQ(r.header("content-type"), "application/problem+json") << body;
    // Never the parser's own words.
    EXPECT_EQ(r.body.find("json.exception"), std::string::npos) << r.body;
  }
  for (
      const std::string body :
      {R"({"changes":[{"op":"change","id":"cc-a","floor_area_m2":1e400}]})",
       R"({"changes":[{"op":"change","id":"cc-a","beds":123456789012345678901234567890}]})",
       R"({"changes":[{"op":"add","feature":{"type":"Feature","properties":{"type":5},"geometry":{"type":"Point","coordinates":[0,0]}}}]})",
       R"({"changes":[{"op":"move","id":"cc-a","geometry":{"type":[],"coordinates":1}}]})"}) {
    const HttpResponse r = post_json("/scenarios", body);
    EXPECT_GE(r.status, 400) << body << "\n" << r.body;
    EXPECT_LT(r.status, 500) << body << "\n" << r.body;
    EXPECT_EQ(r.header("content-type"), "application/problem+json") << body;
    EXPECT_EQ(r.body.find("json.exception"), std::string::npos) << r.body;
  }
  EXPECT_EQ(get("/health").status, 200);
}

TEST_F(Hardening, APostBodyMustBeJson) {
  const std::string body = R"({"type":"comprehensive_center","k":1})";
  for (const auto& headers : std::vector<std::vector<std::pair<std::string, std::string>>>{
           {},
           {{"Content-Type", "text/plain"}},
           {{"Content-Type", "application/x-www-form-urlencoded"}},
           {{"Content-Type", "image/png"}}}) {
    const json j = problem(test::http_send(port_, "POST", "/siting", body, headers), 415,
                           "UnsupportedMediaType", headers.empty() ? "none" : headers[0].second);
    EXPECT_EQ(j["reason"], "unsupported_media_type");
  }
  EXPECT_EQ(test::http_send(port_, "POST", "/siting", body,
                            {{"Content-Type", "application/json; charset=utf-8"}})
                .status,
            200);
  EXPECT_EQ(
      test::http_send(port_, "POST", "/siting", body, {{"Content-Type", "application/geo+json"}})
          .status,
      200);
}

TEST_F(Hardening, LinksNeverFollowAnUnlistedHost) {
  const std::string mine = "http://127.0.0.1:" + std::to_string(port_);
  const HttpResponse landing = test::http_send(port_, "GET", "/", "", {}, "evil.example");
  ASSERT_EQ(landing.status, 200);
  EXPECT_EQ(landing.body.find("evil.example"), std::string::npos) << landing.body;
  EXPECT_NE(landing.body.find(mine + "/collections"), std::string::npos) << landing.body;
  const HttpResponse items = test::http_send(port_, "GET", "/collections/facilities/items?limit=1",
                                             "", {}, "evil.example");
  EXPECT_EQ(items.body.find("evil.example"), std::string::npos);
  // "localhost" with our port is one of our own names.
  const HttpResponse local =
      test::http_send(port_, "GET", "/", "", {}, "localhost:" + std::to_string(port_));
  EXPECT_NE(local.body.find("http://localhost:" + std::to_string(port_) + "/collections"),
            std::string::npos);

  // A scenario created through a poisoned Host is stored without links: a later client sees
  // links to the service itself.
  const HttpResponse created =
      test::http_send(port_, "POST", "/scenarios",
                      R"({"family":"eldercare","changes":[{"op":"remove","id":"cc-a"}]})",
                      {{"Content-Type", "application/json"}}, "evil.example");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.body.find("evil.example"), std::string::npos);
  const std::string id = json::parse(created.body)["id"];
  const json later = json::parse(get("/scenarios/" + id).body);
  EXPECT_EQ(later["links"][0]["href"], mine + "/scenarios/" + id);
}

TEST(HardeningConfig, ServeUsesTheConfiguredLimitsAndPublicUrl) {
  DatasetContent c = planning_test::three_clusters();
  testing::TempDir dir;
  c.info.standards_path = dir.write("standards.json", fixtures::standards_json(300).dump());
  ServerOptions o =
      config_from_json(json::parse(R"({"server": {"access_log": false}, "paging": {"max_limit": 2},
                      "overrides": {"minutes": [1, 10]},
                      "links": {"public_base_url": "https://planning.example.gov.cn/lc"}})"),
                       "t.json");
  test::ServedDataset served(std::move(c), o);
  const std::uint16_t port = served.port();
  EXPECT_EQ(test::http_get(port, "/collections/population/items?limit=2").status, 200);
  EXPECT_EQ(test::http_get(port, "/collections/population/items?limit=3").status, 400);
  EXPECT_EQ(test::http_get(port, "/coverage?family=eldercare&minutes=10").status, 200);
  EXPECT_EQ(test::http_get(port, "/coverage?family=eldercare&minutes=11").status, 400);
  EXPECT_EQ(test::http_send(port, "POST", "/siting",
                            R"({"type":"comprehensive_center","k":1,"minutes":11})",
                            {{"Content-Type", "application/json"}})
                .status,
            400);
  const std::string landing = test::http_get(port, "/").body;
  EXPECT_NE(landing.find("\"https://planning.example.gov.cn/lc/collections\""), std::string::npos)
      << landing;
}

}  // namespace
}  // namespace lifecircle

namespace lifecircle {
namespace {

// api/openapi.yaml, as JSON.
nlohmann::ordered_json openapi() {
  std::ifstream in(std::string(LIFECIRCLE_SOURCE_DIR) + "/api/openapi.yaml");
  std::stringstream s;
  s << in.rdbuf();
  return server::yaml_to_json(s.str());
}

void expect_range(const nlohmann::ordered_json& schema, const Range& r, const std::string& what) {
  EXPECT_EQ(schema.value("minimum", -1.0), r.min) << what;
  EXPECT_EQ(schema.value("maximum", -1.0), r.max) << what;
}

TEST(OpenApiDocument, StatesTheConfiguredBoundsAndTheCatalogue) {
  const auto doc = openapi();
  const ServerOptions defaults;
  // Every operation's minutes/speed/detour/limit/offset, wherever the document defines them.
  std::map<std::string, int> seen;
  for (const auto& [path, ops] : doc["paths"].items())
    for (const auto& [method, op] : ops.items()) {
      if (!op.is_object() || !op.contains("parameters")) continue;
      for (auto p : op["parameters"]) {
        if (p.contains("$ref")) {
          const std::string ref = p["$ref"];
          p = doc["components"]["parameters"][ref.substr(ref.rfind('/') + 1)];
        }
        const std::string name = p["name"], what = method + " " + path + " " + name;
        const auto& schema = p["schema"];
        if (path == "/map") continue;  // the page's own state, passed on to the API as typed
        if (name == "minutes") expect_range(schema, defaults.overrides.minutes, what);
        if (name == "speed") expect_range(schema, defaults.overrides.speed_m_s, what);
        if (name == "detour") expect_range(schema, defaults.overrides.detour_factor, what);
        if (name == "limit") {
          EXPECT_EQ(schema["maximum"], defaults.paging.max_limit) << what;
          EXPECT_EQ(schema["default"], defaults.paging.default_limit) << what;
        }
        if (name == "offset") {
          EXPECT_EQ(schema["maximum"], defaults.paging.max_offset) << what;
        }
        if (name == "mode") {
          EXPECT_EQ(schema["enum"], nlohmann::ordered_json(kModes)) << what;
        }
        ++seen[name];
      }
    }
  EXPECT_GE(seen["minutes"], 7);  // coverage, gaps, service areas, standards, 3 indicators
  EXPECT_GE(seen["detour"], 8);
  EXPECT_GE(seen["limit"], 1);
  EXPECT_GE(seen["offset"], 1);
  // The JSON bodies of POST /siting and /scenarios state the same bounds.
  for (const char* path : {"/siting", "/scenarios"}) {
    const auto& body =
        doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"];
    const auto& props =
        body.contains("properties") ? body["properties"] : body["oneOf"][0]["properties"];
    expect_range(props["minutes"], defaults.overrides.minutes, std::string(path) + " minutes");
    expect_range(props["speed"], defaults.overrides.speed_m_s, std::string(path) + " speed");
    expect_range(props["detour"], defaults.overrides.detour_factor, std::string(path) + " detour");
    EXPECT_EQ(props["mode"]["enum"], nlohmann::ordered_json(kModes)) << path;
  }
  // The problem codes and reasons are the catalogue's, no more and no fewer.
  const auto& problem = doc["components"]["schemas"]["Problem"]["properties"];
  std::set<std::string> codes, reasons;
  for (const ErrorInfo& e : kErrorCatalogue) {
    codes.emplace(e.problem);
    reasons.emplace(e.reason);
  }
  EXPECT_EQ(problem["code"]["enum"].get<std::set<std::string>>(), codes);
  EXPECT_EQ(problem["reason"]["enum"].get<std::set<std::string>>(), reasons);
}

}  // namespace
}  // namespace lifecircle
