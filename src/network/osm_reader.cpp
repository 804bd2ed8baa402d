// OpenStreetMap input through libosmium (XML or PBF, optionally compressed).
#include <osmium/handler.hpp>
#include <osmium/handler/node_locations_for_ways.hpp>
#include <osmium/index/map/sparse_mem_array.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/osm/way.hpp>
#include <osmium/visitor.hpp>
#include <stdexcept>
#include <unordered_map>

#include "lifecircle/network.hpp"

namespace lifecircle {
namespace {

class WalkableWays : public osmium::handler::Handler {
 public:
  WalkableWays(NetworkInput& out, const MetricProjection& metric) : out_(out), metric_(metric) {}

  void way(const osmium::Way& w) {
    ++out_.ways_read;
    const auto tag = [&](const char* key) -> std::string_view {
      const char* v = w.tags().get_value_by_key(key);
      return v ? std::string_view(v) : std::string_view();
    };
    const WalkRule rule = classify_way(tag("highway"), tag("foot"), tag("access"));
    if (rule != WalkRule::kept) {
      ++out_.ways_excluded[std::string(to_string(rule))];
      return;
    }
    ++out_.ways_kept;
    // A node outside the extract has no location: the way is cut there, not bridged across.
    std::uint32_t prev = UINT32_MAX;
    for (const auto& nr : w.nodes()) {
      if (!nr.location().valid()) {
        prev = UINT32_MAX;
        continue;
      }
      const std::uint32_t v = vertex(nr.ref(), nr.location());
      if (prev != UINT32_MAX) out_.segments.push_back({prev, v});
      prev = v;
    }
  }

 private:
  std::uint32_t vertex(osmium::object_id_type id, const osmium::Location& loc) {
    auto [it, fresh] = index_.emplace(id, static_cast<std::uint32_t>(out_.vertices.size()));
    if (fresh) {
      out_.vertices.push_back(metric_.forward({loc.lon(), loc.lat()}));
      out_.vertex_ids.push_back(id);
    }
    return it->second;
  }

  NetworkInput& out_;
  const MetricProjection& metric_;
  std::unordered_map<osmium::object_id_type, std::uint32_t> index_;
};

}  // namespace

NetworkInput read_osm_network(const std::string& path, const MetricProjection& metric) {
  NetworkInput in;
  in.source = path;
  try {
    using Index =
        osmium::index::map::SparseMemArray<osmium::unsigned_object_id_type, osmium::Location>;
    Index locations;
    osmium::handler::NodeLocationsForWays<Index> location_handler(locations);
    location_handler.ignore_errors();  // missing nodes are handled per way above
    WalkableWays ways(in, metric);
    osmium::io::Reader reader(path, osmium::osm_entity_bits::node | osmium::osm_entity_bits::way);
    osmium::apply(reader, location_handler, ways);
    reader.close();
  } catch (const std::exception& e) {
    throw std::runtime_error(path + ": cannot read OpenStreetMap data: " + e.what());
  }
  return in;
}

}  // namespace lifecircle
