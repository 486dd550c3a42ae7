// TranslationCache: where accepted translations are kept so that nothing is paid for twice.
//
// The interface lives in core so that the store implements it without linking translate, and the
// web UI reads translations without linking curl or OpenCC.
//
// Key: (SHA-256 of the source text, field, target language, backend, model, prompt version).
// Only accepted (validated) translations are stored; failures never are, so they are retried on
// the next run. store() must make the entry durable before returning (the engine stores each
// result as soon as it arrives: a killed run keeps what it paid for).
// Implementations: the archive's (Archive::translations(), store library), MemoryTranslationCache
// (below, tests and runs without an archive). Thread-safety: none required; the translation
// engine serialises every call.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

namespace arxiv_digest {

// What producing a translation cost.
struct TokenUsage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t characters = 0;  // billed characters (MT engines), source characters otherwise
  TokenUsage& operator+=(const TokenUsage& other) {
    prompt_tokens += other.prompt_tokens;
    completion_tokens += other.completion_tokens;
    characters += other.characters;
    return *this;
  }
};

struct TranslationKey {
  std::string source_sha256;   // lower-case hex of the source text's bytes
  std::string field;           // "title" | "abstract"
  std::string target;          // "zh-CN"
  std::string backend;         // "openai"
  std::string model;           // "" for MT engines
  std::string prompt_version;  // "" for MT engines
  auto tie() const {
    return std::tie(source_sha256, field, target, backend, model, prompt_version);
  }
  bool operator<(const TranslationKey& other) const { return tie() < other.tie(); }
};

class TranslationCache {
 public:
  virtual ~TranslationCache() = default;
  virtual std::optional<std::string> find(const TranslationKey& key) = 0;
  // Upsert; durable on return. `usage` is what producing it cost (kept for the record).
  virtual void store(const TranslationKey& key, std::string_view text, const TokenUsage& usage) = 0;
};

class MemoryTranslationCache final : public TranslationCache {
 public:
  std::optional<std::string> find(const TranslationKey& key) override {
    auto it = entries_.find(key);
    return it == entries_.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
  void store(const TranslationKey& key, std::string_view text, const TokenUsage&) override {
    entries_[key] = std::string(text);
  }
  std::size_t size() const noexcept { return entries_.size(); }

 private:
  std::map<TranslationKey, std::string> entries_;
};

}  // namespace arxiv_digest
