// Bad input over HTTP, table-driven from api/openapi.yaml: for every operation and every
// parameter the document lists, values of the wrong type, out of range, NaN/inf, huge, empty,
// a few kilobytes long, and the parameter given twice; for the JSON bodies, malformed documents
// and members of the wrong type. Every answer must be a JSON problem document with a 4xx status
// and a code and reason from the error catalogue, never a 5xx, never a leak of the server's
// internals, and the process must answer /health afterwards. (Raw-protocol abuse is
// protocol_test.cpp's.)
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "lifecircle/errors.hpp"
#include "lifecircle/server.hpp"
#include "planning/world.hpp"
#include "server/http_client.hpp"
#include "server/openapi_document.hpp"
#include "support/served_dataset.hpp"
#include "support/temp_dir.hpp"

namespace lifecircle {
namespace {

using nlohmann::ordered_json;
using test::HttpResponse;

struct Probe {
  std::string method, target, body;
  std::string why;           // what the row tries
  std::string reason;        // the expected catalogue reason; empty: any 4xx one
  bool may_succeed = false;  // a free-text value that a route may well accept
};

ordered_json openapi() {
  std::ifstream in(std::string(LIFECIRCLE_SOURCE_DIR) + "/api/openapi.yaml");
  std::stringstream s;
  s << in.rdbuf();
  return server::yaml_to_json(s.str());
}

const ordered_json& resolve(const ordered_json& doc, const ordered_json& p) {
  if (!p.contains("$ref")) return p;
  const std::string ref = p["$ref"];
  return doc["components"]["parameters"][ref.substr(ref.rfind('/') + 1)];
}

std::string encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ',')
      out.push_back(static_cast<char>(c));
    else
      out += std::string("%") + hex[c >> 4] + hex[c & 15];
  }
  return out;
}

// A value the parameter accepts, for the repeated-parameter rows.
std::string good_value(const std::string& name, const ordered_json& schema) {
  if (schema.contains("enum")) return schema["enum"][0].get<std::string>();
  if (schema.contains("default") && !schema["default"].is_null()) {
    const auto& d = schema["default"];
    return d.is_string() ? d.get<std::string>() : d.dump();
  }
  if (name == "bbox") return "120,30,123,32";
  if (name == "district" || name == "district_code") return "310101";
  if (name == "street_code") return "310101001";
  if (name == "minutes") return "15";
  if (name == "speed") return "1";
  if (name == "detour") return "1.2";
  if (name == "type") return "comprehensive_center";
  if (name == "status") return "open";
  return "x";
}

// Values certainly wrong for a parameter of this schema.
std::vector<std::pair<std::string, std::string>> bad_values(const ordered_json& schema) {
  const std::string type = schema.value("type", "string");
  const std::string long_text(4096, 'z');
  std::vector<std::pair<std::string, std::string>> v = {{"", "empty"}};
  if (type == "number" || type == "integer") {
    for (const char* x : {"abc", "nan", "NaN", "inf", "-inf", "1e400", "-1e400", "0x10", "1,5",
                          " 1", "+1", "1e", "--1"})
      v.emplace_back(x, std::string("not a number: ") + x);
    v.emplace_back(std::string(400, '9'), "a 400-digit number");
    v.emplace_back(long_text, "4 KB of text");
    if (schema.contains("minimum"))
      v.emplace_back(ordered_json(schema["minimum"].get<double>() - 1).dump(), "below the minimum");
    if (schema.contains("maximum"))
      v.emplace_back(ordered_json(schema["maximum"].get<double>() + 1).dump(), "above the maximum");
    if (type == "integer") v.emplace_back("1.5", "not whole");
  } else if (type == "boolean") {
    for (const char* x : {"yes", "1", "TRUE", "nan"})
      v.emplace_back(x, std::string("not a boolean: ") + x);
  } else if (schema.contains("enum")) {
    v.emplace_back("bogus", "not in the enum");
    v.emplace_back(long_text, "4 KB of text");
    v.emplace_back("\xff\xfe", "invalid UTF-8");
  } else if (type == "array") {  // bbox
    for (const char* x : {"1,2,3", "a,b,c,d", "nan,0,1,1", "0,0,inf,1", "1e400,0,1,1",
                          "121,31,122,95", "122,31,121,32", "1,2,3,4,5,6"})
      v.emplace_back(x, std::string("bad box: ") + x);
    v.emplace_back(long_text, "4 KB of text");
  }
  return v;
}

class BadInput : public ::testing::Test {
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

  // Checks one answer; returns false (and reports) when it is not as it must be.
  static void check(const Probe& p, const HttpResponse& r, const std::set<std::string>& codes,
                    const std::set<std::string>& reasons) {
    const std::string where = p.method + " " + p.target.substr(0, 160) + " (" + p.why + ")";
    EXPECT_LT(r.status, 500) << where << "\n" << r.body.substr(0, 300);
    if (p.may_succeed && r.status < 400) return;
    EXPECT_GE(r.status, 400) << where << "\n" << r.body.substr(0, 300);
    EXPECT_EQ(r.header("content-type"), "application/problem+json") << where;
    ordered_json j;
    try {
      j = ordered_json::parse(r.body);
    } catch (const std::exception&) {
      ADD_FAILURE() << where << ": not JSON: " << r.body.substr(0, 200);
      return;
    }
    EXPECT_EQ(j.value("status", 0), r.status) << where;
    EXPECT_TRUE(codes.count(j.value("code", ""))) << where << ": code " << j.value("code", "");
    EXPECT_TRUE(reasons.count(j.value("reason", "")))
        << where << ": reason " << j.value("reason", "");
    if (!p.reason.empty()) {
      EXPECT_EQ(j.value("reason", ""), p.reason) << where;
    }
    // Nothing of the machine or of another library's messages.
    for (const char* leak : {"/work/", "/usr/", ".cpp", "json.exception", "basic_string",
                             "std::", "terminate", "what()", "Segmentation"})
      EXPECT_EQ(r.body.find(leak), std::string::npos) << where << ": leaks '" << leak << "'";
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline std::unique_ptr<test::ServedDataset> served_;
  static inline std::uint16_t port_ = 0;
};

// Query parameters each route needs to be valid at all, so a row tests only its own value.
std::string base_query(const std::string& path) {
  if (path == "/coverage" || path == "/coverage/gaps" || path == "/service-areas")
    return "family=eldercare";
  return "";
}

TEST_F(BadInput, EveryDocumentedParameterRefusesBadValues) {
  const ordered_json doc = openapi();
  // A stored scenario, so /scenarios/{scenarioId} has a real id to stand beside bad ones.
  const HttpResponse created =
      test::http_send(port_, "POST", "/scenarios",
                      R"({"family":"eldercare","changes":[{"op":"remove","id":"cc-a"}]})",
                      {{"Content-Type", "application/json"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::map<std::string, std::string> path_values = {
      {"collectionId", "facilities"},
      {"featureId", "cc-a"},
      {"scenarioId", ordered_json::parse(created.body)["id"]},
      {"file", "app.js"}};

  std::set<std::string> codes, reasons;
  for (const ErrorInfo& e : kErrorCatalogue) codes.emplace(e.problem), reasons.emplace(e.reason);

  std::vector<Probe> probes;
  std::size_t operations = 0;
  for (const auto& [path, ops] : doc["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      if (method != "get") continue;  // POST bodies below
      ++operations;
      std::vector<ordered_json> params;
      for (const auto& p : op.value("parameters", ordered_json::array()))
        params.push_back(resolve(doc, p));
      // The path with every path parameter valid.
      auto path_with = [&](const std::string& name, const std::string& value) {
        std::string t = path;
        for (const auto& [n, v] : path_values) {
          const std::string key = "{" + n + "}";
          const auto at = t.find(key);
          if (at != std::string::npos) t.replace(at, key.size(), n == name ? value : encode(v));
        }
        return t;
      };
      const std::string base = base_query(path);
      auto target = [&](const std::string& query) {
        const std::string q = base.empty() ? query : query.empty() ? base : base + "&" + query;
        return path_with("", "") + (q.empty() ? "" : "?" + q);
      };
      // Static files ignore query strings, as caches' "?v=2" expects; every other route refuses
      // a parameter it does not take.
      if (path != "/map/{file}")
        probes.push_back(
            {"GET", target("no_such_parameter=1"), "", "unknown parameter", "unknown_parameter"});
      for (const ordered_json& p : params) {
        const std::string name = p["name"];
        const ordered_json schema = p.value("schema", ordered_json::object());
        if (p["in"] == "path") {
          for (const std::string& v : {std::string(4096, 'q'), std::string("%2e%2e"),
                                       std::string("..%2f..%2fetc%2fpasswd"), std::string("%00")})
            probes.push_back(
                {"GET", path_with(name, v), "", "path " + name + " = " + v.substr(0, 20), ""});
          continue;
        }
        // Free text a route may accept (a search, a profile name): only "never a 5xx".
        const bool free_text =
            schema.value("type", "string") == "string" && !schema.contains("enum");
        for (const auto& [value, why] : bad_values(schema))
          probes.push_back({"GET", target(name + "=" + encode(value)), "", name + ": " + why, "",
                            free_text && !value.empty()});
        if (free_text)
          probes.push_back({"GET", target(name + "=" + std::string(4096, 'z')), "",
                            name + ": 4 KB of text", "", true});
        const std::string good = encode(good_value(name, schema));
        // Items parameters are per collection; `kind` is a filter of the units, not facilities.
        std::string twice = target(name + "=" + good + "&" + name + "=" + good);
        if (name == "kind") twice.replace(twice.find("facilities"), 10, "streets_towns");
        if (base.find(name + "=") == std::string::npos)
          probes.push_back({"GET", twice, "", name + " given twice", "repeated_parameter"});
      }
    }
  }
  ASSERT_GE(operations, 20u);  // the document lists every GET route

  // JSON bodies: malformed documents, and every member of the wrong type.
  for (const char* path : {"/siting", "/scenarios"}) {
    const auto& schema =
        doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"];
    const std::string deep = std::string(5000, '[') + std::string(5000, ']');
    for (const std::string& body :
         {std::string("{"), std::string("null"), std::string("1e400"), std::string("\"text\""),
          std::string("{\"a\":1}"), std::string("{\"k\":1e400}"),
          std::string("{\"k\":") + std::string(300, '9') + "}", deep, std::string("\xff\xfe"),
          std::string("{\"type\":\"") + std::string(5000, 'z') + "\"}"})
      probes.push_back({"POST", path, body, "body " + body.substr(0, 24), ""});
    // A bare array is a scenario's list of changes (an empty one is a valid no-op), not a siting
    // request.
    probes.push_back({"POST", "/siting", "[]", "body []", "invalid_parameter"});
    for (const auto& [member, s] : schema["properties"].items()) {
      const std::string type = s.value("type", "");
      std::vector<std::string> wrong = {"{}", "[[]]", "1e400"};
      if (type != "string") wrong.push_back("\"x\"");
      if (type != "number" && type != "integer") wrong.push_back("7");
      if (type == "number" || type == "integer") wrong.push_back("-1e308");
      // A valid body for the rest, so the row tests this member alone.
      const std::vector<std::pair<std::string, std::string>> valid =
          std::string(path) == "/siting"
              ? std::vector<std::pair<std::string, std::string>>{{"type",
                                                                  "\"comprehensive_center\""},
                                                                 {"k", "1"}}
              : std::vector<std::pair<std::string, std::string>>{{"changes", "[]"}};
      for (const std::string& w : wrong) {
        std::string body = "{\"" + member + "\":" + w;
        for (const auto& [k, v] : valid)
          if (k != member) body += ",\"" + k + "\":" + v;
        probes.push_back({"POST", path, body + "}", member + " = " + w, ""});
      }
    }
  }

  for (const Probe& p : probes) {
    const HttpResponse r = test::http_send(
        port_, p.method, p.target, p.body,
        p.method == "POST"
            ? std::vector<std::pair<std::string, std::string>>{{"Content-Type", "application/json"}}
            : std::vector<std::pair<std::string, std::string>>{});
    check(p, r, codes, reasons);
  }
  std::printf("bad-input probes: %zu over %zu GET operations and 2 POST bodies\n", probes.size(),
              operations);
  // Still alive and answering.
  EXPECT_EQ(test::http_get(port_, "/health").status, 200);
}

}  // namespace
}  // namespace lifecircle
