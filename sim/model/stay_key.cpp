#include "model/stay_key.hpp"

namespace detsim {

void append_stay_key(const Facility& f, std::vector<double>& key) {
  const auto put = [&](const Distribution& d) {
    key.push_back(static_cast<double>(d.kind));
    key.push_back(d.a);
    key.push_back(d.b);
    key.push_back(static_cast<double>(d.values.size()));
    key.insert(key.end(), d.values.begin(), d.values.end());
    key.insert(key.end(), d.cumulative.begin(), d.cumulative.end());
  };
  for (const Offense& o : f.offenses) {
    key.push_back(o.share);
    key.push_back(o.pretrial_release);
    key.push_back(o.transfer_to >= 0 ? 1.0 : 0.0);
    put(o.pretrial_stay);
    put(o.sentenced_stay);
    if (o.transfer_to >= 0) put(o.transfer_stay);
  }
}

}  // namespace detsim
