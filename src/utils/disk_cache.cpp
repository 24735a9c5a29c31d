#include "strider/utils/disk_cache.hpp"

#include <bit>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>

#include "strider/io/atomic_write.hpp"
#include "strider/version.hpp"

namespace strider::utils {

namespace {

constexpr char kMagic[8] = {'S', 'T', 'R', 'I', 'D', 'E', 'R', 'C'};
constexpr std::uint32_t kFormatVersion = 1;
// Seeds that make the three uses of hash128 independent functions.
constexpr std::uint64_t kSeedArgs = 0x61726773;     // "args"
constexpr std::uint64_t kSeedPayload = 0x7061796c;  // "payl"
constexpr std::uint64_t kSeedKey = 0x6b6579;        // "key"

constexpr std::uint64_t rotl(std::uint64_t x, int r) noexcept {
  return (x << r) | (x >> (64 - r));
}

// MurmurHash3's 64-bit finaliser: every input bit affects every output bit.
constexpr std::uint64_t fmix64(std::uint64_t k) noexcept {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

std::uint64_t load_le64(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
  return w;
}

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
void put_str(std::string& out, std::string_view s) {
  put_u32(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}
void put_hash(std::string& out, const Hash128& h) {
  put_u64(out, h.hi);
  put_u64(out, h.lo);
}

// Reads the fields written by put_*; every read is bounds-checked, so a truncated or
// foreign file fails cleanly instead of reading past the end or allocating wildly.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool ok() const noexcept { return ok_; }
  std::size_t remaining() const noexcept { return bytes_.size() - pos_; }
  std::string_view take(std::size_t n) {
    if (!ok_ || n > remaining()) {
      ok_ = false;
      return {};
    }
    const std::string_view s = bytes_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::uint64_t u(int n_bytes) {
    const std::string_view s = take(static_cast<std::size_t>(n_bytes));
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
      v |= static_cast<std::uint64_t>(static_cast<unsigned char>(s[i])) << (8 * i);
    return v;
  }
  std::string_view str() { return take(static_cast<std::size_t>(u(4))); }
  Hash128 hash() {
    Hash128 h;
    h.hi = u(8);
    h.lo = u(8);
    return h;
  }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

// Key material: everything that identifies a call, with lengths so fields cannot run
// into each other ("ab" + "c" differs from "a" + "bc").
std::string key_material(const std::string& name, const std::string& type,
                         std::string_view arg_bytes) {
  std::string s;
  put_str(s, name);
  put_str(s, version_string);
  put_str(s, type);
  put_u64(s, arg_bytes.size());
  put_hash(s, hash128(arg_bytes, kSeedArgs));
  return s;
}

std::string to_hex(std::uint64_t v) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4)
    s[static_cast<std::size_t>(i)] = digits[v & 0xF];
  return s;
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Hash128 hash128(std::string_view bytes, std::uint64_t seed) noexcept {
  std::uint64_t a = fmix64(seed ^ 0x9E3779B97F4A7C15ULL);
  std::uint64_t b = fmix64(~seed ^ 0xC2B2AE3D27D4EB4FULL);
  const std::size_t n = bytes.size();
  const char* p = bytes.data();
  std::size_t i = 0;
  const auto mix = [&](std::uint64_t w) {
    a = rotl(a ^ (w * 0x87c37b91114253d5ULL), 31) * 0x4cf5ad432745937fULL;
    b = (b ^ rotl(w * 0xff51afd7ed558ccdULL, 27)) * 0x9FB21C651E98DF25ULL + 0x52dce729ULL;
  };
  for (; i + 8 <= n; i += 8)
    mix(load_le64(p + i));
  if (i < n) {  // the 1..7 last bytes, little-endian, in one word
    std::uint64_t w = 0;
    for (std::size_t k = 0; i + k < n; ++k)
      w |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i + k])) << (8 * k);
    mix(w);
  }
  // The length separates inputs that differ only by trailing zero bytes.
  return {fmix64(a ^ n), fmix64(b + n * 0x9E3779B97F4A7C15ULL)};
}

DiskCache::DiskCache(std::filesystem::path dir) : dir_(std::move(dir)) {
  if (dir_.empty()) throw std::invalid_argument("DiskCache: the directory path is empty");
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (!std::filesystem::is_directory(dir_)) {
    throw std::runtime_error("DiskCache: cannot use " + dir_.string() + " as a directory" +
                             (ec ? " (" + ec.message() + ")" : std::string(" (not a directory)")));
  }
}

void DiskCache::check_name(const std::string& name) {
  if (name.empty()) throw std::invalid_argument("DiskCache::call(): the function name is empty");
}

std::filesystem::path DiskCache::entry_path(const std::string& name, const std::string& type,
                                            std::string_view arg_bytes) const {
  const Hash128 key = hash128(key_material(name, type, arg_bytes), kSeedKey);
  // A readable prefix for people browsing the directory; the hash makes it unique.
  std::string prefix;
  for (const char c : name.substr(0, 40)) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-';
    prefix += keep ? c : '_';
  }
  return dir_ / (prefix + "-" + to_hex(key.hi) + to_hex(key.lo) + kExtension);
}

std::optional<std::string> DiskCache::load(const std::string& name, const std::string& type,
                                           std::string_view arg_bytes) const {
  std::ifstream in(entry_path(name, type, arg_bytes), std::ios::binary);
  if (!in) return std::nullopt;
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;

  Reader r(bytes);
  const bool header_ok = r.take(sizeof kMagic) == std::string_view(kMagic, sizeof kMagic) &&
                         r.u(4) == kFormatVersion && r.str() == name && r.str() == version_string &&
                         r.str() == type && r.u(8) == arg_bytes.size() &&
                         r.hash() == hash128(arg_bytes, kSeedArgs);
  if (!header_ok || !r.ok()) return std::nullopt;
  const std::uint64_t payload_size = r.u(8);
  const Hash128 payload_digest = r.hash();
  if (!r.ok() || payload_size != r.remaining()) return std::nullopt;
  const std::string_view payload = r.take(static_cast<std::size_t>(payload_size));
  if (!r.ok() || hash128(payload, kSeedPayload) != payload_digest) return std::nullopt;
  return std::string(payload);
}

void DiskCache::store(const std::string& name, const std::string& type, std::string_view arg_bytes,
                      std::string payload) noexcept {
  try {
    std::string bytes(kMagic, sizeof kMagic);
    put_u32(bytes, kFormatVersion);
    put_str(bytes, name);
    put_str(bytes, version_string);
    put_str(bytes, type);
    put_u64(bytes, arg_bytes.size());
    put_hash(bytes, hash128(arg_bytes, kSeedArgs));
    put_u64(bytes, payload.size());
    put_hash(bytes, hash128(payload, kSeedPayload));
    bytes += payload;
    io::write_file_atomic(entry_path(name, type, arg_bytes), bytes);
  } catch (...) {
    write_errors_.fetch_add(1, std::memory_order_relaxed);
  }
}

std::size_t DiskCache::clear() {
  std::size_t removed = 0;
  std::error_code ec;
  const std::string temp_marker = std::string(kExtension) + ".tmp.";
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    const std::string file = entry.path().filename().string();
    const bool is_entry = ends_with(file, kExtension);
    if (!is_entry && file.find(temp_marker) == std::string::npos) continue;
    std::error_code remove_ec;
    if (std::filesystem::remove(entry.path(), remove_ec) && is_entry) ++removed;
  }
  return removed;
}

}  // namespace strider::utils
