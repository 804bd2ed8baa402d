// POST /siting, POST /scenarios and GET /scenarios/{id} end to end: the real server on an
// ephemeral port, real HTTP over a loopback socket, the three-cluster world of world.hpp.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "lifecircle/planning.hpp"
#include "lifecircle/server.hpp"
#include "planning/world.hpp"
#include "server/http_client.hpp"
#include "support/served_dataset.hpp"
#include "support/temp_dir.hpp"

namespace lifecircle {
namespace {

using nlohmann::json;
using namespace planning_test;
using test::HttpResponse;

HttpResponse post(std::uint16_t port, const std::string& target, const std::string& body) {
  test::Socket sock(port);
  sock.send_all("POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                "\r\nContent-Type: application/json\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
  std::string buffer;
  return test::read_response(sock, buffer);
}

json point(double dx, double dy, json props) {
  const LonLat p = lonlat(dx, dy);
  return {{"type", "Feature"},
          {"properties", std::move(props)},
          {"geometry", {{"type", "Point"}, {"coordinates", {p.lon, p.lat}}}}};
}

// The candidates of planning_test.cpp: B's and C's centres, and one reaching nothing.
json candidates() {
  return {{"type", "FeatureCollection"},
          {"features",
           {point(3000, 1000, {{"id", "c-b"}}), point(5000, 1000, {{"id", "c-c"}}),
            point(4000, 1000, {{"id", "c-mid"}})}}};
}

class PlanningHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    DatasetContent c = three_clusters();
    c.info.standards_path = dir_->write("standards.json", fixtures::standards_json(300).dump());
    ServerOptions o = test::ServedDataset::quiet();
    o.planning.max_grid_candidates = 2000;  // 6 km x 2 km: a 100 m grid (1200) passes, 50 m not
    o.planning.max_time_limit_s = 10;
    served_ = std::make_unique<test::ServedDataset>(std::move(c), o);
    port_ = served_->port();
  }
  static void TearDownTestSuite() {
    served_.reset();
    delete dir_;
  }

  static json problem(const HttpResponse& r, int status) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
    return json::parse(r.body);
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline std::unique_ptr<test::ServedDataset> served_;
  static inline std::uint16_t port_ = 0;
};

TEST_F(PlanningHttpTest, SitingAnswersTheBestSiteWithItsGains) {
  const json body = {{"family", "eldercare"},
                     {"type", "comprehensive_center"},
                     {"k", 1},
                     {"weight", "60plus"},
                     {"candidates", candidates()}};
  const HttpResponse r = post(port_, "/siting", body.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  const json j = json::parse(r.body);
  ASSERT_EQ(j["sites"]["type"], "FeatureCollection");
  ASSERT_EQ(j["sites"]["features"].size(), 1u);
  const json& s = j["sites"]["features"][0]["properties"];
  EXPECT_EQ(s["candidate_id"], "c-b");
  EXPECT_EQ(s["rank"], 1);
  EXPECT_DOUBLE_EQ(s["new_residents_60plus"].get<double>(), 250);
  EXPECT_DOUBLE_EQ(s["new_residents"].get<double>(), 1000);
  EXPECT_EQ(s["district_code"], "310101");
  EXPECT_EQ(s["street_code"], "310101001");
  EXPECT_DOUBLE_EQ(j["coverage"]["city"]["covered_before_60plus"].get<double>(), 150);
  EXPECT_DOUBLE_EQ(j["coverage"]["city"]["covered_after_60plus"].get<double>(), 400);
  EXPECT_EQ(j["solver"]["method"], "greedy+swap");
}

TEST_F(PlanningHttpTest, ExactSitingReportsAProvenGapAndACappedTimeLimit) {
  const json body = {{"type", "comprehensive_center"},
                     {"k", 1},
                     {"method", "exact"},
                     {"time_limit_s", 3600},
                     {"candidates", candidates()}};
  const HttpResponse r = post(port_, "/siting", body.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  const json j = json::parse(r.body);
  // B's centre reaches the most (250 aged) and no site can add more: proven without CBC.
  EXPECT_EQ(j["solver"]["method"], "greedy+swap");
  EXPECT_DOUBLE_EQ(j["solver"]["bound"].get<double>(), 250);
  EXPECT_EQ(j["solver"]["optimal"], true);
  EXPECT_DOUBLE_EQ(j["solver"]["gap"].get<double>(), 0);
  EXPECT_DOUBLE_EQ(j["solver"]["time_limit_s"].get<double>(), 10);
  EXPECT_EQ(j["solver"]["time_limit_capped"], true);
}

TEST_F(PlanningHttpTest, RequiredSitesAreAcceptedAndMarked) {
  const json body = {
      {"type", "comprehensive_center"},
      {"k", 2},
      {"candidates", candidates()},
      {"required",
       {{"type", "FeatureCollection"}, {"features", {point(5000, 1000, {{"id", "decided"}})}}}}};
  const HttpResponse r = post(port_, "/siting", body.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  const json j = json::parse(r.body);
  const json& f = j["sites"]["features"];
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0]["properties"]["candidate_id"], "decided");
  EXPECT_EQ(f[0]["properties"]["required"], true);
  EXPECT_EQ(f[1]["properties"]["candidate_id"], "c-b");
  EXPECT_EQ(f[1]["properties"]["required"], false);
  EXPECT_EQ(j["candidates"]["required"], 1);
  EXPECT_DOUBLE_EQ(j["coverage"]["city"]["covered_after_60plus"].get<double>(), 500);
  // The GeoJSON form carries the same sites, property by property.
  const HttpResponse g = post(port_, "/siting?f=geojson", body.dump());
  ASSERT_EQ(g.status, 200) << g.body;
  EXPECT_EQ(json::parse(g.body), j["sites"]);
}

TEST_F(PlanningHttpTest, GeoJsonFormatReturnsOnlyTheSites) {
  const json body = {{"type", "comprehensive_center"}, {"k", 2}, {"candidates", candidates()}};
  const HttpResponse r = post(port_, "/siting?f=geojson", body.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/geo+json");
  const json j = json::parse(r.body);
  EXPECT_EQ(j["type"], "FeatureCollection");
  ASSERT_EQ(j["features"].size(), 2u);
  EXPECT_EQ(j["features"][1]["properties"]["candidate_id"], "c-c");
  EXPECT_EQ(j["features"][0]["geometry"]["type"], "Point");
}

TEST_F(PlanningHttpTest, BadBodiesAre400ProblemsNamingTheField) {
  json p = problem(post(port_, "/siting", "{not json"), 400);
  EXPECT_EQ(p["code"], "InvalidParameter");
  EXPECT_EQ(p["field"], "body");
  p = problem(post(port_, "/siting", R"({"type":"comprehensive_center","k":"ten"})"), 400);
  EXPECT_EQ(p["field"], "k");
  p = problem(post(port_, "/siting", R"({"type":"comprehensive_center","k":1,"wieght":"60plus"})"),
              400);
  EXPECT_EQ(p["field"], "wieght");
  p = problem(post(port_, "/siting", R"({"type":"comprehensive_center","k":1,"district":"1"})"),
              400);
  EXPECT_EQ(p["field"], "district");
  p = problem(post(port_, "/siting", R"({"type":"comprehensive_center","k":1,"profile":"zz"})"),
              400);
  EXPECT_EQ(p["field"], "profile");
  p = problem(post(port_, "/siting", ""), 400);
  EXPECT_EQ(p["field"], "body");
}

TEST_F(PlanningHttpTest, TooLargeAndInfeasibleRequestsAre413And422) {
  json p =
      problem(post(port_, "/siting", R"({"type":"comprehensive_center","k":1,"grid_m":50})"), 413);
  EXPECT_EQ(p["code"], "RequestTooLarge");
  EXPECT_EQ(p["reason"], "too_large");
  EXPECT_EQ(p["field"], "grid_m");
  // Only B's centre as candidate: A + B reach 400 of 500 aged residents, not 100%.
  const json body = {
      {"type", "comprehensive_center"},
      {"target", 1.0},
      {"candidates", {{"type", "FeatureCollection"}, {"features", {point(3000, 1000, {})}}}}};
  p = problem(post(port_, "/siting", body.dump()), 422);
  EXPECT_EQ(p["code"], "TargetUnreachable");
  EXPECT_EQ(p["reason"], "target_unreachable");
  EXPECT_EQ(p["field"], "target");
  // A 100 m grid is within the configured limit.
  EXPECT_EQ(post(port_, "/siting", R"({"type":"comprehensive_center","k":1,"grid_m":100})").status,
            200);
}

TEST_F(PlanningHttpTest, ScenariosAreStoredAndFetchableWhileTheVersionLasts) {
  const std::string body = R"({"family":"eldercare","changes":[{"op":"remove","id":"cc-a"}]})";
  const HttpResponse created = post(port_, "/scenarios", body);
  ASSERT_EQ(created.status, 201) << created.body;
  const json j = json::parse(created.body);
  const std::string id = j["id"];
  EXPECT_EQ(created.header("location"), "/scenarios/" + id);
  // Cluster A (500 residents, 150 aged) loses its only center.
  const json& city = j["coverage"][0]["city"];
  EXPECT_DOUBLE_EQ(city["covered_before"].get<double>(), 500);
  EXPECT_DOUBLE_EQ(city["covered_after"].get<double>(), 0);
  EXPECT_DOUBLE_EQ(city["covered_60plus_delta"].get<double>(), -150);

  const HttpResponse again = test::http_get(port_, "/scenarios/" + id);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(json::parse(again.body), j);
  // The registry is unchanged: the facility is still served.
  EXPECT_EQ(test::http_get(port_, "/collections/facilities/items/cc-a").status, 200);

  json p = problem(test::http_get(port_, "/scenarios/s0000000000000000"), 404);
  EXPECT_EQ(p["code"], "NotFound");
  p = problem(post(port_, "/scenarios", R"({"changes":[{"op":"remove","id":"nope"}]})"), 400);
  EXPECT_EQ(p["field"], "changes[0].id");
  EXPECT_EQ(p["reason"], "unknown_facility");

  // A new dataset version is published: the stored result is gone.
  DatasetContent next = served_->store().current()->content();
  next.info.version += 1;
  served_->store().publish(std::make_shared<const Dataset>(std::move(next)));
  problem(test::http_get(port_, "/scenarios/" + id), 404);
  // Posting again computes it on the new version, under a new id.
  const HttpResponse fresh = post(port_, "/scenarios", body);
  ASSERT_EQ(fresh.status, 201);
  EXPECT_NE(json::parse(fresh.body)["id"], id);
}

}  // namespace
}  // namespace lifecircle
