// Writing a file so that readers see either the old content or the new, never
// a partial file.
#pragma once

#include <string>
#include <string_view>

namespace detsim {

// Writes `content` to a new, uniquely named hidden file in the folder of
// `path` (".NAME.tmp.*"), flushes it to disk (fsync) and renames it over
// `path`. The folder must exist. A new file gets the usual permissions (0666
// less the umask). On failure the temporary file is removed and
// std::runtime_error says which path failed and why (strerror); `path` is
// then unchanged.
void write_file_atomic(const std::string& path, std::string_view content);

}  // namespace detsim
