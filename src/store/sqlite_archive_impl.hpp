// SqliteArchive's private state, shared by the files that implement it (sqlite_archive.cpp,
// sqlite_stats.cpp). Not part of the store's interface: include it from those files only.
#pragma once

#include <memory>

#include "core/env.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_archive.hpp"
#include "store/translation_cache.hpp"

namespace arxiv_digest {

struct SqliteArchive::Impl {
  Impl(sqlite::Database database, Env& clock) : db(std::move(database)), env(clock) {}
  sqlite::Database db;
  Env& env;
  std::unique_ptr<SqliteTranslationCache> translations;  // made on first use
};

}  // namespace arxiv_digest
