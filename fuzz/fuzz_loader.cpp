// Fuzzes the GeoJSON and CSV loaders: the input becomes an in-memory GDAL file (/vsimem/) read
// as one layer of a manifest, through the same load_dataset the CLI and the server use.
// Input: one byte choosing the layer (districts, streets/towns, committees, population,
// facilities, plan indicators) and the format (GeoJSON or CSV), then the file's bytes.
// A bad file must come back as errors in the validation report; nothing may throw or crash.
#include <cpl_vsi.h>

#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "lifecircle/loader.hpp"

namespace {

using namespace lifecircle;

enum Role { districts, streets_towns, committees, population, facilities, plan_indicators };
constexpr int kRoles = 6;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const Role role = static_cast<Role>(data[0] % kRoles);
  const bool csv = (data[0] / kRoles) % 2 == 1;
  const std::string path = csv ? "/vsimem/fuzz.csv" : "/vsimem/fuzz.geojson";
  // GDAL reads the fuzzer's buffer in place; the handle is closed before the buffer changes.
  VSILFILE* f = VSIFileFromMemBuffer(path.c_str(), const_cast<GByte*>(data + 1),
                                     static_cast<vsi_l_offset>(size - 1), FALSE);
  if (f == nullptr) lifecircle::fuzz::fail("cannot create the in-memory file", path, "");
  VSIFCloseL(f);

  Manifest m;
  m.path = "fuzz-manifest.json";
  m.name = "fuzz";
  m.extent = {121.3, 31.1, 121.7, 31.4};  // the HTTP fixture's extent: the seeds lie in it
  LayerSource layer;
  layer.source = layer.path = path;
  if (csv && (role == population || role == facilities))
    layer.x_field = "lon", layer.y_field = "lat";
  // Child layers are attributed to the fixture's two districts, read from disk.
  LayerSource fixture_districts;
  fixture_districts.source = fixture_districts.path =
      std::string(LIFECIRCLE_FUZZ_DATA) + "/server/districts.geojson";
  if (role == districts)
    m.districts = layer;
  else
    m.districts = fixture_districts;
  if (role == streets_towns) m.streets_towns = layer;
  if (role == committees) m.committees = layer;
  if (role == population) m.population = layer;
  if (role == facilities) m.facilities.push_back(layer);
  if (role == plan_indicators) m.plan_indicators = layer;
  try {
    (void)load_dataset(m);
  } catch (const std::exception& e) {
    lifecircle::fuzz::fail("load_dataset threw instead of reporting", path, e.what());
  }
  VSIUnlink(path.c_str());
  return 0;
}
