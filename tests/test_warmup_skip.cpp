// The warm-up skip loop (Simulation::skip_warmup_bookings) is a shortcut:
// with it off, every warm-up booking is drawn in full and taken through the
// event loop, and every metric of every facility and offense must be exactly
// the same.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "detsim/load.hpp"
#include "model/simulation.hpp"

using namespace detsim;

TEST_CASE("skipping warm-up bookings that cannot matter changes no metric") {
  struct Case {
    const char* file;
    std::vector<std::string> sets;
    int replications;
  };
  const Case cases[] = {
      {"county-jail.yaml", {}, 2},
      // Gamma (never skipped: rejection sampling), empirical and exponential
      // stays, a stay multiplier and a short fixed warm-up.
      {"county-jail.yaml",
       {"offenses.violent.pretrial_stay={dist: gamma, mean_hours: 50, cv: 0.7}",
        "offenses.property-drug.pretrial_stay={dist: empirical, hours: [5, 100, 20, 400], "
        "weights: [1, 2, 3, 1]}",
        "offenses.violent.sentenced_stay={dist: exponential, mean_days: 40}",
        "ice.detainer_stay_multiplier=3.7", "warmup_days=200"},
       2},
      // Two facilities, transfers to a prison (moved people are never skipped).
      {"illinois-2025.yaml", {"horizon_days=60"}, 1},
      {"texas-sb4.yaml", {}, 1},
  };
  for (const Case& c : cases) {
    LoadOptions options;
    options.sets = c.sets;
    const Scenario s =
        load_scenario(std::string(DETSIM_SOURCE_DIR) + "/scenarios/" + c.file, options);
    for (int rep = 0; rep < c.replications; ++rep) {
      INFO(c.file << " with " << c.sets.size() << " --set, replication " << rep);
      Simulation skipping(s, rep, nullptr), full(s, rep, nullptr);
      full.skip_no_bookings();
      const ReplicationMetrics a = skipping.run(), b = full.run();
      CHECK(skipping.bookings_simulated() == full.bookings_simulated());
      CHECK(skipping.bookings_simulated() > 0);
      CHECK(a.total == b.total);
      CHECK(a.facility == b.facility);
      CHECK(a.offense == b.offense);
    }
  }
}
