// SqliteTranslationCache: the TranslationCache (core/translation_cache.hpp) kept in the archive's
// `translations` table (schema version 2), on the archive's own connection: one connection per
// run. Obtained from SqliteArchive::translations(); store-internal otherwise.
//
// store() is one autocommit statement: the row is durable (WAL) when it returns, so a killed run
// keeps every translation it received. Failures throw StoreError naming the archive.
// Thread-safety: none (the archive's connection); the translation engine serialises its calls.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/env.hpp"
#include "core/translation_cache.hpp"

namespace arxiv_digest {

namespace sqlite {
class Database;
}

class SqliteTranslationCache final : public TranslationCache {
 public:
  // `db` (already migrated by SqliteArchive) and `env` must outlive the cache. `env` gives
  // created_at. `name` is the archive's path, for messages.
  SqliteTranslationCache(sqlite::Database& db, Env& env, std::string name);
  ~SqliteTranslationCache() override;
  SqliteTranslationCache(const SqliteTranslationCache&) = delete;
  SqliteTranslationCache& operator=(const SqliteTranslationCache&) = delete;

  std::optional<std::string> find(const TranslationKey& key) override;
  void store(const TranslationKey& key, std::string_view text, const TokenUsage& usage) override;
  // Rows in the table (tests, statistics).
  std::size_t size();

 private:
  struct Impl;
  std::string name_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace arxiv_digest
