// A facility's stay distributions as a cache key: what the warm-up rules and
// the stationary stock read of a facility (offense shares, pretrial release,
// transfers and the three stay distributions), so that results computed from
// them can be kept per distinct facility.
#pragma once

#include <cstring>
#include <vector>

#include "detsim/scenario.hpp"

namespace detsim {

// The numbers that define `f`'s stays, appended to `key`.
void append_stay_key(const Facility& f, std::vector<double>& key);

// Bitwise order on keys (so -0.0 and 0.0, or NaNs, never collide wrongly).
struct BitwiseLess {
  bool operator()(const std::vector<double>& a, const std::vector<double>& b) const {
    if (a.size() != b.size()) return a.size() < b.size();
    return std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) < 0;
  }
};

}  // namespace detsim
