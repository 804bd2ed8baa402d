// Fuzzes the dataset manifest reader: the input is written as a manifest file and read back.
// read_manifest promises a ManifestError naming the file and key for any bad manifest; any
// other exception would escape `lifecircle validate` and `serve` as an unexplained failure.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "fuzz_support.hpp"
#include "lifecircle/manifest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // One file per process, so parallel fuzzing jobs do not share it; removed at exit.
  static const struct ManifestFile {
    std::string path = "/tmp/lifecircle-fuzz-manifest-" + std::to_string(getpid()) + ".json";
    ~ManifestFile() { std::remove(path.c_str()); }
  } file;
  const std::string& path = file.path;
  if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  } else {
    lifecircle::fuzz::fail("cannot write the manifest file", path, "");
  }
  try {
    (void)lifecircle::read_manifest(path);
  } catch (const lifecircle::ManifestError&) {
  } catch (const std::exception& e) {
    lifecircle::fuzz::fail("read_manifest threw something other than ManifestError", path,
                           e.what());
  }
  return 0;
}
