#include "strider/serialization.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <map>
#include <utility>

namespace strider {

namespace {

constexpr char kMagic[8] = {'S', 'T', 'R', 'I', 'D', 'E', 'R', 'M'};
constexpr std::uint32_t kContainerVersion = 1;
constexpr std::size_t kFixedHeader = 32;
constexpr std::uint32_t kMaxHeader = 64 * 1024;

std::uint64_t fnv1a64(const char* data, std::size_t n, std::uint64_t h = 0xcbf29ce484222325ULL) {
  for (std::size_t k = 0; k < n; ++k) {
    h ^= static_cast<unsigned char>(data[k]);
    h *= 0x100000001b3ULL;
  }
  return h;
}

template <class U>
void put_le(std::string& out, U value) {
  for (std::size_t k = 0; k < sizeof(U); ++k) {
    out.push_back(static_cast<char>((value >> (8 * k)) & 0xFF));
  }
}

template <class U>
U get_le(const std::string& in, std::size_t offset) {
  U value = 0;
  for (std::size_t k = 0; k < sizeof(U); ++k) {
    value |= static_cast<U>(static_cast<unsigned char>(in[offset + k])) << (8 * k);
  }
  return value;
}

}  // namespace

bool is_json_path(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".json";
}

namespace detail {

std::string read_file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FormatError(path.string(), 0, "cannot open the model file");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw FormatError(path.string(), 0, "cannot read the model file");
  if (bytes.empty()) throw FormatError(path.string(), 0, "the model file is empty");
  return bytes;
}

std::string make_binary_container(const ModelEnvelope& env, const std::string& payload) {
  std::string header =
      "format=" + env.format + "\nformat_version=" + std::to_string(env.format_version) +
      "\nlibrary_version=" + env.library_version + "\nestimator=" + env.estimator + "\n";
  std::string out(kMagic, sizeof(kMagic));
  put_le<std::uint32_t>(out, kContainerVersion);
  put_le<std::uint32_t>(out, static_cast<std::uint32_t>(header.size()));
  put_le<std::uint64_t>(out, payload.size());
  const std::uint64_t sum =
      fnv1a64(payload.data(), payload.size(), fnv1a64(header.data(), header.size()));
  put_le<std::uint64_t>(out, sum);
  out += header;
  out += payload;
  return out;
}

void check_envelope(const std::filesystem::path& path, const ModelEnvelope& env) {
  if (env.format != kModelFormatName) {
    throw FormatError(
        path.string(), 0,
        "not a strider model (format '" + env.format + "', expected '" + kModelFormatName + "')");
  }
  if (env.format_version > kModelFormatVersion || env.format_version == 0) {
    throw FormatError(path.string(), 0,
                      "model format version " + std::to_string(env.format_version) +
                          " written by strider " + env.library_version + "; this strider (" +
                          version_string + ") reads versions 1 to " +
                          std::to_string(kModelFormatVersion));
  }
  if (env.estimator.empty()) throw FormatError(path.string(), 0, "no estimator type");
}

ModelEnvelope open_binary_container(const std::filesystem::path& path, const std::string& bytes,
                                    std::string& payload) {
  const std::string file = path.string();
  if (bytes.size() < sizeof(kMagic) || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    if (!bytes.empty() && bytes[0] == '{') {
      throw FormatError(file, 0, "looks like a JSON model; give the file a .json name");
    }
    throw FormatError(file, 0, "not a strider model file (bad magic bytes)");
  }
  if (bytes.size() < kFixedHeader) {
    throw FormatError(
        file, 0,
        "truncated: " + std::to_string(bytes.size()) + " bytes, shorter than the 32-byte header");
  }
  const auto container = get_le<std::uint32_t>(bytes, 8);
  if (container != kContainerVersion) {
    throw FormatError(file, 0,
                      "container version " + std::to_string(container) +
                          " is not supported (this strider reads version " +
                          std::to_string(kContainerVersion) + ")");
  }
  const auto header_len = get_le<std::uint32_t>(bytes, 12);
  const auto payload_len = get_le<std::uint64_t>(bytes, 16);
  const auto checksum = get_le<std::uint64_t>(bytes, 24);
  if (header_len > kMaxHeader || payload_len > bytes.size() ||
      kFixedHeader + header_len + payload_len != bytes.size()) {
    throw FormatError(file, 0,
                      "truncated or corrupted: the header announces " +
                          std::to_string(kFixedHeader + std::uint64_t{header_len} + payload_len) +
                          " bytes, the file has " + std::to_string(bytes.size()));
  }
  if (fnv1a64(bytes.data() + kFixedHeader, header_len + payload_len) != checksum) {
    throw FormatError(file, 0, "corrupted: checksum mismatch");
  }
  std::map<std::string, std::string> fields;
  std::istringstream header(bytes.substr(kFixedHeader, header_len));
  for (std::string line; std::getline(header, line);) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) throw FormatError(file, 0, "malformed header line '" + line + "'");
    fields[line.substr(0, eq)] = line.substr(eq + 1);
  }
  ModelEnvelope env;
  env.format = fields["format"];
  env.library_version = fields["library_version"];
  env.estimator = fields["estimator"];
  try {
    env.format_version = static_cast<std::uint32_t>(std::stoul(fields["format_version"]));
  } catch (const std::exception&) {
    throw FormatError(file, 0, "malformed format_version '" + fields["format_version"] + "'");
  }
  check_envelope(path, env);
  payload.assign(bytes, kFixedHeader + header_len, payload_len);
  return env;
}

void normalize_zero_exponents(std::string& json) {
  const std::size_t n = json.size();
  auto digit = [&](std::size_t k) { return k < n && json[k] >= '0' && json[k] <= '9'; };
  bool in_string = false;
  for (std::size_t k = 0; k < n; ++k) {
    const char c = json[k];
    if (in_string) {
      if (c == '\\') {
        ++k;  // the escaped character
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (c != '-' && !digit(k)) continue;
    // A number: -? digits (. digits)? ([eE] [+-]? digits)?
    const std::size_t start = k;
    bool zero = true;
    std::size_t j = k + (c == '-' ? 1 : 0);
    for (; digit(j); ++j)
      zero = zero && json[j] == '0';
    if (j < n && json[j] == '.') {
      for (++j; digit(j); ++j)
        zero = zero && json[j] == '0';
    }
    bool exponent = false;
    if (j < n && (json[j] == 'e' || json[j] == 'E')) {
      std::size_t e = j + 1;
      if (e < n && (json[e] == '+' || json[e] == '-')) ++e;
      if (digit(e)) {
        exponent = true;
        for (j = e; digit(j); ++j) {
        }
      }
    }
    if (exponent && zero && j - start >= (c == '-' ? 4u : 1u)) {
      const std::string plain = c == '-' ? "-0.0" : "0";
      json.replace(start, plain.size(), plain);
      std::fill(json.begin() + static_cast<std::ptrdiff_t>(start + plain.size()),
                json.begin() + static_cast<std::ptrdiff_t>(j), ' ');
    }
    k = j > start ? j - 1 : start;
  }
}

std::string json_model_text(const std::filesystem::path& path, std::string bytes) {
  const std::size_t first = bytes.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || bytes[first] != '{') {
    throw FormatError(path.string(), 0,
                      "not a JSON model: the file does not start with a JSON object");
  }
  normalize_zero_exponents(bytes);
  return bytes;
}

void check_estimator_type(const std::filesystem::path& path, const ModelEnvelope& env,
                          const char* expected) {
  if (env.estimator != expected) {
    throw FormatError(path.string(), 0,
                      "the file holds a " + env.estimator + ", expected a " + expected);
  }
}

}  // namespace detail

ModelEnvelope read_envelope(const std::filesystem::path& path) {
  std::string bytes = detail::read_file_bytes(path);
  if (is_json_path(path)) {
    ModelEnvelope env;
    std::string text = detail::json_model_text(path, std::move(bytes));
    try {
      std::istringstream in(std::move(text));
      cereal::JSONInputArchive ar(in);
      ar(cereal::make_nvp("envelope", env));
    } catch (const std::exception& e) {
      throw FormatError(path.string(), 0, std::string("not a strider JSON model: ") + e.what());
    }
    detail::check_envelope(path, env);
    env.json = true;
    return env;
  }
  std::string payload;
  return detail::open_binary_container(path, bytes, payload);
}

}  // namespace strider
