#include "json.hpp"

// cereal's JSON archive configures rapidjson (assertions that throw); include it first so
// that this file sees rapidjson exactly as the model files' code does.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <cereal/archives/json.hpp>

namespace strider::cli {

struct Json::Impl {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer{buffer};
};

Json::Json() : impl_(new Impl) {}
Json::~Json() {
  delete impl_;
}

Json& Json::begin_object() {
  impl_->writer.StartObject();
  return *this;
}
Json& Json::end_object() {
  impl_->writer.EndObject();
  return *this;
}
Json& Json::begin_array() {
  impl_->writer.StartArray();
  return *this;
}
Json& Json::end_array() {
  impl_->writer.EndArray();
  return *this;
}
Json& Json::key(const std::string& k) {
  impl_->writer.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
  return *this;
}
Json& Json::value(const std::string& s) {
  impl_->writer.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return *this;
}
Json& Json::value(bool b) {
  impl_->writer.Bool(b);
  return *this;
}
Json& Json::value(double v) {
  if (std::isfinite(v)) {
    impl_->writer.Double(v);
  } else {
    impl_->writer.Null();
  }
  return *this;
}
Json& Json::value(std::int64_t v) {
  impl_->writer.Int64(v);
  return *this;
}
Json& Json::value(std::uint64_t v) {
  impl_->writer.Uint64(v);
  return *this;
}
Json& Json::null() {
  impl_->writer.Null();
  return *this;
}

std::string Json::str() const {
  return std::string(impl_->buffer.GetString(), impl_->buffer.GetSize());
}

}  // namespace strider::cli
