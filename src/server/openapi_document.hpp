// The OpenAPI document as the service publishes it: api/openapi.yaml is the source (readable,
// reviewed), and clients get it as JSON by default because QGIS and GDAL read only JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace lifecircle::server {

// A YAML document (block or flow style, anchors and aliases) as JSON, with mapping order kept.
// Plain scalars resolve as in the YAML 1.2 core schema: null, true/false, integers, floats
// (.inf/.nan too), everything else a string; quoted scalars are always strings. Throws
// std::runtime_error naming the line of a syntax error.
nlohmann::ordered_json yaml_to_json(std::string_view yaml);

struct OpenApiDocument {
  std::string yaml;  // as written in api/openapi.yaml
  std::string json;  // the same document, converted once at start-up
};

}  // namespace lifecircle::server
