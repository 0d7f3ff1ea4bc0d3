// The people in custody: a pool of slots with generations (after Box2D's
// id_pool). A person is admitted into a free slot (the last one freed, else
// a new one) and named by a PersonId, the slot and its generation; leaving
// bumps the slot's generation, so every id and queued event that still names
// the old person is stale. Debug builds assert that no stale id is used.
#pragma once

#include <cassert>
#include <cstdint>
#include <limits>
#include <vector>

#include "detsim/scenario.hpp"

namespace detsim {

inline constexpr double kNever = std::numeric_limits<double>::infinity();

// Where a person is in the release flow.
enum class Stage : std::uint8_t {
  kInCustody,  // before the scheduled release
  kHeld,       // honored: held past release, waiting for ICE or the deadline
  kGrace,      // notified: out-processing, waiting for ICE or the end of grace
};

// A person in custody.
struct Person {
  double booked_at;
  double release_at;   // scheduled final release (t_release)
  double detainer_at;  // arrival of an active detainer, or kNever
  double move_at;      // move to the sentenced_transfer_to facility, or kNever
  double deadline;     // hold deadline or end of grace, once released
  std::uint64_t booking_index;
  std::uint16_t facility;  // where the person is now
  std::uint16_t booked_facility;
  std::uint16_t offense;   // index into the booked facility's offenses
  std::uint16_t category;  // offense category
  Stage stage;
  Action action;
  bool citizen : 1;
  bool convicted : 1;
  bool prior_serious : 1;
  bool judicial_warrant : 1;
  bool federal_criminal_warrant : 1;  // the detainer's warrant is federal criminal
  bool status_proven : 1;             // proof of status before the notice time
  bool active_detainer : 1;
  bool action_chosen : 1;
  bool ice_present : 1;            // ICE arrived before the release
  bool counted : 1;                // the decision's t_release is in the window
  bool had_detainer : 1;           // a detainer was lodged at this booking or an earlier one
  bool after_release_despite : 1;  // re-booked after a release despite a detainer
  // 0 for a first booking, k for the person's k-th re-booking (their
  // streams' `rebooking`; the identity is booked_facility and booking_index).
  std::uint16_t rebooking;
};

// A person's name while in custody: the slot and its generation.
struct PersonId {
  std::uint32_t slot;
  std::uint32_t generation;
};

class Custody {
 public:
  // Puts `person` into a slot; returns its id.
  PersonId admit(const Person& person) {
    std::uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      slot = static_cast<std::uint32_t>(people_.size());
      people_.emplace_back();
      generation_.push_back(0);
      in_use_.push_back(false);
    }
    people_[slot] = person;
    in_use_[slot] = true;
    return {slot, generation_[slot]};
  }

  // The person leaves custody: the slot is free and `id` stale.
  void discharge(PersonId id) {
    assert(current(id));
    ++generation_[id.slot];
    in_use_[id.slot] = false;
    free_.push_back(id.slot);
  }

  // True while `id` names the person in its slot (not stale).
  bool current(PersonId id) const { return generation_[id.slot] == id.generation; }

  Person& operator[](PersonId id) {
    assert(current(id) && in_use_[id.slot] && "stale person id");
    return people_[id.slot];
  }
  const Person& operator[](PersonId id) const {
    assert(current(id) && in_use_[id.slot] && "stale person id");
    return people_[id.slot];
  }

  // Makes room for `n` people in all without moving them again.
  void reserve(std::size_t n) {
    people_.reserve(n);
    generation_.reserve(n);
    in_use_.reserve(n);
  }

  // Slots ever used (in custody or free).
  std::size_t slots() const { return people_.size(); }

  // Calls f(id, person) for everyone in custody, in slot order.
  template <class F>
  void for_each(F&& f) {
    for (std::uint32_t s = 0; s < people_.size(); ++s)
      if (in_use_[s]) f(PersonId{s, generation_[s]}, people_[s]);
  }

 private:
  std::vector<Person> people_;
  std::vector<std::uint32_t> generation_;
  std::vector<std::uint8_t> in_use_;
  std::vector<std::uint32_t> free_;
};

}  // namespace detsim
