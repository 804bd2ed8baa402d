// yaml_to_json on documents whose JSON is known by reading them: the scalar types of the YAML
// 1.2 core schema, quoting, flow style, anchors and aliases, and errors that name the line.
#include "server/openapi_document.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace lifecircle::server {
namespace {

using nlohmann::ordered_json;

TEST(YamlToJson, PlainScalarsResolveToJsonTypesAndQuotedOnesStayStrings) {
  const ordered_json j = yaml_to_json(
      "int: 42\nneg: -7\nreal: 0.5\nexp: 1e3\nyes_word: yes\nt: true\nf: false\nnul: null\n"
      "tilde: ~\nempty:\nquoted_int: '200'\nquoted_bool: \"true\"\ntext: plain words\n"
      "inf: .inf\nversion: 3.0.3\n");
  EXPECT_EQ(j["int"], 42);
  EXPECT_TRUE(j["int"].is_number_integer());
  EXPECT_EQ(j["neg"], -7);
  EXPECT_DOUBLE_EQ(j["real"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(j["exp"].get<double>(), 1000.0);
  EXPECT_EQ(j["yes_word"], "yes");  // YAML 1.1's boolean `yes` is a string in 1.2
  EXPECT_EQ(j["t"], true);
  EXPECT_EQ(j["f"], false);
  EXPECT_TRUE(j["nul"].is_null());
  EXPECT_TRUE(j["tilde"].is_null());
  EXPECT_TRUE(j["empty"].is_null());
  EXPECT_EQ(j["quoted_int"], "200");
  EXPECT_EQ(j["quoted_bool"], "true");
  EXPECT_EQ(j["text"], "plain words");
  EXPECT_TRUE(std::isinf(j["inf"].get<double>()));
  EXPECT_EQ(j["version"], "3.0.3");
}

TEST(YamlToJson, KeysKeepTheirOrderAndNumericKeysBecomeStrings) {
  const ordered_json j = yaml_to_json("zeta: 1\nalpha: 2\n200: ok\n");
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"zeta", "alpha", "200"}));
  EXPECT_EQ(j["200"], "ok");
}

TEST(YamlToJson, FlowStyleBlockScalarsAndAliases) {
  const ordered_json j = yaml_to_json(
      "list: [a, 1, {k: v, n: 2}]\n"
      "text: |\n  line one\n  line two\n"
      "base: &shared\n  - x\n  - y\n"
      "copy: *shared\n");
  EXPECT_EQ(j["list"], ordered_json::parse(R"(["a", 1, {"k": "v", "n": 2}])"));
  EXPECT_EQ(j["text"], "line one\nline two\n");
  EXPECT_EQ(j["copy"], ordered_json::parse(R"(["x", "y"])"));
  EXPECT_EQ(j["base"], j["copy"]);
}

TEST(YamlToJson, SyntaxErrorsAndDuplicateKeysNameTheLine) {
  try {
    yaml_to_json("a: 1\nb: [unclosed\nc: 2\n");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("line"), std::string::npos) << e.what();
  }
  try {
    yaml_to_json("a: 1\nb: 2\na: 3\n");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("duplicate YAML key 'a', line 3"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace lifecircle::server
