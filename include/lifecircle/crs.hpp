// Coordinate reference systems: the Chinese web-map offsets (GCJ-02, BD-09) that PROJ cannot
// do, and a metric projection through PROJ for every distance and area the service computes.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "lifecircle/coords.hpp"

namespace lifecircle {

// Published closed-form GCJ-02 obfuscation (the "Mars" offset) applied to WGS84 input.
// Outside mainland China the offset is not applied, as the published formula does.
LonLat wgs84_to_gcj02(LonLat p);
// Inverse by fixed-point iteration of the forward formula; converges to well below 0.5 m.
LonLat gcj02_to_wgs84(LonLat p);
// Baidu's BD-09, defined as a further rotation/scaling of GCJ-02.
LonLat gcj02_to_bd09(LonLat p);
LonLat bd09_to_gcj02(LonLat p);
LonLat wgs84_to_bd09(LonLat p);
LonLat bd09_to_wgs84(LonLat p);

// Great-circle distance in metres (WGS84 mean radius); used for tests and sanity checks.
double haversine_m(LonLat a, LonLat b);

// Which CRS a layer's coordinates are in. GCJ-02 and BD-09 are handled here; anything else
// is an authority code or definition PROJ understands (e.g. "EPSG:4326").
struct CrsSpec {
  enum class Kind { wgs84, gcj02, bd09, proj };
  Kind kind = Kind::wgs84;
  std::string definition;  // for Kind::proj

  // Accepts "WGS84", "EPSG:4326", "OGC:CRS84", "GCJ-02"/"GCJ02", "BD-09"/"BD09" or any PROJ
  // string. Returns std::nullopt for a blank string.
  static std::optional<CrsSpec> parse(std::string_view text);
  std::string name() const;
};

// Converts coordinates of one CRS to WGS84 longitude/latitude. Not thread-safe (owns a PJ):
// create one per thread.
class ToWgs84 {
 public:
  // Throws std::runtime_error naming the CRS when PROJ cannot build the transformation.
  explicit ToWgs84(const CrsSpec& from);
  ~ToWgs84();
  ToWgs84(const ToWgs84&) = delete;
  ToWgs84& operator=(const ToWgs84&) = delete;
  ToWgs84(ToWgs84&&) noexcept;
  ToWgs84& operator=(ToWgs84&&) noexcept;

  // x/y in the source CRS's traditional GIS order (easting/longitude first).
  LonLat operator()(double x, double y) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// WGS84 <-> the metric CRS used for computation. Not thread-safe: one per thread, or guard it.
class MetricProjection {
 public:
  // `metric_crs` such as "EPSG:32651". Throws std::runtime_error when PROJ cannot build it.
  explicit MetricProjection(const std::string& metric_crs = "EPSG:32651");
  ~MetricProjection();
  MetricProjection(const MetricProjection&) = delete;
  MetricProjection& operator=(const MetricProjection&) = delete;
  MetricProjection(MetricProjection&&) noexcept;
  MetricProjection& operator=(MetricProjection&&) noexcept;

  XY forward(LonLat p) const;
  LonLat inverse(XY p) const;
  const std::string& crs() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The datums a client may ask for in served coordinates (OGC API Part 2 `crs` parameter).
enum class OutputDatum { wgs84, gcj02, bd09 };
LonLat to_output_datum(LonLat wgs84, OutputDatum d);
// A lon/lat box given in datum `d` (a `bbox-crs`) as the WGS84 box that covers it: the envelope
// of its four corners converted back, since the datum shift varies slowly across a box.
BBox bbox_to_wgs84(const BBox& box, OutputDatum d);

}  // namespace lifecircle
