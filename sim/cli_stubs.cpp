#include "cli.hpp"
namespace detsim::cli {
int compare_command(const Args&) { throw UsageError{"compare: not yet available"}; }
int expect_command(const Args&) { throw UsageError{"expect: not yet available"}; }
int sweep_command(const Args&) { throw UsageError{"sweep: not yet available"}; }
}  // namespace detsim::cli
