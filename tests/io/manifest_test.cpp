#include "lifecircle/manifest.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace lifecircle {
namespace {

using testing::TempDir;

TEST(Manifest, ResolvesRelativeSourcesAndReadsMappings) {
  TempDir dir;
  const auto path = dir.write("m/manifest.json", R"({
    "name": "t", "metric_crs": "EPSG:32651", "extent": [121, 31, 122, 32],
    "layers": {
      "districts": {"source": "d.geojson"},
      "facilities": [{"source": "f.csv", "crs": "GCJ-02", "x_field": "lon", "y_field": "lat",
                      "fields": {"name": "title"}, "defaults": {"family": "meal", "capacity": 150}},
                     {"source": "PG:dbname=x", "layer": "public.f"}]
    }})");
  const Manifest m = read_manifest(path);
  EXPECT_EQ(m.districts->path, (dir.path() / "m/d.geojson").string());
  ASSERT_EQ(m.facilities.size(), 2u);
  EXPECT_EQ(m.facilities[0].crs->kind, CrsSpec::Kind::gcj02);
  EXPECT_EQ(m.facilities[0].fields.at("name"), "title");
  EXPECT_EQ(m.facilities[0].defaults.at("capacity"), "150");
  EXPECT_EQ(m.facilities[1].path, "PG:dbname=x");  // connection strings pass through
  EXPECT_DOUBLE_EQ(m.extent.max_y, 32);
}

TEST(Manifest, ErrorsNameTheFileAndTheKey) {
  TempDir dir;
  auto expect_error = [&](const std::string& body, const std::string& needle) {
    const auto path = dir.write("bad.json", body);
    try {
      read_manifest(path);
      ADD_FAILURE() << "expected ManifestError for " << body;
    } catch (const ManifestError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(path), std::string::npos) << what;
      EXPECT_NE(what.find(needle), std::string::npos) << what;
    }
  };
  expect_error("{not json", "not valid JSON");
  expect_error(R"({"layers": {}})", "layers.districts");
  expect_error(R"({"layers": {"districts": {"layer": "x"}}})", "layers.districts.source");
  expect_error(R"({"layers": {"districts": {"source": "d"}, "parks": {"source": "p"}}})",
               "layers.parks");
  expect_error(R"({"extent": [1, 2], "layers": {"districts": {"source": "d"}}})", "extent");
  expect_error(R"({"layers": {"districts": {"source": "d", "x_field": "lon"}}})", "y_field");
  EXPECT_THROW(read_manifest(dir.file("missing.json")), ManifestError);
}

// Found by fuzz_manifest: a number beyond a double made the JSON library throw its own
// out_of_range instead of a ManifestError, so `validate` and `serve` died unexplained.
TEST(Manifest, NumberBeyondADoubleIsAManifestError) {
  TempDir dir;
  for (const char* body :
       {R"({"extent": [1e400, 31, 122, 32], "layers": {"districts": {"source": "d"}}})",
        R"({"layers": {"districts": {"source": "d", "defaults": {"beds": -1e400}}}})"}) {
    const auto path = dir.write("huge.json", body);
    try {
      read_manifest(path);
      ADD_FAILURE() << "expected ManifestError for " << body;
    } catch (const ManifestError& e) {
      EXPECT_NE(std::string(e.what()).find(path + ": not valid JSON"), std::string::npos)
          << e.what();
    }
  }
}

}  // namespace
}  // namespace lifecircle
