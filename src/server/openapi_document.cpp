#include "openapi_document.hpp"

#include <yaml.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <memory>
#include <regex>
#include <stdexcept>

namespace lifecircle::server {

namespace {

using nlohmann::ordered_json;

// YAML 1.2 core schema resolution of a plain (unquoted) scalar.
ordered_json plain_scalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  static const std::regex integer("[-+]?[0-9]+");
  static const std::regex real(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (std::regex_match(s, integer)) {
    long long v = 0;
    const char* begin = s.data() + (s[0] == '+' ? 1 : 0);
    const auto r = std::from_chars(begin, s.data() + s.size(), v);
    if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return v;
    return std::stod(s);  // out of 64-bit range: keep it as a number
  }
  if (std::regex_match(s, real)) return std::stod(s);
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf")
    return std::numeric_limits<double>::infinity();
  if (s == "-.inf" || s == "-.Inf" || s == "-.INF") return -std::numeric_limits<double>::infinity();
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return std::numeric_limits<double>::quiet_NaN();
  return s;
}

ordered_json convert(yaml_document_t& doc, yaml_node_t* node, int depth) {
  // Aliases share nodes, so a cycle (an anchor inside its own alias) would recurse forever.
  if (!node || depth > 200) throw std::runtime_error("YAML nesting too deep or alias cycle");
  switch (node->type) {
    case YAML_SCALAR_NODE: {
      std::string value(reinterpret_cast<const char*>(node->data.scalar.value),
                        node->data.scalar.length);
      if (node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) return plain_scalar(value);
      return value;
    }
    case YAML_SEQUENCE_NODE: {
      ordered_json a = ordered_json::array();
      for (yaml_node_item_t* i = node->data.sequence.items.start; i < node->data.sequence.items.top;
           ++i)
        a.push_back(convert(doc, yaml_document_get_node(&doc, *i), depth + 1));
      return a;
    }
    case YAML_MAPPING_NODE: {
      ordered_json o = ordered_json::object();
      for (yaml_node_pair_t* p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top;
           ++p) {
        yaml_node_t* key = yaml_document_get_node(&doc, p->key);
        if (!key || key->type != YAML_SCALAR_NODE)
          throw std::runtime_error("YAML mapping key that is not a scalar, line " +
                                   std::to_string(key ? key->start_mark.line + 1 : 0));
        // JSON keys are strings: a plain `200:` key is the string "200".
        std::string name(reinterpret_cast<const char*>(key->data.scalar.value),
                         key->data.scalar.length);
        if (o.contains(name))
          throw std::runtime_error("duplicate YAML key '" + name + "', line " +
                                   std::to_string(key->start_mark.line + 1));
        o[name] = convert(doc, yaml_document_get_node(&doc, p->value), depth + 1);
      }
      return o;
    }
    default:
      return nullptr;
  }
}

}  // namespace

ordered_json yaml_to_json(std::string_view yaml) {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) throw std::runtime_error("cannot initialise libyaml");
  std::unique_ptr<yaml_parser_t, void (*)(yaml_parser_t*)> parser_owner(&parser,
                                                                        yaml_parser_delete);
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(yaml.data()),
                               yaml.size());
  yaml_document_t doc;
  if (!yaml_parser_load(&parser, &doc))
    throw std::runtime_error(std::string("YAML syntax error: ") +
                             (parser.problem ? parser.problem : "unknown") + ", line " +
                             std::to_string(parser.problem_mark.line + 1));
  std::unique_ptr<yaml_document_t, void (*)(yaml_document_t*)> doc_owner(&doc,
                                                                         yaml_document_delete);
  yaml_node_t* root = yaml_document_get_root_node(&doc);
  if (!root) return nullptr;
  return convert(doc, root, 0);
}

}  // namespace lifecircle::server
