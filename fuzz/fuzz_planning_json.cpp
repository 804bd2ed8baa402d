// Fuzzes the JSON bodies of POST /siting and POST /scenarios: the body is read as JSON (the
// server refuses any failure of the JSON library there with 400 invalid_body), then parsed as
// both request types with the default limits. A well-formed but wrong body must be refused with
// a PlanningError (a 4xx naming the member at fault); any other exception would reach the
// client as a 500.
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "lifecircle/planning.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace lifecircle::planning;
  static const PlanningLimits limits;
  const std::string body(reinterpret_cast<const char*>(data), size);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception&) {
    return 0;  // malformed, or a number beyond a double (1e400): refused before parsing
  }
  try {
    const SitingRequest q = parse_siting_request(j, limits);
    (void)q.to_json().dump();           // echoed in the answer
  } catch (const lifecircle::Error&) {  // a catalogue error naming the member
  } catch (const std::exception& e) {
    lifecircle::fuzz::fail("parse_siting_request threw something other than a catalogue error",
                           "POST /siting", e.what());
  }
  try {
    (void)parse_scenario_request(j, limits);
  } catch (const lifecircle::Error&) {  // a catalogue error naming the member
  } catch (const std::exception& e) {
    lifecircle::fuzz::fail("parse_scenario_request threw something other than a catalogue error",
                           "POST /scenarios", e.what());
  }
  return 0;
}
