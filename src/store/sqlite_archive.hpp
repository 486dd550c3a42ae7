// SqliteArchive: the Archive kept in one SQLite file.
//
// Opening: the constructor creates the file's parent directories and the file if missing, turns
// on foreign keys, the busy timeout and (for files) WAL journal mode, then brings the schema to
// kSchemaVersion (PRAGMA user_version) inside one transaction. It throws StoreError naming the
// path when the file cannot be opened, is not a SQLite database (code SQLITE_NOTADB), is a SQLite
// database of some other application (SQLITE_NOTADB), or was written by a newer arxiv-digest
// (schema version above kSchemaVersion; code SQLITE_ERROR). On a throw nothing is leaked.
//
// Storage (see the schema in sqlite_archive.cpp):
//  - papers: one row per version-less key + version (version 0 when the source gave none).
//    `first_seen_at` is the fetched_at of the first announcement that stored that version and is
//    never changed by later saves; every other field takes the latest saved values.
//  - announcements: one row per (listing date, canonical category set, source), where the
//    canonical set is the categories sorted, de-duplicated and '+'-joined ("cs.AI+cs.LG").
//  - announcement_papers: which paper version each announcement listed, with its announce type.
//  - digests: one row per (listing date, format, path).
//  - translations (schema version 2): the translation cache, on this archive's connection
//    (translations()).
//  - deliveries (schema version 3): the delivery log, one row per (listing date, audience,
//    channel) holding the latest attempt.
//  - papers_fts, translations_fts (schema version 4): the full-text indexes behind scan_papers()
//    (FTS5; papers_fts kept in step by every paper write, translations_fts by triggers on the
//    translation cache's table; see the migration's comment for the tokenizers and why).
//  - harvests (schema version 5): OAI-PMH harvest progress, one row per window (from, until,
//    set, format; a missing until is stored as '').
//  - schema version 6: papers_fts holds one entry per paper (its latest stored version) under
//    papers.id_rank, a number in arXiv id order, so scan_papers() streams newest first without
//    sorting; id_archives numbers old-style archive names for it.
//  - index_builds (schema version 7): at most one row, while a bulk load builds papers_fts
//    alongside (see begin_bulk_load()).
//
// save_papers() and the other paper writes compute the index rows of a large batch (512 papers
// or more, e.g. an import's) on one helper thread while the calling thread writes; the call
// still returns only when its transaction has committed.
//
// Every write runs in one IMMEDIATE transaction; on any failure the transaction is rolled back,
// the archive is exactly as before, and StoreError is thrown with SQLite's (extended) result code,
// SQLite's message and what was being done. Writes are idempotent.
//
// Thread-safety: an instance is NOT thread-safe (its connection is opened without SQLite's
// mutex). Use one instance per thread; several instances (threads or processes) may share one
// file, writers wait up to `busy_timeout` for each other.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/env.hpp"
#include "store/archive.hpp"

namespace arxiv_digest {
namespace sqlite {
class Database;
}
class SqliteBulkLoad;

struct SqliteArchiveOptions {
  // How long a statement waits for another connection's lock before failing with SQLITE_BUSY.
  // Default: 5 seconds.
  std::chrono::milliseconds busy_timeout{5000};
  // The clock for recorded times the caller does not give (a translation's created_at).
  // Default Env::system(); must outlive the archive.
  Env* env = nullptr;
};

class SqliteArchive final : public Archive {
 public:
  // The schema version this build reads and writes.
  static constexpr int kSchemaVersion = 7;

  // Opens (creating if needed) the archive at `path`; ":memory:" gives a private in-memory
  // archive. Throws StoreError as described above.
  explicit SqliteArchive(const std::filesystem::path& path, SqliteArchiveOptions options = {});
  // Closes the connection; never throws.
  ~SqliteArchive() override;

  SqliteArchive(SqliteArchive&& other) noexcept;
  SqliteArchive& operator=(SqliteArchive&& other) noexcept;
  SqliteArchive(const SqliteArchive&) = delete;
  SqliteArchive& operator=(const SqliteArchive&) = delete;

  // Closes the connection now (idempotent, never throws). Afterwards every other member except
  // path() throws StoreError (SQLITE_MISUSE).
  void close() noexcept;
  const std::filesystem::path& path() const noexcept;

  // Upserts the papers and replaces the announcement's row and paper list, in one transaction.
  // Duplicate version-less ids within `announcement.papers`, an empty id, or text that is not
  // valid UTF-8 in the author or category lists make it throw StoreError (nothing stored).
  void save_announcement(const Announcement& announcement) override;

  // Upserts papers looked up outside any announcement (e.g. a topic's example papers by id), in
  // one transaction; `fetched_at` becomes first_seen_at of versions not stored yet.
  void save_papers(const std::vector<Paper>& papers, std::chrono::sys_seconds fetched_at) override;
  // A bulk load (see Archive and sqlite_bulk_load.cpp). When the archive holds at most
  // `expected_papers` papers, or an earlier load stopped before finishing its index: papers_fts
  // is built in the scratch database `<path>-index-build` (next to the archive, deleted when the
  // load ends) on a thread of its own while the papers are written, and replaces the archive's
  // at finish(). Until then an index_builds row (schema 7) makes other paper writes throw
  // StoreError (kUnavailable) and searches read every paper without the index. Otherwise (and for
  // ":memory:") each batch is saved with save_papers(). Throws StoreError (kUnavailable) while
  // another live process's load of this archive runs. The load must not outlive the archive.
  std::unique_ptr<BulkLoad> begin_bulk_load(std::uint64_t expected_papers) override;
  // Categories are compared as a set (order and duplicates ignored). Returns the most recently
  // fetched matching announcement of any source; its `categories` are the canonical sorted set,
  // its papers sorted by id, each carrying the announce type recorded for this announcement.
  std::optional<Announcement> load_announcement(
      Date listing_date, const std::vector<std::string>& categories) override;

  // The highest stored version for `key` (version-less, e.g. "2606.18284"). Its announce_type is
  // the one recorded by the most recently fetched announcement listing that version (kNew when
  // none did).
  std::optional<Paper> find_paper(const std::string& key) override;

  // Upsert on (listing_date, format, path).
  void record_digest(const DigestRecord& record) override;
  // Ordered by format, then path.
  std::vector<DigestRecord> digests_for(Date listing_date) override;

  // The delivery log (see Archive). A record with an empty channel, attempts < 1 or text that is
  // not valid UTF-8 throws StoreError (kRejected).
  void record_delivery(const DeliveryRecord& record) override;
  std::optional<DeliveryRecord> find_delivery(Date listing_date, const std::string& audience,
                                              const std::string& channel) override;
  std::vector<DeliveryRecord> deliveries_for(Date listing_date) override;

  // Search (see Archive and full_text.hpp). The cursor holds a read transaction until destroyed;
  // no write may run on this archive meanwhile (the connection is shared).
  std::unique_ptr<PaperCursor> scan_papers(const PaperScan& scan) override;
  std::optional<std::string> find_translation(const Paper& paper, const std::string& field,
                                              const std::string& language) override;
  std::size_t paper_count() override;
  // See Archive. A window whose from/until is not a valid date, or text that is not valid UTF-8,
  // throws StoreError (nothing stored).
  void save_harvest_page(const std::vector<Paper>& papers,
                         const HarvestProgress& progress) override;
  std::optional<HarvestProgress> find_harvest(const HarvestWindow& window) override;

  // The translation cache in this archive, on the same connection (valid until close()).
  TranslationCache& translations() override;

  // Statistics (doctor), in sqlite_stats.cpp. Read-only; StoreError as above.
  ArchiveStats stats() override;
  std::vector<Date> recent_listing_dates(std::size_t limit) override;
  std::vector<AnnouncementSummary> announcements_on(Date listing_date) override;
  // Browsing (serve): see Archive; defined in sqlite_browse.cpp. Throw StoreError like the rest.
  std::vector<Date> listing_dates(std::size_t limit) override;
  std::vector<Paper> paper_versions(const std::string& key) override;
  std::vector<PaperListing> paper_listings(const std::string& key) override;

 private:
  // Browsing (serve): the connection, for sqlite_browse.cpp (which cannot see Impl).
  sqlite::Database& browse_db(const char* operation);
  // A bulk load's writes (sqlite_bulk_load.cpp): the connection, StoreError once closed.
  friend class SqliteBulkLoad;

  struct Impl;
  Impl& impl(const char* operation);

  std::filesystem::path path_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace arxiv_digest
