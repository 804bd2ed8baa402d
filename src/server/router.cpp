#include "router.hpp"

#include <algorithm>
#include <stdexcept>

namespace lifecircle::server {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    const std::size_t j = std::min(path.find('/', i), path.size());
    out.push_back(percent_decode(path.substr(i, j - i), false));
    i = j;
  }
  return out;
}

void Router::add(Method method, std::string_view pattern, Handler handler) {
  Route r{method, std::string(pattern), {}, std::move(handler)};
  // Split without decoding: patterns are written by us.
  std::size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == '/') {
      ++i;
      continue;
    }
    const std::size_t j = std::min(pattern.find('/', i), pattern.size());
    const std::string_view s = pattern.substr(i, j - i);
    if (s.size() > 2 && s.front() == '{' && s.back() == '}')
      r.segments.push_back({std::string(s.substr(1, s.size() - 2)), true});
    else
      r.segments.push_back({std::string(s), false});
    i = j;
  }
  for (const Route& o : routes_)
    if (o.method == method && o.pattern == r.pattern)
      throw std::logic_error("route registered twice: " + r.pattern);
  routes_.push_back(std::move(r));
}

Router::Match Router::match(Method method, std::string_view path) const {
  const std::vector<std::string> segs = split_path(path);
  Match best;
  int best_literals = -1;
  for (const Route& r : routes_) {
    if (r.segments.size() != segs.size()) continue;
    int literals = 0;
    bool ok = true;
    for (std::size_t i = 0; i < segs.size() && ok; ++i) {
      if (r.segments[i].param)
        ok = !segs[i].empty();
      else
        ok = r.segments[i].text == segs[i], literals += ok;
    }
    if (!ok) continue;
    if (std::find(best.allowed.begin(), best.allowed.end(), r.method) == best.allowed.end())
      best.allowed.push_back(r.method);
    if (r.method != method || literals <= best_literals) continue;
    best_literals = literals;
    best.handler = &r.handler;
    best.pattern = &r.pattern;
    best.params.clear();
    for (std::size_t i = 0; i < segs.size(); ++i)
      if (r.segments[i].param) best.params[r.segments[i].text] = segs[i];
  }
  return best;
}

}  // namespace lifecircle::server
