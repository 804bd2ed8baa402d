#include "json_writer.hpp"

#include <charconv>
#include <cmath>

namespace lifecircle::server {

void append_string(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // start of the pending run of characters that need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 15]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void append_number(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[32];
  std::to_chars_result r;
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    r = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
  else
    r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void append_fixed(std::string& out, double v, int decimals) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[48];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  char* end = r.ptr;
  if (decimals > 0) {
    while (end[-1] == '0') --end;
    if (end[-1] == '.') --end;
  }
  // "-0" after rounding a tiny negative is valid JSON but odd; write 0.
  if (end - buf == 2 && buf[0] == '-' && buf[1] == '0') {
    out.push_back('0');
    return;
  }
  out.append(buf, end);
}

namespace {

inline void append_position(std::string& out, LonLat p, OutputDatum d) {
  if (d != OutputDatum::wgs84) p = to_output_datum(p, d);
  out.push_back('[');
  append_fixed(out, p.lon, kCoordinateDecimals);
  out.push_back(',');
  append_fixed(out, p.lat, kCoordinateDecimals);
  out.push_back(']');
}

}  // namespace

void append_point(std::string& out, LonLat p, OutputDatum d) {
  out += R"({"type":"Point","coordinates":)";
  append_position(out, p, d);
  out.push_back('}');
}

void append_multipolygon(std::string& out, const MultiPolygon& mp, OutputDatum d) {
  out += R"({"type":"MultiPolygon","coordinates":[)";
  for (std::size_t i = 0; i < mp.size(); ++i) {
    if (i) out.push_back(',');
    out.push_back('[');
    const auto& rings = mp[i].rings;
    for (std::size_t r = 0; r < rings.size(); ++r) {
      if (r) out.push_back(',');
      out.push_back('[');
      for (std::size_t k = 0; k < rings[r].size(); ++k) {
        if (k) out.push_back(',');
        append_position(out, rings[r][k], d);
      }
      out.push_back(']');
    }
    out.push_back(']');
  }
  out += "]}";
}

}  // namespace lifecircle::server
