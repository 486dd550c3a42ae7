// SqliteArchive's private state and the papers_fts helpers shared by the files that implement
// it (sqlite_archive.cpp, sqlite_stats.cpp, sqlite_bulk_load.cpp). Not part of the store's
// interface: include it from those files only.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/env.hpp"
#include "core/error.hpp"
#include "core/paper.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_archive.hpp"
#include "store/translation_cache.hpp"

namespace arxiv_digest {

struct SqliteArchive::Impl {
  Impl(sqlite::Database database, Env& clock) : db(std::move(database)), env(clock) {}
  sqlite::Database db;
  Env& env;
  int busy_timeout_ms = 0;  // SqliteArchiveOptions::busy_timeout, for other connections
  std::unique_ptr<SqliteTranslationCache> translations;  // made on first use
};

// Runs `body`; a StoreError escaping it is rethrown with `context` prepended (the body's own
// guards, e.g. a Transaction, have already rolled back by then). `context` is text, or a
// callable returning it, called only on failure (for contexts formatted in a hot loop).
template <typename Context, typename Body>
auto in_context(const Context& context, Body&& body) {
  const auto text = [&]() -> std::string {
    if constexpr (std::is_invocable_v<const Context&>) {
      return context();
    } else {
      return std::string(context);
    }
  };
  try {
    return std::forward<Body>(body)();
  } catch (const sqlite::SqliteError& e) {
    throw sqlite::SqliteError(e.code(), fmt::format("{}: {}", text(), e.what()));
  } catch (const StoreError& e) {
    throw StoreError(e.kind(), fmt::format("{}: {}", text(), e.what()));
  }
}

// ---- papers_fts (schema 6; see the migrations in sqlite_archive.cpp) -------------------------

// The papers_fts row of a paper (see fts_words()). `hashes` holds fts_hash_token() of the title
// and of the abstract: the translation cache is keyed by the SHA-256 of the source text, so
// these tokens lead from a translation to the papers it translates.
struct FtsRow {
  std::string title, abstract, authors, categories, comments, hashes;
};

FtsRow fts_row(std::string_view title, std::string_view abstract,
               const std::vector<std::string>& authors, const std::vector<std::string>& categories,
               std::string_view comments);

// One change upsert_papers() makes to papers_fts: add a paper's entry, or remove one (a
// contentless FTS5 table needs the entry's old text to remove it).
struct FtsChange {
  enum class Kind { kAdd, kRemove };
  Kind kind = Kind::kAdd;
  std::int64_t rank = 0;  // the rowid: papers.id_rank
  FtsRow row;
};

// Statements on a papers_fts table (the archive's, or a bulk load's scratch copy of it).
extern const char* const kInsertFts;  // ?1 rowid, ?2..?7 the FtsRow's columns
extern const char* const kDeleteFts;  // the same, as FTS5's 'delete' command
void write_fts(sqlite::Statement& statement, std::int64_t rowid, const FtsRow& row);
void apply_fts_changes(sqlite::Statement& insert, sqlite::Statement& remove,
                       const std::vector<FtsChange>& changes);

// The latest stored version of every paper in id_rank order (FTS5 flushes its hash whenever
// rowids go down): id_rank, then what fts_row_of_latest() reads.
extern const char* const kSelectLatestVersions;
FtsRow fts_row_of_latest(const sqlite::Statement& row);

// Upserts `papers` inside the caller's transaction and works out how papers_fts must change to
// keep one entry per paper for its latest version: a version at or above the latest stored one
// whose indexed fields differ replaces the paper's entry; an older version or unchanged text
// changes nothing (re-importing a file rewrites nothing in the index). With `deferred` null the
// changes are written to papers_fts at once, and the call throws StoreError (kUnavailable, the
// papers not written) while a bulk load's index build is pending (the index_builds row): its
// finish() replaces papers_fts, which would lose them. Otherwise the changes are appended to
// *deferred, in order, for the caller to apply to a bulk load's scratch index.
void upsert_papers(sqlite::Database& db, const std::vector<Paper>& papers, std::int64_t seen_at,
                   std::vector<FtsChange>* deferred = nullptr);

// Throws StoreError (kUnavailable) naming the process and time when a bulk load's index build is
// pending: still running, or stopped before it finished (then the message says how to finish it).
void refuse_while_index_builds(sqlite::Database& db);

}  // namespace arxiv_digest
