// A portable random stream: std::mt19937_64's raw outputs are fixed by the standard, but the
// std:: distributions are not, so the conversions to uniform/normal/integer live here.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace lifecircle::datagen {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : gen_(seed) {}

  // Uniform in [0, 1) from the top 53 bits.
  double uniform() { return static_cast<double>(gen_() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [0, n) by rejection, free of modulo bias.
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % n);
    for (;;) {
      const std::uint64_t x = gen_();
      if (x < limit) return x % n;
    }
  }
  // Standard normal by Box-Muller (one value per call; the pair's twin is dropped for
  // simplicity, which costs nothing measurable here).
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1], so the log is finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  // Index drawn with probability proportional to weights given as a running sum.
  std::size_t pick(const std::vector<double>& cumulative) {
    const double r = uniform() * cumulative.back();
    std::size_t lo = 0, hi = cumulative.size() - 1;
    while (lo < hi) {
      const std::size_t mid = (lo + hi) / 2;
      if (cumulative[mid] > r) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  template <class T>
  void shuffle(std::vector<T>& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
  }

  std::mt19937_64& engine() { return gen_; }

 private:
  std::mt19937_64 gen_;
};

}  // namespace lifecircle::datagen
