// `detsim serve`: the HTTP routes (serve_routes.cpp). Only the files that
// speak HTTP include the HTTP library (a large header).
#pragma once

#include <httplib.h>

#include "cli/serve.hpp"

namespace detsim::cli::serve {

void send_json(httplib::Response& res, int status, const json& body);

// Registers every route of `svr`. `catalog`, `limits`, `jobs` and
// `validations` must outlive the server.
void add_routes(httplib::Server& svr, const Catalog& catalog, const Limits& limits, Jobs& jobs,
                Validations& validations);

}  // namespace detsim::cli::serve
