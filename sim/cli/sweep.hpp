// What the single-process and the MPI paths of `detsim sweep` share: the
// job (its options) and the closing report.
#pragma once

#include "detsim/sweep.hpp"
#include "sweep/job.hpp"

namespace detsim {

// After the run has stopped: on an interruption (`signal` != 0) says how
// to resume and returns 128 + the signal; otherwise reports the sweep
// (unless --quiet), prints the sensitivity table on stdout with
// --sensitivity and returns 0.
int finish_sweep(const SweepJob& job, const Sweep& sweep, const SweepStatus& status, int signal);

}  // namespace detsim
