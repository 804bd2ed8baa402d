#include <algorithm>

#include "lifecircle/types.hpp"

namespace lifecircle {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string street_town_kind(std::string_view name, std::optional<bool> has_villages) {
  if (ends_with(name, "街道")) return "urban";
  if (ends_with(name, "镇") || ends_with(name, "乡"))
    return has_villages.value_or(true) ? "rural" : "urban";
  return "zone";
}

std::string committee_kind(std::string_view name) {
  const bool rural = ends_with(name, "村委会") || ends_with(name, "村民委员会") ||
                     name.find("生活区") != std::string_view::npos;
  return rural ? "rural" : "urban";
}

std::string_view to_string(Family f) {
  switch (f) {
    case Family::eldercare:
      return "eldercare";
    case Family::meal:
      return "meal";
    case Family::columbarium:
      return "columbarium";
  }
  return "eldercare";
}

std::string_view to_string(Status s) {
  switch (s) {
    case Status::open:
      return "open";
    case Status::planned:
      return "planned";
    case Status::closed:
      return "closed";
  }
  return "open";
}

std::optional<Family> parse_family(std::string_view s) {
  for (Family f : {Family::eldercare, Family::meal, Family::columbarium})
    if (to_string(f) == s) return f;
  return std::nullopt;
}

std::optional<Status> parse_status(std::string_view s) {
  for (Status x : {Status::open, Status::planned, Status::closed})
    if (to_string(x) == s) return x;
  return std::nullopt;
}

const std::vector<FacilityTypeInfo>& facility_types() {
  static const std::vector<FacilityTypeInfo> types = {
      {"comprehensive_center", Family::eldercare, "社区综合为老服务中心",
       "community comprehensive eldercare center"},
      {"small_nursing_home", Family::eldercare, "长者照护之家", "small community nursing home"},
      {"nursing_home", Family::eldercare, "养老机构", "nursing home (eldercare institution)"},
      {"day_care", Family::eldercare, "日间照料中心", "day-care center"},
      {"doorstep_station", Family::eldercare, "家门口养老服务站", "doorstep eldercare station"},
      {"canteen", Family::meal, "社区长者食堂", "community elder canteen"},
      {"meal_point", Family::meal, "老年助餐点", "meal point"},
      {"public_columbarium", Family::columbarium, "公益性骨灰堂", "public columbarium"},
  };
  return types;
}

const FacilityTypeInfo* find_facility_type(std::string_view type) {
  const auto& all = facility_types();
  auto it = std::find_if(all.begin(), all.end(), [&](const auto& t) { return t.type == type; });
  return it == all.end() ? nullptr : &*it;
}

}  // namespace lifecircle
