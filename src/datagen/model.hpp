// The parameters of the synthetic layers, in one place, each with the reason or published
// figure behind it. gis-data/README.md documents the same table; change both together.
#pragma once

#include <string_view>

#include "lifecircle/types.hpp"

namespace lifecircle::datagen::model {

// People's Square, the conventional centre of Shanghai (WGS84).
inline constexpr LonLat kCityCentre{121.4737, 31.2304};

// Population density within a district, relative (the district's census total fixes the
// level): exp(-d_centre / L_centre) + A_seat * exp(-d_seat / L_seat) + floor, where d_centre is
// the distance to People's Square and d_seat to the district seat (the source's "center"
// attribute), so new towns such as Songjiang or Jiading get their own peak.
inline constexpr double kCentreDecayKm = 8.0;
inline constexpr double kSeatWeight = 0.35;
inline constexpr double kSeatDecayKm = 3.0;
// Every street/town has its own centre (its synthetic seed): + A_unit * exp(-d_unit / L_unit),
// which clusters suburban and rural residents in town centres (镇区) as they really are.
inline constexpr double kUnitCentreWeight = 0.15;
inline constexpr double kUnitCentreDecayKm = 1.2;
// Scattered village housing everywhere else.
inline constexpr double kRuralFloor = 0.004;
// Cell-to-cell variation: multiplicative log-normal noise with this sigma.
inline constexpr double kDensityNoiseSigma = 0.25;

// Share of residents aged 60+ by distance to People's Square, before calibration to the
// census city total: outer + (inner - outer) * exp(-d / L). A model (older centre, younger
// suburbs), not district census figures, which the inputs do not contain.
inline constexpr double kAgedShareInner = 0.36;
inline constexpr double kAgedShareOuter = 0.17;
inline constexpr double kAgedShareDecayKm = 18.0;
inline constexpr long long kCity60Plus2020 = 5815462;  // 7th census, city work report

// Street/town seeds: best of this many candidates (farthest from the seeds placed so far),
// candidates drawn with probability proportional to density^kSeedDensityExponent, so urban
// 街道 come out smaller than rural 镇.
inline constexpr int kSeedCandidates = 8;
inline constexpr double kSeedDensityExponent = 0.5;

// Facility counts (citywide; allocated to districts by 2020 population, largest remainder).
// 459 centres in 2023 (2023 work report), +40 planned for 2024 (2024 work plan).
inline constexpr long long kComprehensiveOpen = 459;
inline constexpr long long kComprehensivePlanned = 40;
// No published citywide total: about three per centre ("1+N" with N ~ 3), plus the 200 the
// 2024 work plan adds (planned).
inline constexpr long long kDoorstepOpen = 1500;
inline constexpr long long kDoorstepPlanned = 200;
// Meal sites: 1232 (2020) + 200 (2022 target) + 41 canteens (2023 actual) = 1473 open;
// canteens 370 open + 30 planned (2024 plan) = the 400 of the 2025 layout plan; the rest are
// meal points.
inline constexpr long long kCanteenOpen = 370;
inline constexpr long long kCanteenPlanned = 30;
inline constexpr long long kMealPointOpen = 1473 - 370;
// Columbaria: one per rural town (镇/乡) except this share, left without an open one so the
// rule "at least one in every rural town" has gaps to find; a few of those get a planned one.
inline constexpr double kColumbariumMissingShare = 0.15;
inline constexpr long long kColumbariumPlannedAmongMissing = 4;

// Floor area ranges (m², uniform) per synthetic type.
struct Range {
  double lo, hi;
};
// The 2024 technical standard draft asks for >= 800 m² per one-stop centre.
inline constexpr Range kAreaComprehensive{800, 2500};
// Doorstep stations are 50-200 m² (issue 3 / bureau practice).
inline constexpr Range kAreaDoorstep{50, 200};
// A canteen with its own kitchen seating >= 150 per sitting: dining hall + kitchen.
inline constexpr Range kAreaCanteen{200, 600};
// A meal point is a serving counter in a community room.
inline constexpr Range kAreaMealPoint{30, 120};
inline constexpr Range kAreaColumbarium{500, 3000};
// Meals per day: a canteen serves two sittings of 150-300 (>= 150 per sitting); a meal point
// 40-120. With the counts above the citywide total is near the 2025 target of 250,000/day.
inline constexpr Range kCanteenPerSitting{150, 300};
inline constexpr int kCanteenSittings = 2;
inline constexpr Range kMealPointPerDay{40, 120};

}  // namespace lifecircle::datagen::model
