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
// then unchanged. A `path` that exists and is not a regular file (a device,
// a FIFO, a folder) is refused with InputError before anything is written.
void write_file_atomic(const std::string& path, std::string_view content);

// As write_file_atomic, but the new file is locked (flock, exclusive) before
// it is renamed into place, and stays open: returns its descriptor (read and
// write, O_APPEND, close-on-exec), which holds the lock. A process that opens
// `path` from the moment it appears finds it locked. With `no_replace`, an
// existing `path` is left alone and -1 returned (nothing else is written).
int write_file_atomic_locked(const std::string& path, std::string_view content, bool no_replace);

// Throws InputError ("PATH: not a regular file ...") when `path` exists and
// is not a regular file (after following symbolic links): outputs never
// replace a device, a FIFO or a folder.
void check_output_target(const std::string& path);

// A new hidden name beside `path` for its temporary file (".NAME.tmp.*"),
// unique within this process and very likely across processes.
std::string temp_path_beside(const std::string& path);

// Flushes the file at `path` to disk (fsync) and renames it to `target`,
// then syncs the folder (best effort). Throws std::runtime_error naming
// `target` on failure (the file at `path` is left for the caller).
void sync_and_rename(const std::string& path, const std::string& target);

}  // namespace detsim
