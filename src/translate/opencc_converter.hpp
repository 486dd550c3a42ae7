// OpenCcConverter: Simplified -> Traditional Chinese conversion with OpenCC (zh-TW targets are
// translated to zh-CN and converted, so every backend serves zh-TW the same way).
// Owns an opencc_t (RAII, move-only). convert() is serialised internally (thread-safe).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace arxiv_digest {

class OpenCcConverter {
 public:
  // `config`: an OpenCC configuration name such as "s2twp.json" (Simplified -> Taiwan with
  // phrases). Throws ConfigError naming it when OpenCC cannot load it.
  explicit OpenCcConverter(const std::string& config = "s2twp.json");
  ~OpenCcConverter();
  OpenCcConverter(OpenCcConverter&& other) noexcept;
  OpenCcConverter& operator=(OpenCcConverter&& other) noexcept;
  OpenCcConverter(const OpenCcConverter&) = delete;
  OpenCcConverter& operator=(const OpenCcConverter&) = delete;

  // Throws Error when the conversion fails.
  std::string convert(std::string_view text) const;

 private:
  void* handle_ = nullptr;  // opencc_t
  std::unique_ptr<std::mutex> mutex_ = std::make_unique<std::mutex>();
};

}  // namespace arxiv_digest
