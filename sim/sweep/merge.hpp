// `detsim merge`: results files of one sweep (its shards) merged into one.
#pragma once

#include <string>
#include <vector>

namespace detsim {

// `detsim merge`: the rows of `inputs` (results or per-replication files of
// one sweep, with the same header) without repeats, sorted by point id (and
// replication), as the text of one file. An incomplete last line is left
// out (noted in *warnings). Throws InputError for an unreadable file, a
// different header, or a point whose rows differ between files.
std::string merge_results(const std::vector<std::string>& inputs,
                          std::vector<std::string>* warnings);

// The sidecar of a merge (OUT.csv.json): what the inputs' sidecars
// (INPUT.json) agree on (version, design, seed, replications, metrics,
// parameters, base scenario, sweep file), the union of their points in
// point id order, and `merged_from` (each input with its shard and
// fingerprint). Empty when an input has no sidecar (per-replication files
// have none; a warning when only some inputs lack one).
// Throws InputError when the sidecars describe different sweeps.
std::string merge_sidecars(const std::vector<std::string>& inputs,
                           std::vector<std::string>* warnings);

}  // namespace detsim
