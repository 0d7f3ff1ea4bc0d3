#include "detsim/version.hpp"

namespace detsim {

const char* version() {
  return DETSIM_VERSION;
}

}  // namespace detsim
