// The library's version, as the outputs record it ("version" in run.json).
#pragma once

namespace detsim {

// "MAJOR.MINOR.PATCH" of the library linked in. Throws nothing.
const char* version();

}  // namespace detsim
