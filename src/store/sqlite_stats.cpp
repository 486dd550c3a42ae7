// SqliteArchive's read-only statistics for `doctor` (declared in sqlite_archive.hpp, "Statistics
// (doctor)"). Plain SELECTs on the connection; nothing here writes or changes the schema.
#include <fmt/format.h>
#include <sqlite3.h>

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/process.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_archive.hpp"
#include "store/sqlite_archive_impl.hpp"

namespace arxiv_digest {
namespace {

std::int64_t single_integer(const sqlite::Database& db, const char* sql) {
  sqlite::Statement statement(db, sql);
  return statement.step() ? statement.column_int64(0) : 0;
}

Date stored_date(const std::string& text) {
  if (auto date = parse_date(text)) return *date;
  throw sqlite::SqliteError(SQLITE_CORRUPT,
                            fmt::format("stored date '{}' is not YYYY-MM-DD", text));
}

// Runs `body`; a StoreError escaping it gets `context` in front.
template <typename Body>
auto reading(const std::string& context, Body&& body) {
  try {
    return body();
  } catch (const sqlite::SqliteError& e) {
    throw sqlite::SqliteError(e.code(), fmt::format("{}: {}", context, e.what()));
  } catch (const StoreError& e) {
    throw StoreError(e.kind(), fmt::format("{}: {}", context, e.what()));
  }
}

}  // namespace

ArchiveStats SqliteArchive::stats() {
  const sqlite::Database& db = impl("reading statistics").db;
  return reading(fmt::format("archive '{}': reading statistics", path_.string()), [&] {
    ArchiveStats s;
    s.papers = single_integer(db, "SELECT count(*) FROM papers");
    s.announcements = single_integer(db, "SELECT count(*) FROM announcements");
    s.translations = single_integer(db, "SELECT count(*) FROM translations");
    s.digests = single_integer(db, "SELECT count(*) FROM digests");
    s.deliveries = single_integer(db, "SELECT count(*) FROM deliveries");
    s.schema_version = single_integer(db, "PRAGMA user_version");
    const std::int64_t pages = single_integer(db, "PRAGMA page_count");
    const std::int64_t page_size = single_integer(db, "PRAGMA page_size");
    s.size_bytes = static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size);
    sqlite::Statement build(db, "SELECT pid, started_at FROM index_builds");
    if (build.step()) {
      ArchiveStats::IndexBuild b;
      b.pid = build.column_int64(0);
      b.started_at = std::chrono::sys_seconds{std::chrono::seconds{build.column_int64(1)}};
      b.running = process_may_be_running(b.pid);
      s.index_build = b;
    }
    return s;
  });
}

std::vector<Date> SqliteArchive::recent_listing_dates(std::size_t limit) {
  const sqlite::Database& db = impl("listing recent days").db;
  return reading(fmt::format("archive '{}': listing recent days", path_.string()), [&] {
    sqlite::Statement select(db, R"sql(
SELECT listing_date FROM announcements
UNION SELECT listing_date FROM digests
UNION SELECT listing_date FROM deliveries
ORDER BY listing_date DESC LIMIT ?1)sql");
    select.bind_all(static_cast<std::int64_t>(limit));
    std::vector<Date> dates;
    while (select.step()) dates.push_back(stored_date(select.column_text(0)));
    return dates;
  });
}

std::vector<AnnouncementSummary> SqliteArchive::announcements_on(Date listing_date) {
  const sqlite::Database& db = impl("listing a day's announcements").db;
  return reading(fmt::format("archive '{}': listing the announcements of {}", path_.string(),
                             format_date(listing_date)),
                 [&] {
                   sqlite::Statement select(db, R"sql(
SELECT categories, source, received_count, declared_count, complete, fetched_at
FROM announcements WHERE listing_date = ?1 ORDER BY fetched_at DESC, source)sql");
                   select.bind_all(format_date(listing_date));
                   std::vector<AnnouncementSummary> summaries;
                   while (select.step()) {
                     AnnouncementSummary a;
                     a.listing_date = listing_date;
                     a.categories = select.column_text(0);
                     const std::string source = select.column_text(1);
                     const auto kind = source_kind_from_string(source);
                     if (!kind)
                       throw sqlite::SqliteError(
                           SQLITE_CORRUPT, fmt::format("stored source '{}' is unknown", source));
                     a.source = *kind;
                     a.received = static_cast<std::size_t>(select.column_int64(2));
                     if (!select.column_is_null(3))
                       a.declared = static_cast<std::size_t>(select.column_int64(3));
                     a.complete = select.column_int64(4) != 0;
                     a.fetched_at =
                         std::chrono::sys_seconds{std::chrono::seconds{select.column_int64(5)}};
                     summaries.push_back(std::move(a));
                   }
                   return summaries;
                 });
}

}  // namespace arxiv_digest
