// An output folder (`--out DIR`) written complete or not at all, with a
// manifest of what one run wrote.
//
// The files go to a hidden temporary folder beside DIR (".NAME.tmp.*");
// commit() adds manifest.json (the command, the program's version, and each
// file's name, size in bytes and SHA-256) and renames the temporary folder
// to DIR. A missing or empty DIR is simply taken. A DIR holding files is
// refused before anything runs, unless `force` and every file in it is one
// that its manifest lists (an earlier run's folder): that folder is then
// replaced whole at the commit, so a folder never mixes two runs. Without
// commit() (an error, a signal) the temporary folder is removed.
#pragma once

#include <string>
#include <string_view>

namespace detsim {

class OutFolder {
 public:
  // Checks `dir` (see above) and creates the temporary folder. Throws
  // std::runtime_error ("DIR: ...": exit code 1) when `dir` is refused or
  // cannot be written, InputError when it exists and is not a folder.
  OutFolder(std::string dir, bool force, std::string command);
  ~OutFolder();
  OutFolder(const OutFolder&) = delete;
  OutFolder& operator=(const OutFolder&) = delete;

  // The temporary folder the run's files go to.
  const std::string& staging() const { return staging_; }
  // Writes manifest.json and puts the folder in place of `dir`. Throws
  // std::runtime_error naming `dir` on failure (nothing then replaces it).
  void commit();

 private:
  std::string dir_, target_, staging_, command_;  // target_: dir_ without a trailing slash
  bool replace_ = false;                          // dir holds an earlier run's files
  bool committed_ = false;
};

// The SHA-256 of `bytes`, as 64 lowercase hexadecimal digits.
std::string sha256_hex(std::string_view bytes);

}  // namespace detsim
