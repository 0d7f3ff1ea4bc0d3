// `--out DIR` folders and their manifest (see report/out_folder.hpp).
#include "report/out_folder.hpp"

#include <fmt/core.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "detsim/load.hpp"
#include "detsim/version.hpp"
#include "report/atomic_file.hpp"

namespace detsim {
namespace fs = std::filesystem;
namespace {

constexpr const char* kManifest = "manifest.json";

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  if (!in && !in.eof()) throw std::runtime_error(fmt::format("cannot read {}", p.string()));
  return s.str();
}

// The names an earlier run's manifest lists, or nothing when there is none.
std::set<std::string> manifest_names(const fs::path& dir) {
  std::set<std::string> names;
  std::error_code ec;
  if (!fs::is_regular_file(dir / kManifest, ec)) return names;
  try {
    const auto j = nlohmann::json::parse(read_all(dir / kManifest));
    for (const auto& f : j.at("files")) names.insert(f.at("name").get<std::string>());
    names.insert(kManifest);
  } catch (const nlohmann::json::exception&) {
    names.clear();
  }
  return names;
}

}  // namespace

OutFolder::OutFolder(std::string dir, bool force, std::string command)
    : dir_(std::move(dir)), command_(std::move(command)) {
  fs::path folder = fs::path(dir_).lexically_normal();
  if (folder.filename().empty()) folder = folder.parent_path();  // "results/"
  target_ = folder.string();
  std::error_code ec;
  const fs::file_status st = fs::status(folder, ec);
  if (fs::exists(st) && !fs::is_directory(st))
    throw InputError(fmt::format("{}: not a folder; --out needs a folder", dir_));
  if (fs::exists(st) && !fs::is_empty(folder, ec)) {
    const std::set<std::string> listed = manifest_names(folder);
    std::vector<std::string> foreign;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
      const std::string name = entry.path().filename().string();
      if (!entry.is_regular_file() || !listed.count(name)) foreign.push_back(name);
    }
    if (!force || !foreign.empty()) {
      std::sort(foreign.begin(), foreign.end());
      throw std::runtime_error(
          force ? fmt::format("{}: holds files no detsim manifest lists ({}{}); --force replaces "
                              "only an earlier run's folder: choose a new folder",
                              dir_, foreign.front(), foreign.size() > 1 ? ", ..." : "")
                : fmt::format("{}: not empty (an earlier run's files?); add --force to replace "
                              "an earlier run's folder, or choose a new folder",
                              dir_));
    }
    replace_ = true;
  }
  const fs::path parent = folder.parent_path().empty() ? fs::path(".") : folder.parent_path();
  fs::create_directories(parent, ec);
  if (ec)
    throw std::runtime_error(fmt::format("cannot create {}: {}", parent.string(), ec.message()));
  const std::string name = (parent / ("." + folder.filename().string() + ".tmp.XXXXXX")).string();
  std::vector<char> buffer(name.begin(), name.end());
  buffer.push_back('\0');
  if (!::mkdtemp(buffer.data()))
    throw std::runtime_error(
        fmt::format("cannot write {}: cannot create a folder beside it", dir_));
  staging_ = buffer.data();
  const mode_t mask = ::umask(0);  // mkdtemp makes 0700; a folder gets the usual 0777 less umask
  ::umask(mask);
  fs::permissions(staging_, static_cast<fs::perms>(0777 & ~mask), ec);
}

OutFolder::~OutFolder() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

void OutFolder::commit() {
  nlohmann::ordered_json manifest;
  manifest["command"] = command_;
  manifest["version"] = version();
  manifest["files"] = nlohmann::ordered_json::array();
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(staging_)) {
    if (entry.is_regular_file() && entry.path().filename().string()[0] != '.')
      names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  for (const std::string& n : names) {
    const std::string bytes = read_all(fs::path(staging_) / n);
    manifest["files"].push_back(
        {{"name", n}, {"bytes", bytes.size()}, {"sha256", sha256_hex(bytes)}});
  }
  write_file_atomic((fs::path(staging_) / kManifest).string(), manifest.dump(2) + "\n");
  const fs::path target(target_);
  std::error_code ec;
  if (replace_) {
    const std::string old = staging_ + ".old";
    fs::rename(target, old, ec);
    if (ec) throw std::runtime_error(fmt::format("cannot replace {}: {}", dir_, ec.message()));
    fs::rename(staging_, target, ec);
    if (ec) {
      std::error_code back;
      fs::rename(old, target, back);
      throw std::runtime_error(fmt::format("cannot write {}: {}", dir_, ec.message()));
    }
    fs::remove_all(old, ec);
  } else {
    if (fs::is_directory(target, ec)) fs::remove(target, ec);  // empty
    fs::rename(staging_, target, ec);
    if (ec) throw std::runtime_error(fmt::format("cannot write {}: {}", dir_, ec.message()));
  }
  committed_ = true;
}

// FIPS 180-4.
std::string sha256_hex(std::string_view bytes) {
  static constexpr std::array<std::uint32_t, 64> k = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
      0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
      0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
      0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
      0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
      0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
      0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
      0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
      0xc67178f2};
  std::array<std::uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::string data(bytes);
  const std::uint64_t bits = static_cast<std::uint64_t>(bytes.size()) * 8;
  data.push_back(static_cast<char>(0x80));
  while (data.size() % 64 != 56) data.push_back('\0');
  for (int i = 7; i >= 0; --i) data.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  const auto rotr = [](std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); };
  for (std::size_t block = 0; block < data.size(); block += 64) {
    std::array<std::uint32_t, 64> w{};
    for (std::size_t i = 0; i < 16; ++i) {
      for (std::size_t b = 0; b < 4; ++b)
        w[i] = (w[i] << 8) | static_cast<unsigned char>(data[block + 4 * i + b]);
    }
    for (std::size_t i = 16; i < 64; ++i) {
      const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::array<std::uint32_t, 8> v = h;
    for (std::size_t i = 0; i < 64; ++i) {
      const std::uint32_t s1 = rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25);
      const std::uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
      const std::uint32_t t1 = v[7] + s1 + ch + k[i] + w[i];
      const std::uint32_t s0 = rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22);
      const std::uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
      const std::uint32_t t2 = s0 + maj;
      v = {t1 + t2, v[0], v[1], v[2], v[3] + t1, v[4], v[5], v[6]};
    }
    for (std::size_t i = 0; i < 8; ++i) h[i] += v[i];
  }
  std::string out;
  for (std::uint32_t x : h) out += fmt::format("{:08x}", x);
  return out;
}

}  // namespace detsim
