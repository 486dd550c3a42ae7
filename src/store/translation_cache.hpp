// SqliteTranslationCache: the TranslationCache (translate/translation_cache.hpp) kept in the
// archive's `translations` table (schema version 2).
//
// Opening: the archive file is opened through SqliteArchive first (creating it and migrating the
// schema, with every check SqliteArchive makes), then with a connection of its own. ":memory:" is
// not supported (the two connections would see different databases): StoreError(SQLITE_MISUSE).
// store() is one autocommit statement: the row is durable (WAL) when it returns, so a killed run
// keeps every translation it received. Failures throw StoreError naming the file.
// Thread-safety: none (one connection); the translation engine serialises its calls.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "translate/translation_cache.hpp"

namespace arxiv_digest {

class SqliteTranslationCache final : public TranslationCache {
 public:
  // `now` gives created_at (default: the system clock).
  explicit SqliteTranslationCache(const std::filesystem::path& path,
                                  std::function<std::chrono::sys_seconds()> now = {});
  ~SqliteTranslationCache() override;
  SqliteTranslationCache(const SqliteTranslationCache&) = delete;
  SqliteTranslationCache& operator=(const SqliteTranslationCache&) = delete;

  std::optional<std::string> find(const TranslationKey& key) override;
  void store(const TranslationKey& key, std::string_view text, const TokenUsage& usage) override;
  // Rows in the table (tests, statistics).
  std::size_t size();

 private:
  struct Impl;
  std::filesystem::path path_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace arxiv_digest
