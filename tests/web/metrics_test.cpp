// /metrics and /map end to end: the real server on an ephemeral port, real HTTP. The expected
// counts are the requests this test itself sends.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "lifecircle/server.hpp"
#include "server/http_client.hpp"
#include "server/metrics.hpp"
#include "support/served_dataset.hpp"

namespace lifecircle {
namespace {

using test::http_get;
using test::http_request;
using test::HttpResponse;

DatasetContent make_content() {
  DatasetContent c;
  c.info.name = "metrics-test";
  c.info.title = "Metrics \"test\" city";  // a quote the exposition must escape
  c.info.version = 7;
  c.info.loaded_at = "2024-05-01T08:00:00Z";
  c.info.load_seconds = 0.25;
  AdminUnit d;
  d.code = "310101";
  d.name = "黄浦区";
  d.population = 662030;
  d.geometry = {
      Polygon{{{{121.4, 31.2}, {121.5, 31.2}, {121.5, 31.3}, {121.4, 31.3}, {121.4, 31.2}}}}};
  c.districts = {d};
  for (int i = 0; i < 3; ++i) {
    Facility f;
    f.id = "F" + std::to_string(i);
    f.name = "设施" + std::to_string(i);
    f.type = "comprehensive_center";
    f.district_code = "310101";
    f.pos = {121.42 + 0.01 * i, 31.25};
    c.facilities.push_back(f);
  }
  return c;
}

// "name{labels} value" lines of an exposition, keyed by everything before the value.
std::map<std::string, double> samples(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t space = line.rfind(' ');
    out[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return out;
}

class MetricsHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    served_ = std::make_unique<test::ServedDataset>(make_content());
    port_ = served_->port();
  }
  static void TearDownTestSuite() { served_.reset(); }
  static inline std::unique_ptr<test::ServedDataset> served_;
  static inline std::uint16_t port_ = 0;
};

TEST_F(MetricsHttpTest, CountsRequestsByRoutePatternAndStatus) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(http_get(port_, "/collections").status, 200);
  EXPECT_EQ(http_get(port_, "/collections/facilities/items/F1").status, 200);
  EXPECT_EQ(http_get(port_, "/collections/facilities/items/F2").status, 200);
  EXPECT_EQ(http_get(port_, "/collections/nope").status, 404);
  EXPECT_EQ(http_get(port_, "/collections/also-nope").status, 404);
  EXPECT_EQ(http_get(port_, "/collections?colour=red").status, 400);
  EXPECT_EQ(http_get(port_, "/no/such/path").status, 404);
  EXPECT_EQ(http_request(port_, "DELETE", "/collections").status, 405);

  const HttpResponse r = http_get(port_, "/metrics");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const auto s = samples(r.body);
  auto requests = [&](const std::string& method, const std::string& route, int status) {
    const std::string key = "lifecircle_http_requests_total{method=\"" + method + "\",route=\"" +
                            route + "\",status=\"" + std::to_string(status) + "\"}";
    auto it = s.find(key);
    return it == s.end() ? -1.0 : it->second;
  };
  EXPECT_EQ(requests("GET", "/collections", 200), 3);
  EXPECT_EQ(requests("GET", "/collections", 400), 1);
  // Feature ids collapse into the pattern: two different URLs, one series.
  EXPECT_EQ(requests("GET", "/collections/{collectionId}/items/{featureId}", 200), 2);
  EXPECT_EQ(requests("GET", "/collections/{collectionId}", 404), 2);
  EXPECT_EQ(requests("GET", "unmatched", 404), 1);
  EXPECT_EQ(requests("DELETE", "unmatched", 405), 1);
  // The /metrics request being answered is not in its own scrape: it is counted once answered.
  EXPECT_EQ(requests("GET", "/metrics", 200), -1);

  // One histogram per route; cumulative buckets end at the request count.
  const std::string h = "lifecircle_http_request_duration_seconds";
  EXPECT_EQ(s.at(h + "_count{route=\"/collections\"}"), 4);
  EXPECT_EQ(s.at(h + "_bucket{route=\"/collections\",le=\"+Inf\"}"), 4);
  double previous = 0;
  for (const double le : server::Metrics::kBuckets) {
    std::ostringstream key;
    key << h << "_bucket{route=\"/collections\",le=\"" << le << "\"}";
    ASSERT_TRUE(s.count(key.str())) << key.str() << "\n" << r.body;
    EXPECT_GE(s.at(key.str()), previous);
    previous = s.at(key.str());
  }
  EXPECT_GT(s.at(h + "_sum{route=\"/collections\"}"), 0);

  // Dataset gauges.
  EXPECT_EQ(s.at("lifecircle_dataset_version"), 7);
  EXPECT_EQ(s.at("lifecircle_dataset_load_seconds"), 0.25);
  EXPECT_EQ(s.at("lifecircle_dataset_loaded_timestamp_seconds"),
            1714550400);  // date -d 2024-05-01T08:00Z +%s
  EXPECT_EQ(s.at("lifecircle_dataset_features{collection=\"facilities\"}"), 3);
  EXPECT_EQ(s.at("lifecircle_dataset_features{collection=\"districts\"}"), 1);
  EXPECT_NE(r.body.find("title=\"Metrics \\\"test\\\" city\""), std::string::npos) << r.body;

  // The next scrape sees the previous one.
  const auto again = samples(http_get(port_, "/metrics").body);
  EXPECT_EQ(
      again.at("lifecircle_http_requests_total{method=\"GET\",route=\"/metrics\",status=\"200\"}"),
      1);
}

TEST(Metrics, BucketBoundsAreInclusive) {
  server::Metrics m;
  m.observe("GET", "/x", 200, 0.001);   // exactly on a bound: counted in le="0.001"
  m.observe("GET", "/x", 200, 0.0011);  // just above: next bucket
  m.observe("GET", "/x", 200, 10.0);    // beyond the last bound: only +Inf
  const auto s = samples(m.render(nullptr));
  const std::string b = "lifecircle_http_request_duration_seconds_bucket{route=\"/x\",le=\"";
  EXPECT_EQ(s.at(b + "0.0005\"}"), 0);
  EXPECT_EQ(s.at(b + "0.001\"}"), 1);
  EXPECT_EQ(s.at(b + "0.0025\"}"), 2);
  EXPECT_EQ(s.at(b + "2.5\"}"), 2);
  EXPECT_EQ(s.at(b + "+Inf\"}"), 3);
  EXPECT_DOUBLE_EQ(s.at("lifecircle_http_request_duration_seconds_sum{route=\"/x\"}"), 10.0021);
  EXPECT_EQ(m.count("GET", "/x", 200), 3u);
  EXPECT_EQ(m.count("GET", "", 404), 0u);
}

TEST_F(MetricsHttpTest, ServesTheMapPageAndOnlyItsAssets) {
  const HttpResponse page = http_get(port_, "/map");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("map/app.js"), std::string::npos);
  EXPECT_NE(page.body.find("map/vendor/leaflet/leaflet.js"), std::string::npos);
  EXPECT_EQ(page.body.find("http://"), std::string::npos) << "the page must not load from outside";
  EXPECT_EQ(page.body.find("https://"), std::string::npos) << "the page must not load from outside";

  const HttpResponse js = http_get(port_, "/map/app.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(http_get(port_, "/map/styles.css").header("content-type"), "text/css; charset=utf-8");

  // Trailing slash: one canonical URL, so the page's relative links resolve.
  const HttpResponse slash = http_get(port_, "/map/?lang=en");
  EXPECT_EQ(slash.status, 301);
  EXPECT_EQ(slash.header("location"), "/map?lang=en");

  // Nothing outside web/, no package files, no hidden files, no node_modules.
  EXPECT_EQ(http_get(port_, "/map/package.json").status, 404);
  EXPECT_EQ(http_get(port_, "/map/..%2F..%2FCMakeLists.txt").status, 404);
  EXPECT_EQ(http_get(port_, "/map/%2e%2e/README.md").status, 404);
  EXPECT_EQ(http_get(port_, "/map/.gitignore").status, 404);
  EXPECT_EQ(http_get(port_, "/map/node_modules/leaflet/package.json").status, 404);
  EXPECT_EQ(http_get(port_, "/map/node_modules/leaflet/dist/leaflet.js").status, 404);
  EXPECT_EQ(http_get(port_, "/map/missing.js").status, 404);
}

}  // namespace
}  // namespace lifecircle
