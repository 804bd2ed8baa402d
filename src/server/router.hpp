// A small path router. Route groups (core, features, and later analysis) register their
// routes in their own files through register_*_routes(Router&, ServiceContext&) (routes.hpp).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "http.hpp"

namespace lifecircle::server {

using Handler = std::function<Response(const Request&)>;

class Router {
 public:
  // `pattern` is a path of literal segments and `{name}` parameters, e.g.
  // "/collections/{collectionId}/items/{featureId}". Registering the same method and pattern
  // twice is a programming error and throws std::logic_error.
  void add(Method method, std::string_view pattern, Handler handler);
  void get(std::string_view pattern, Handler handler) {
    add(Method::get, pattern, std::move(handler));
  }
  void post(std::string_view pattern, Handler handler) {
    add(Method::post, pattern, std::move(handler));
  }

  struct Match {
    const Handler* handler = nullptr;  // null: no route for this method
    std::vector<Method> allowed;       // methods the path accepts; empty: unknown path
    std::map<std::string, std::string> params;
    const std::string* pattern = nullptr;  // the matched route's pattern (metrics label)
  };
  // Literal segments win over parameters when both match.
  Match match(Method method, std::string_view path) const;

 private:
  struct Segment {
    std::string text;
    bool param = false;
  };
  struct Route {
    Method method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

// Splits "/a/b/c" into decoded segments; a trailing slash is ignored except for "/".
std::vector<std::string> split_path(std::string_view path);

}  // namespace lifecircle::server
