// The per-district count table the build writes next to the GeoPackage (summary.md), so the
// README's figures come from the data, not from hand-typed guesses.
#pragma once

#include <cstdint>
#include <string>

#include "lifecircle/datagen.hpp"

namespace lifecircle::datagen {

// Deterministic Markdown (no timings), so it is part of the reproducible output.
std::string summary_markdown(const BuildSummary& s, std::uint64_t seed, double cell_size_m);

}  // namespace lifecircle::datagen
