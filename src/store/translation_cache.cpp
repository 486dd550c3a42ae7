#include "store/translation_cache.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include "core/error.hpp"
#include "store/sqlite.hpp"

namespace arxiv_digest {

struct SqliteTranslationCache::Impl {
  Impl(sqlite::Database& db, Env& clock)
      : env(clock),
        select(db,
               "SELECT text FROM translations WHERE source_sha256 = ? AND field = ? AND "
               "target_language = ? AND backend = ? AND model = ? AND prompt_version = ?"),
        upsert(
            db,
            "INSERT INTO translations (source_sha256, field, target_language, backend, model, "
            "prompt_version, text, prompt_tokens, completion_tokens, characters, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (source_sha256, field, target_language, backend, model, prompt_version) "
            "DO UPDATE SET text = excluded.text, prompt_tokens = excluded.prompt_tokens, "
            "completion_tokens = excluded.completion_tokens, characters = excluded.characters, "
            "created_at = excluded.created_at"),
        count(db, "SELECT count(*) FROM translations") {}
  Env& env;
  sqlite::Statement select;
  sqlite::Statement upsert;
  sqlite::Statement count;
};

SqliteTranslationCache::SqliteTranslationCache(sqlite::Database& db, Env& env, std::string name)
    : name_(std::move(name)) {
  try {
    impl_ = std::make_unique<Impl>(db, env);
  } catch (const sqlite::SqliteError& e) {
    throw sqlite::SqliteError(
        e.code(), fmt::format("archive '{}': opening the translation cache: {}", name_, e.what()));
  }
}

SqliteTranslationCache::~SqliteTranslationCache() = default;

std::optional<std::string> SqliteTranslationCache::find(const TranslationKey& key) {
  try {
    sqlite::StatementScope scope(impl_->select);
    impl_->select.bind_all(key.source_sha256, key.field, key.target, key.backend, key.model,
                           key.prompt_version);
    if (!impl_->select.step()) return std::nullopt;
    return impl_->select.column_text(0);
  } catch (const sqlite::SqliteError& e) {
    throw sqlite::SqliteError(
        e.code(),
        fmt::format("archive '{}': reading the translation cache: {}", name_, e.what()));
  }
}

void SqliteTranslationCache::store(const TranslationKey& key, std::string_view text,
                                   const TokenUsage& usage) {
  try {
    sqlite::StatementScope scope(impl_->upsert);
    impl_->upsert.bind_all(key.source_sha256, key.field, key.target, key.backend, key.model,
                           key.prompt_version, text, usage.prompt_tokens, usage.completion_tokens,
                           usage.characters,
                           static_cast<std::int64_t>(impl_->env.now().time_since_epoch().count()));
    impl_->upsert.run();
  } catch (const sqlite::SqliteError& e) {
    throw sqlite::SqliteError(
        e.code(), fmt::format("archive '{}': storing a translation: {}", name_, e.what()));
  }
}

std::size_t SqliteTranslationCache::size() {
  sqlite::StatementScope scope(impl_->count);
  return impl_->count.step() ? static_cast<std::size_t>(impl_->count.column_int64(0)) : 0;
}

}  // namespace arxiv_digest
