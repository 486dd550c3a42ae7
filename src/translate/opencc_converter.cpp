#include "translate/opencc_converter.hpp"

#include <fmt/format.h>
#include <opencc.h>

#include <utility>

#include "core/error.hpp"

namespace arxiv_digest {
namespace {

bool valid(void* handle) {
  return handle != nullptr && handle != reinterpret_cast<void*>(static_cast<std::intptr_t>(-1));
}

// Frees the buffer opencc_convert_utf8 returns.
struct OpenCcBuffer {
  char* data;
  ~OpenCcBuffer() {
    if (data != nullptr) opencc_convert_utf8_free(data);
  }
};

}  // namespace

OpenCcConverter::OpenCcConverter(const std::string& config) {
  opencc_t handle = opencc_open(config.c_str());
  if (!valid(handle))
    throw ConfigError(fmt::format("OpenCC cannot load the configuration '{}': {}", config,
                                  opencc_error() != nullptr ? opencc_error() : "unknown error"));
  handle_ = handle;
}

OpenCcConverter::~OpenCcConverter() {
  if (valid(handle_)) opencc_close(static_cast<opencc_t>(handle_));
}

OpenCcConverter::OpenCcConverter(OpenCcConverter&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), mutex_(std::move(other.mutex_)) {}

OpenCcConverter& OpenCcConverter::operator=(OpenCcConverter&& other) noexcept {
  if (this != &other) {
    if (valid(handle_)) opencc_close(static_cast<opencc_t>(handle_));
    handle_ = std::exchange(other.handle_, nullptr);
    mutex_ = std::move(other.mutex_);
  }
  return *this;
}

std::string OpenCcConverter::convert(std::string_view text) const {
  if (!valid(handle_)) throw Error("OpenCC converter used after being moved from");
  const std::lock_guard lock(*mutex_);
  OpenCcBuffer out{opencc_convert_utf8(static_cast<opencc_t>(handle_), text.data(), text.size())};
  if (out.data == nullptr)
    throw Error(fmt::format("OpenCC conversion failed: {}",
                            opencc_error() != nullptr ? opencc_error() : "unknown error"));
  return std::string(out.data);
}

}  // namespace arxiv_digest
