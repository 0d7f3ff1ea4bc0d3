// Counter-based random streams (MODEL.md section 6).
//
// A stream is keyed by (seed, replication) and addressed by (facility,
// purpose, index): the same person always gets the same draws for the same
// purpose, whatever the order of events, the policy or the thread count.
#pragma once

#include <Random123/philox.h>

#include <cstdint>

namespace detsim {

// What a stream's draws are for. Values are part of the reproducibility
// contract: never renumber, only append.
enum class Purpose : std::uint32_t {
  kArrivals = 1,      // a facility's booking process (index = booking index / 4)
  kAttributes = 2,    // offense, citizen, prior_serious, path, match / erroneous,
                      // lodge, judicial warrant, compliance (8 x 32 bits)
  kStay = 3,          // the stay before scheduled release (or before transfer)
  kLodgeDelay = 5,
  kIceResponse = 6,
  kAtLarge = 7,
  kTransferStay = 8,
};

// An endless sequence of uniforms in (0, 1), four per Philox4x64-10 block.
class Stream {
 public:
  Stream(std::uint64_t seed, std::uint32_t replication, std::uint32_t facility, Purpose purpose,
         std::uint64_t index)
      : key_{{seed, replication}}, ctr_{{(std::uint64_t{facility} << 32) |
                                             static_cast<std::uint32_t>(purpose),
                                         index, 0, 0}} {}

  // Next uniform, strictly inside (0, 1).
  double uniform() {
    if (used_ == 4) refill();
    return to_unit(out_.v[used_++]);
  }

  // The four uniforms of block 0 (the first four draws), without advancing.
  // REQUIRES: uniform() not called yet.
  void first_block(double u[4]) {
    refill();
    for (int i = 0; i < 4; ++i) u[i] = to_unit(out_.v[i]);
  }

  // Eight uniforms of 32-bit resolution from block 0, for Bernoulli and
  // categorical draws. REQUIRES: uniform() not called yet.
  void first_block_32(double u[8]) {
    refill();
    for (int i = 0; i < 4; ++i) {
      u[2 * i] = (static_cast<double>(out_.v[i] >> 32) + 0.5) * 0x1.0p-32;
      u[2 * i + 1] = (static_cast<double>(out_.v[i] & 0xffffffffu) + 0.5) * 0x1.0p-32;
    }
  }

  static double to_unit(std::uint64_t x) {
    return (static_cast<double>(x >> 12) + 0.5) * 0x1.0p-52;
  }

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
