// Streaming JSON/GeoJSON output into one std::string. Feature collections are the hot path of
// the service (thousands of coordinates per response), so they skip building a DOM.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "lifecircle/crs.hpp"
#include "lifecircle/types.hpp"

namespace lifecircle::server {

// Appends `s` as a JSON string literal (quotes and escapes; UTF-8 passes through).
void append_string(std::string& out, std::string_view s);
// Shortest round-trip form; integers without a fraction; NaN/inf as null.
void append_number(std::string& out, double v);
// Fixed `decimals` with trailing zeros trimmed (coordinates: 7 decimals ~ 1 cm).
void append_fixed(std::string& out, double v, int decimals);

inline constexpr int kCoordinateDecimals = kServedCoordinateDecimals;

// Writes the members of a JSON object one by one, handling the commas.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_.push_back('{'); }
  ~ObjectWriter() { out_.push_back('}'); }
  ObjectWriter(const ObjectWriter&) = delete;
  ObjectWriter& operator=(const ObjectWriter&) = delete;

  // Starts a member and returns the buffer for its value.
  std::string& key(std::string_view k) {
    if (!first_) out_.push_back(',');
    first_ = false;
    append_string(out_, k);
    out_.push_back(':');
    return out_;
  }
  void str(std::string_view k, std::string_view v) { append_string(key(k), v); }
  // Empty strings are written as null: the registry uses "" for "unknown".
  void str_or_null(std::string_view k, std::string_view v) {
    if (v.empty())
      key(k) += "null";
    else
      str(k, v);
  }
  void num(std::string_view k, double v) { append_number(key(k), v); }
  void num(std::string_view k, const std::optional<double>& v) {
    if (v)
      num(k, *v);
    else
      key(k) += "null";
  }

 private:
  std::string& out_;
  bool first_ = true;
};

// GeoJSON geometries, converted to the requested output datum on the way out.
void append_point(std::string& out, LonLat p, OutputDatum d);
void append_multipolygon(std::string& out, const MultiPolygon& mp, OutputDatum d);

}  // namespace lifecircle::server
