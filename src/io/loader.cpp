#include "lifecircle/loader.hpp"

namespace lifecircle {

LoadResult load_dataset(const Manifest&) {
  LoadResult r;
  r.report.error("not_implemented", "", "", "", "", "loader under construction");
  return r;
}

LoadResult load_dataset(const std::string& path) {
  try {
    return load_dataset(read_manifest(path));
  } catch (const ManifestError& e) {
    LoadResult r;
    r.report.error("bad_manifest", path, "", "", "", e.what());
    return r;
  }
}

}  // namespace lifecircle
