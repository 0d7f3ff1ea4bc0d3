#include "cli.hpp"
namespace detsim::cli {
}  // namespace detsim::cli
