// write_file_atomic: temporary file, fsync, rename (POSIX).

#include "report/atomic_file.hpp"

#include "detsim/load.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace detsim {

namespace {

[[noreturn]] void fail(const std::string& path, int err) {
  throw std::runtime_error(
      fmt::format("cannot write {}: {}", path, std::generic_category().message(err)));
}

// A name for the temporary file, unique within this process and very likely
// across processes (the caller still creates it with O_EXCL).
std::string temp_name(const std::filesystem::path& target) {
  static std::atomic<std::uint64_t> counter{0};
  const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
  const std::string leaf = fmt::format(".{}.tmp.{}.{}.{}", target.filename().string(),
                                       static_cast<long>(::getpid()), counter++, ticks);
  return (target.parent_path() / leaf).string();
}

// Creates a new temporary file beside `path`; returns its descriptor and
// sets `temp` to its name.
int create_temp(const std::string& path, std::string* temp) {
  const std::filesystem::path target(path);
  for (int attempt = 0; attempt < 100; ++attempt) {
    *temp = temp_name(target);
    const int fd = ::open(temp->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return fd;
    if (errno != EEXIST) fail(path, errno);
  }
  fail(path, EEXIST);
}

// Renames `from` to `to` unless `to` exists (EEXIST then): renameat2 with
// RENAME_NOREPLACE, or a hard link where the file system lacks it.
int rename_no_replace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return errno;
  if (::link(from.c_str(), to.c_str()) != 0) return errno;
  ::unlink(from.c_str());
  return 0;
}

// Writes all of `content`; returns 0 or the errno of the failure.
int write_all(int fd, std::string_view content) {
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return 0;
}

// Best effort: makes the rename itself durable. Some file systems refuse to
// fsync a folder; the file's content is already on disk then.
void sync_folder(const std::string& path) {
  std::string folder = std::filesystem::path(path).parent_path().string();
  if (folder.empty()) folder = ".";
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

}  // namespace

void check_output_target(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;  // absent (or unreachable: the write will say)
  if (S_ISREG(st.st_mode)) return;
  const char* what = S_ISDIR(st.st_mode)                          ? "a directory"
                     : S_ISFIFO(st.st_mode)                       ? "a FIFO"
                     : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                                                                  : "not a regular file";
  throw InputError(fmt::format("{}: is {}; outputs are written only as regular files", path, what));
}

std::string temp_path_beside(const std::string& path) {
  return temp_name(std::filesystem::path(path));
}

void sync_and_rename(const std::string& path, const std::string& target) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(target, errno);
  int err = 0;
  if (::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0) check_output_target(target);
  if (err == 0 && ::rename(path.c_str(), target.c_str()) != 0) err = errno;
  if (err != 0) fail(target, err);
  sync_folder(target);
}

void write_file_atomic(const std::string& path, std::string_view content) {
  check_output_target(path);
  std::string temp;
  const int fd = create_temp(path, &temp);
  int err = write_all(fd, content);
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && ::rename(temp.c_str(), path.c_str()) != 0) err = errno;
  if (err != 0) {
    ::unlink(temp.c_str());
    fail(path, err);
  }
  sync_folder(path);
}

int write_file_atomic_locked(const std::string& path, std::string_view content, bool no_replace) {
  check_output_target(path);
  std::string temp;
  const int created = create_temp(path, &temp);
  ::close(created);
  // Opened again for reading and appending: the caller goes on appending.
  const int fd = ::open(temp.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
  int err = fd < 0 ? errno : 0;
  if (err == 0 && ::flock(fd, LOCK_EX | LOCK_NB) != 0) err = errno;
  if (err == 0) err = write_all(fd, content);
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (err == 0) {
    if (no_replace)
      err = rename_no_replace(temp, path);
    else if (::rename(temp.c_str(), path.c_str()) != 0)
      err = errno;
  }
  if (err != 0) {
    if (fd >= 0) ::close(fd);
    ::unlink(temp.c_str());
    if (err == EEXIST && no_replace) return -1;
    fail(path, err);
  }
  sync_folder(path);
  return fd;
}

}  // namespace detsim
