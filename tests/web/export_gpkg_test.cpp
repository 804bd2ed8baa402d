// `lifecircle coverage --out FILE.gpkg` end to end: the real binary on the server fixture, the
// file read back with GDAL as QGIS would, its numbers compared with the run printed as JSON.
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "io/gdal_handles.hpp"

namespace {

std::string run(const std::string& cmd) {
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  std::string out;
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p.get())) out.append(buf.data(), n);
  return out;
}

TEST(ExportGpkg, CoverageRunOpensAsGeoPackageWithTheSameNumbers) {
  const std::string manifest = std::string(LIFECIRCLE_TEST_DATA) + "/server/manifest.json";
  const std::filesystem::path gpkg = std::filesystem::temp_directory_path() /
                                     ("lifecircle_export_" + std::to_string(getpid()) + ".gpkg");
  const std::string base = std::string(LIFECIRCLE_BINARY) + " coverage --data " + manifest +
                           " --family eldercare --by district";
  const nlohmann::json printed =
      nlohmann::json::parse(run(base + " --format json --out " + gpkg.string() + " 2>/dev/null"));
  const nlohmann::json gaps = nlohmann::json::parse(run(base + " --gaps --format json"));

  GDALAllRegister();
  lifecircle::io::GdalDatasetPtr ds(GDALDataset::Open(gpkg.c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(ds) << gpkg;
  EXPECT_STREQ(ds->GetDriver()->GetDescription(), "GPKG");
  std::map<std::string, OGRLayer*> layers;
  for (OGRLayer* l : ds->GetLayers()) layers[l->GetName()] = l;
  ASSERT_EQ(layers.size(), 4u);
  OGRLayer* units = layers.at("coverage_district");
  ASSERT_EQ(units->GetFeatureCount(), static_cast<GIntBig>(printed["units"].size()));
  for (auto& f : *units) {
    const std::string code = f->GetFieldAsString("code");
    bool found = false;
    for (const auto& u : printed["units"]) {
      if (u["code"] != code) continue;
      found = true;
      EXPECT_DOUBLE_EQ(f->GetFieldAsDouble("covered"), u["covered"].get<double>()) << code;
      EXPECT_DOUBLE_EQ(f->GetFieldAsDouble("residents"), u["residents"].get<double>()) << code;
      EXPECT_EQ(f->GetFieldAsInteger("facilities"), u["facilities"].get<int>()) << code;
    }
    EXPECT_TRUE(found) << code;
    ASSERT_NE(f->GetGeometryRef(), nullptr) << code;
    EXPECT_EQ(wkbFlatten(f->GetGeometryRef()->getGeometryType()), wkbMultiPolygon);
  }
  EXPECT_EQ(layers.at("uncovered_cells")->GetFeatureCount(), gaps["cells"].get<GIntBig>());
  EXPECT_EQ(layers.at("uncovered_area")->GetFeatureCount(), 1);
  EXPECT_GT(layers.at("service_areas")->GetFeatureCount(), 0);
  const OGRSpatialReference* srs = units->GetSpatialRef();
  ASSERT_NE(srs, nullptr);
  EXPECT_STREQ(srs->GetAuthorityCode(nullptr), "4326");
  ds.reset();
  std::filesystem::remove(gpkg);
}

}  // namespace
