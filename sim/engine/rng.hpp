// Counter-based random streams (docs/model.md).
//
// A stream is keyed by (seed, replication) and addressed by (facility,
// purpose, index, rebooking): the same person always gets the same draws for
// the same purpose, whatever the order of events, the policy or the thread
// count. `rebooking` is 0 for a person's first booking and k for their k-th
// re-booking (each booking of the same person draws afresh).
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cmath>
#include <cstdint>

namespace detsim {

// What a stream's draws are for. Values are part of the reproducibility
// contract: never renumber, only append.
enum class Purpose : std::uint32_t {
  kArrivals = 1,    // a facility's booking process (index = booking index / 4)
  kAttributes = 2,  // offense, citizen, prior_serious, path, match / erroneous,
                    // lodge (32 bits each), the stay's first uniform (64 bits)
  kStay = 3,        // further uniforms of the stay (gamma rejection sampling)
  kDetainer = 4,    // judicial warrant, compliance
  kLodgeDelay = 5,
  kIceResponse = 6,
  kAtLarge = 7,
  kTransferStay = 8,
  kRecord = 9,      // a release despite a detainer: recorded (uniform), then the lag
  kLift = 10,       // ICE lifts the detainer (uniform), then the lift delay
  kStatus = 11,     // a noncitizen is a lawful resident (uniform; the person's, not the booking's)
  kProof = 12,      // a citizen or lawful resident proves status (uniform), then the delay
  kRebooking = 13,  // the time from a release to the next booking (uniform)
};

// An endless sequence of uniforms in (0, 1), four per Philox4x64-10 block.
class Stream {
 public:
  Stream(std::uint64_t seed, std::uint32_t replication, std::uint32_t facility, Purpose purpose,
         std::uint64_t index, std::uint64_t rebooking = 0)
      : key_{{seed, replication}},
        ctr_{{(std::uint64_t{facility} << 32) | static_cast<std::uint32_t>(purpose), index, 0,
              rebooking}} {}

  // Next uniform, strictly inside (0, 1).
  double uniform() {
    if (used_ == 4) refill();
    return to_unit(out_.v[used_++]);
  }

  // The four raw 64-bit words of block 0. REQUIRES: uniform() not called.
  std::array<std::uint64_t, 4> first_words() {
    refill();
    used_ = 4;
    return {out_.v[0], out_.v[1], out_.v[2], out_.v[3]};
  }

  // A uniform in (0, 1) from all of a word (52-bit resolution) or from its
  // high or low half (32-bit resolution: enough for Bernoulli and
  // categorical draws).
  static double to_unit(std::uint64_t x) {
    return (static_cast<double>(x >> 12) + 0.5) * 0x1.0p-52;
  }
  static double high_unit(std::uint64_t x) {
    return (static_cast<double>(x >> 32) + 0.5) * 0x1.0p-32;
  }
  static double low_unit(std::uint64_t x) {
    return (static_cast<double>(x & 0xffffffffu) + 0.5) * 0x1.0p-32;
  }

  // A probability as a bound on a half word h: high_unit(x) < p exactly
  // when (x >> 32) < below(p), and low_unit likewise, since
  // (h + 0.5) 2^-32 < p  <=>  h < ceil(p 2^32 - 0.5) (both sides exact).
  // The same Bernoulli draw, compared as integers.
  static std::uint64_t below(double p) {
    const double t = std::ceil(std::ldexp(p, 32) - 0.5);
    return t <= 0 ? 0 : t >= 0x1.0p32 ? std::uint64_t{1} << 32 : static_cast<std::uint64_t>(t);
  }
  static std::uint64_t high_half(std::uint64_t x) { return x >> 32; }
  static std::uint64_t low_half(std::uint64_t x) { return x & 0xffffffffu; }

 private:
  void refill() {
    out_ = philox_(ctr_, key_);
    ctr_.v[2]++;
    used_ = 0;
  }

  r123::Philox4x64 philox_;
  r123::Philox4x64::key_type key_;
  r123::Philox4x64::ctr_type ctr_;
  r123::Philox4x64::ctr_type out_{};
  int used_ = 4;
};

}  // namespace detsim
