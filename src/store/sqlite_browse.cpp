// Browsing (serve): the read-only queries the web UI needs, as members of SqliteArchive. Kept
// apart from sqlite_archive.cpp so the archive's write paths stay in one file; every statement
// here is a prepared SELECT.
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_archive.hpp"

namespace arxiv_digest {
namespace {

// Dates of both digests and announcements: a day fetched but not yet rendered is still browsable.
constexpr const char* kSelectListingDates = R"sql(
SELECT listing_date FROM digests
UNION
SELECT listing_date FROM announcements
ORDER BY listing_date DESC
LIMIT ?1
)sql";

constexpr const char* kSelectPaperVersions = R"sql(
SELECT id, title, abstract, authors, primary_category, categories, comments, journal_ref, doi,
       license, submitted, updated
FROM papers WHERE key = ?1 ORDER BY version
)sql";

constexpr const char* kSelectPaperListings = R"sql(
SELECT a.listing_date, a.categories, ap.version, ap.announce_type
FROM announcement_papers AS ap JOIN announcements AS a ON a.id = ap.announcement_id
WHERE ap.paper_key = ?1
ORDER BY a.listing_date DESC, a.categories, a.fetched_at DESC
)sql";

Date stored_date(const std::string& text) {
  if (auto date = parse_date(text)) return *date;
  throw sqlite::SqliteError(SQLITE_CORRUPT, fmt::format("stored date '{}' is not YYYY-MM-DD", text));
}

std::vector<std::string> stored_list(const std::string& text, const std::string& what) {
  try {
    return nlohmann::json::parse(text).get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& e) {
    throw sqlite::SqliteError(SQLITE_CORRUPT,
                              fmt::format("stored {} is not a JSON string array: {}", what, e.what()));
  }
}

std::chrono::sys_seconds from_unix(std::int64_t seconds) {
  return std::chrono::sys_seconds{std::chrono::seconds{seconds}};
}

// Rethrows a StoreError with what was being done in front, like the rest of the archive.
template <typename Body>
auto in_context(const std::string& context, Body&& body) {
  try {
    return body();
  } catch (const sqlite::SqliteError& e) {
    throw sqlite::SqliteError(e.code(), fmt::format("{}: {}", context, e.what()));
  }
}

}  // namespace

std::vector<Date> SqliteArchive::listing_dates(std::size_t limit) {
  sqlite::Database& db = browse_db("listing the dates");
  return in_context(fmt::format("archive '{}': listing the dates", path().string()), [&] {
    sqlite::Statement select(db, kSelectListingDates);
    select.bind_all(static_cast<std::int64_t>(std::min<std::size_t>(limit, 1'000'000)));
    std::vector<Date> dates;
    while (select.step()) dates.push_back(stored_date(select.column_text(0)));
    return dates;
  });
}

std::vector<Paper> SqliteArchive::paper_versions(const std::string& key) {
  sqlite::Database& db = browse_db("reading a paper's versions");
  return in_context(fmt::format("archive '{}': reading the versions of '{}'", path().string(), key),
                    [&] {
    sqlite::Statement select(db, kSelectPaperVersions);
    select.bind_all(key);
    std::vector<Paper> papers;
    while (select.step()) {
      Paper paper;
      const std::string id = select.column_text(0);
      std::string why;
      if (!ArxivId::try_parse(id, paper.id, &why)) {
        throw sqlite::SqliteError(SQLITE_CORRUPT,
                                  fmt::format("stored paper id '{}' is invalid: {}", id, why));
      }
      paper.title = select.column_text(1);
      paper.abstract = select.column_text(2);
      paper.authors = stored_list(select.column_text(3), "author list of " + id);
      paper.primary_category = select.column_text(4);
      paper.categories = stored_list(select.column_text(5), "category list of " + id);
      paper.comments = select.column_text(6);
      paper.journal_ref = select.column_text(7);
      paper.doi = select.column_text(8);
      paper.license = select.column_text(9);
      if (const auto submitted = select.column_optional_int64(10)) paper.submitted = from_unix(*submitted);
      if (const auto updated = select.column_optional_int64(11)) paper.updated = from_unix(*updated);
      papers.push_back(std::move(paper));
    }
    return papers;
  });
}

std::vector<Archive::PaperListing> SqliteArchive::paper_listings(const std::string& key) {
  sqlite::Database& db = browse_db("reading a paper's listings");
  return in_context(fmt::format("archive '{}': reading the listings of '{}'", path().string(), key),
                    [&] {
    sqlite::Statement select(db, kSelectPaperListings);
    select.bind_all(key);
    std::vector<PaperListing> listings;
    while (select.step()) {
      PaperListing listing;
      listing.listing_date = stored_date(select.column_text(0));
      listing.categories = select.column_text(1);
      listing.version = static_cast<int>(select.column_int64(2));
      const std::string type = select.column_text(3);
      const auto parsed = announce_type_from_string(type);
      if (!parsed) {
        throw sqlite::SqliteError(SQLITE_CORRUPT,
                                  fmt::format("stored announce type '{}' is unknown", type));
      }
      listing.announce_type = *parsed;
      listings.push_back(std::move(listing));
    }
    return listings;
  });
}

}  // namespace arxiv_digest
