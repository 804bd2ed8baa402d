// Independent cross-check: PostGIS's ST_DWithin join on a throwaway local cluster finds the same
// covered population as our coverage (euclidean, detour 1, radius r: covered iff distance <= r).
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include <filesystem>
#include "analysis/fixtures.hpp"
#include "analysis/pg_cluster.hpp"

#include "lifecircle/coverage.hpp"
#include "lifecircle/euclidean_distance.hpp"
#include "lifecircle/loader.hpp"

using namespace lifecircle;
using namespace lifecircle::fixtures;

namespace {

struct PgCount {
  long points = 0;
  double population = 0;
};

// Loads the demand points and facilities into fresh tables of `pg` (metric coordinates, GiST
// index) and counts the population within `radius` of some facility with ST_DWithin.
PgCount postgis_covered(const PgCluster& pg, const std::string& tag, const Dataset& d,
                        const std::vector<std::size_t>& facilities, double radius) {
  const std::string demand_csv = pg.dir() + "/" + tag + "_demand.csv";
  const std::string fac_csv = pg.dir() + "/" + tag + "_fac.csv";
  {
    std::ofstream dem(demand_csv), fac(fac_csv);
    dem.precision(17);
    fac.precision(17);
    for (std::size_t i = 0; i < d.population().size(); ++i)
      dem << i << ',' << d.population()[i].population << ',' << d.population()[i].xy.x << ','
          << d.population()[i].xy.y << '\n';
    for (std::size_t k : facilities)
      fac << k << ',' << d.facilities()[k].xy.x << ',' << d.facilities()[k].xy.y << '\n';
  }
  const std::string t = tag;
  pg.psql("CREATE TABLE " + t +
          "_demand_raw (id int, pop double precision, x double precision, "
          "y double precision);\n"
          "CREATE TABLE " +
          t +
          "_fac_raw (id int, x double precision, y double precision);\n"
          "\\copy " +
          t + "_demand_raw FROM '" + demand_csv +
          "' CSV\n"
          "\\copy " +
          t + "_fac_raw FROM '" + fac_csv +
          "' CSV\n"
          "CREATE TABLE " +
          t +
          "_demand AS SELECT id, pop, ST_SetSRID(ST_MakePoint(x, y), 32651) "
          "AS geom FROM " +
          t +
          "_demand_raw;\n"
          "CREATE TABLE " +
          t +
          "_fac AS SELECT id, ST_SetSRID(ST_MakePoint(x, y), 32651) AS geom "
          "FROM " +
          t +
          "_fac_raw;\n"
          "CREATE INDEX ON " +
          t + "_fac USING gist (geom);\nANALYZE;\n");
  std::ostringstream r;
  r.precision(17);
  r << radius;
  const std::string out = pg.psql("SELECT count(*), coalesce(sum(pop), 0) FROM " + t +
                                  "_demand d WHERE EXISTS (SELECT 1 FROM " + t +
                                  "_fac f WHERE ST_DWithin(d.geom, f.geom, " + r.str() + "));\n");
  const auto bar = out.find('|');
  if (bar == std::string::npos) throw std::runtime_error("unexpected psql output: " + out);
  return {std::stol(out.substr(0, bar)), std::stod(out.substr(bar + 1))};
}

class PostgisCrossCheck : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (postgres_available()) cluster_ = new PgCluster();
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  void SetUp() override {
    if (!cluster_)
      GTEST_SKIP() << "PostgreSQL 15 binaries not found in " << kPgBin
                   << " (install postgresql-15-postgis-3): cross-check skipped";
  }
  static PgCluster* cluster_;
};
PgCluster* PostgisCrossCheck::cluster_ = nullptr;

}  // namespace

TEST_F(PostgisCrossCheck, StDWithinCoveredPopulationEqualsOursOnRandomInstance) {
  // Integer metre coordinates: squared distances are whole numbers, so points exactly at the
  // radius (Pythagorean offsets) occur and the inclusive rule is exercised, while no distance is
  // near enough to the radius for rounding to matter.
  std::mt19937 rng(4242);
  std::uniform_int_distribution<int> ux(0, 20000), uy(0, 16000), up(0, 900);
  auto c = empty_content();
  const double r = 600;
  for (int i = 0; i < 200; ++i) {
    const XY p{kX0 + ux(rng), kY0 + uy(rng)};
    c.facilities.push_back(facility("f" + std::to_string(i), "comprehensive_center", p));
  }
  // Planted ties: demand exactly 600 m from a facility (360-480-600 and 0-600 offsets).
  for (int i = 0; i < 20; ++i) {
    const XY f = c.facilities[i].xy;
    const XY p = i % 2 ? XY{f.x + 360, f.y + 480} : XY{f.x, f.y - 600};
    c.population.push_back(cell("t" + std::to_string(i), p, 1000 + i, 100));
  }
  for (int i = 0; i < 30000; ++i) {
    const XY p{kX0 + ux(rng), kY0 + uy(rng)};
    c.population.push_back(cell("p" + std::to_string(i), p, up(rng), 10));
  }
  const Dataset d(std::move(c));
  CoverageRequest req;
  req.selection.types = {"comprehensive_center"};
  req.by = AggregateBy::city;
  req.area = false;
  const auto ours = compute_coverage(d, profile(r, 1.0), req, EuclideanDistance(1.0));

  const PgCount pg = postgis_covered(*cluster_, "random", d, ours.facilities, r);
  const long pg_count = pg.points;
  const double pg_pop = pg.population;
  EXPECT_EQ(static_cast<long>(ours.total.demand_points_covered), pg_count);
  EXPECT_DOUBLE_EQ(ours.total.covered, pg_pop);
  // The planted points sit exactly at the threshold: both sides count them as covered.
  for (int i = 0; i < 20; ++i) EXPECT_EQ(ours.covered[i], 1) << "tie " << i;
  EXPECT_GT(pg_count, 1000);  // the instance is not trivially empty or full
  EXPECT_LT(pg_count, 29000);
}

// The shipped dataset: our coverage of every facility type (straight line, detour 1, the
// profile's walk as the radius) equals PostGIS's.
TEST_F(PostgisCrossCheck, StDWithinCoveredPopulationEqualsOursOnShippedData) {
  const std::string manifest =
      std::string(LIFECIRCLE_SOURCE_DIR) + "/gis-data/shanghai/manifest.json";
  ASSERT_TRUE(std::filesystem::exists(manifest)) << manifest;
  const LoadResult loaded = load_dataset(manifest);
  ASSERT_TRUE(loaded.dataset) << loaded.report.to_text();
  const Dataset& d = *loaded.dataset;
  StandardsOverrides o;
  o.detour_factor = 1.0;
  const StandardsProfile p = Standards::load(d.info().standards_path).resolve("", o);
  for (const char* type : {"comprehensive_center", "canteen", "public_columbarium"}) {
    CoverageRequest req;
    req.selection.types = {type};
    req.by = AggregateBy::city;
    req.area = false;
    const auto ours = compute_coverage(d, p, req, EuclideanDistance(1.0));
    const PgCount pg =
        postgis_covered(*cluster_, type, d, ours.facilities, ours.thresholds[0].walk_m);
    EXPECT_EQ(static_cast<long>(ours.total.demand_points_covered), pg.points) << type;
    EXPECT_NEAR(ours.total.covered, pg.population, 1e-6 * pg.population) << type;
  }
}
