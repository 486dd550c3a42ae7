// Stemmer: the Snowball English stemmer (libstemmer) behind a move-only RAII handle. Internal to
// the match library. An sb_stemmer is not thread-safe: give each thread its own Stemmer.
#pragma once

#include <libstemmer.h>

#include <string_view>
#include <utility>

#include "core/error.hpp"

namespace arxiv_digest {

class Stemmer {
 public:
  Stemmer() : stemmer_(sb_stemmer_new("english", "UTF_8")) {
    if (stemmer_ == nullptr) throw Error("libstemmer: the English stemmer is unavailable");
  }
  ~Stemmer() {
    if (stemmer_ != nullptr) sb_stemmer_delete(stemmer_);
  }
  Stemmer(Stemmer&& other) noexcept : stemmer_(std::exchange(other.stemmer_, nullptr)) {}
  Stemmer& operator=(Stemmer&& other) noexcept {
    std::swap(stemmer_, other.stemmer_);
    return *this;
  }
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;

  // The stem of a folded word; valid until the next call.
  std::string_view stem(std::string_view word) {
    const sb_symbol* out = sb_stemmer_stem(
        stemmer_, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
    if (out == nullptr) return word;  // out of memory: fall back to the word itself
    return {reinterpret_cast<const char*>(out),
            static_cast<std::size_t>(sb_stemmer_length(stemmer_))};
  }

 private:
  sb_stemmer* stemmer_ = nullptr;
};

}  // namespace arxiv_digest
