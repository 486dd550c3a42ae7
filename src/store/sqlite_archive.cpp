#include "store/sqlite_archive.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <exception>
#include <stop_token>
#include <thread>
#include <map>
#include <set>
#include <charconv>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string_view>
#include <system_error>
#include <utility>

#include "core/crash_point.hpp"
#include "core/error.hpp"
#include "core/hash.hpp"
#include "core/process.hpp"
#include "store/fts_text.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_archive_impl.hpp"
#include "store/translation_cache.hpp"

namespace arxiv_digest {
namespace {

// 'axdg': marks the file as an arxiv-digest archive (PRAGMA application_id).
constexpr std::int64_t kApplicationId = 0x61786467;

// kMigrations[v] brings the schema from version v to v + 1, ending with the new user_version.
// Fixed text only. Every table is STRICT; CHECK constraints guard what the C++ side promises.
constexpr std::array<const char*, SqliteArchive::kSchemaVersion> kMigrations = {
    // 0 -> 1: the initial schema.
    R"sql(
CREATE TABLE papers (
  key              TEXT    NOT NULL CHECK (length(key) > 0),  -- version-less id
  version          INTEGER NOT NULL CHECK (version >= 0),     -- 0: the source gave none
  id               TEXT    NOT NULL,                          -- canonical id with version
  title            TEXT    NOT NULL,
  abstract         TEXT    NOT NULL,
  authors          TEXT    NOT NULL CHECK (json_valid(authors) AND json_type(authors) = 'array'),
  primary_category TEXT    NOT NULL,
  categories       TEXT    NOT NULL
                   CHECK (json_valid(categories) AND json_type(categories) = 'array'),
  comments         TEXT    NOT NULL,
  journal_ref      TEXT    NOT NULL,
  doi              TEXT    NOT NULL,
  license          TEXT    NOT NULL,
  submitted        INTEGER,                                   -- unix seconds
  updated          INTEGER,                                   -- unix seconds
  first_seen_at    INTEGER NOT NULL,                          -- unix seconds, never updated
  PRIMARY KEY (key, version)
) STRICT;

CREATE TABLE announcements (
  id             INTEGER PRIMARY KEY,
  listing_date   TEXT    NOT NULL
                 CHECK (listing_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  categories     TEXT    NOT NULL,  -- canonical: sorted, de-duplicated, '+'-joined
  source         TEXT    NOT NULL CHECK (source IN ('rss', 'listing', 'api')),
  source_url     TEXT    NOT NULL,
  declared_count INTEGER CHECK (declared_count IS NULL OR declared_count >= 0),
  received_count INTEGER NOT NULL CHECK (received_count >= 0),
  complete       INTEGER NOT NULL CHECK (complete IN (0, 1)),
  fetched_at     INTEGER NOT NULL,  -- unix seconds
  UNIQUE (listing_date, categories, source)
) STRICT;

CREATE TABLE announcement_papers (
  announcement_id INTEGER NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
  paper_key       TEXT    NOT NULL,
  version         INTEGER NOT NULL,
  announce_type   TEXT    NOT NULL
                  CHECK (announce_type IN ('new', 'cross', 'replace', 'replace-cross')),
  position        INTEGER NOT NULL CHECK (position >= 0),
  PRIMARY KEY (announcement_id, paper_key),
  FOREIGN KEY (paper_key, version) REFERENCES papers (key, version)
) STRICT, WITHOUT ROWID;
CREATE INDEX announcement_papers_by_paper ON announcement_papers (paper_key, version);

CREATE TABLE digests (
  id           INTEGER PRIMARY KEY,
  listing_date TEXT    NOT NULL
               CHECK (listing_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  format       TEXT    NOT NULL,
  path         TEXT    NOT NULL,
  sha256       TEXT    NOT NULL,
  paper_count  INTEGER NOT NULL CHECK (paper_count >= 0),
  generated_at INTEGER NOT NULL,  -- unix seconds
  UNIQUE (listing_date, format, path)
) STRICT;

-- Reserved for later schema versions (each added by its own migration, not here):
--  * translations: added by migration 1 -> 2 below.
--  * deliveries: added by migration 2 -> 3 below.
--  * papers_fts, translations_fts: added by migration 3 -> 4 below.

PRAGMA application_id = 1635279975;
PRAGMA user_version = 1;
)sql",
    // 1 -> 2: the translation cache (SqliteTranslationCache). Only accepted translations are
    // stored; the key is what produced them, so a new model or prompt version misses.
    R"sql(
CREATE TABLE translations (
  source_sha256     TEXT    NOT NULL CHECK (length(source_sha256) = 64),
  field             TEXT    NOT NULL CHECK (length(field) > 0),
  target_language   TEXT    NOT NULL CHECK (length(target_language) > 0),
  backend           TEXT    NOT NULL CHECK (length(backend) > 0),
  model             TEXT    NOT NULL,  -- '' for MT engines
  prompt_version    TEXT    NOT NULL,  -- '' for MT engines
  text              TEXT    NOT NULL,
  prompt_tokens     INTEGER NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0),
  completion_tokens INTEGER NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0),
  characters        INTEGER NOT NULL DEFAULT 0 CHECK (characters >= 0),
  created_at        INTEGER NOT NULL,  -- unix seconds
  PRIMARY KEY (source_sha256, field, target_language, backend, model, prompt_version)
) STRICT;

PRAGMA user_version = 2;
)sql",
    // 2 -> 3: the delivery log. One row per digest (listing date), audience and channel, holding
    // the latest attempt: 'sent' rows make a re-run send nothing (unless --resend), 'failed' rows
    // are what the next run retries. `detail` never holds a secret (channels name themselves
    // without URLs or passwords).
    R"sql(
CREATE TABLE deliveries (
  listing_date  TEXT    NOT NULL
                CHECK (listing_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  audience      TEXT    NOT NULL,
  channel       TEXT    NOT NULL CHECK (length(channel) > 0),
  status        TEXT    NOT NULL CHECK (status IN ('sent', 'failed')),
  attempts      INTEGER NOT NULL CHECK (attempts >= 1),
  digest_sha256 TEXT    NOT NULL,
  paper_count   INTEGER NOT NULL CHECK (paper_count >= 0),
  detail        TEXT    NOT NULL,
  updated_at    INTEGER NOT NULL,  -- unix seconds
  PRIMARY KEY (listing_date, audience, channel)
) STRICT, WITHOUT ROWID;

PRAGMA user_version = 3;
)sql",
    // 3 -> 4: search (issue 11). papers_fts indexes each paper row (same rowid) for the search
    // prefilter: contentless (content=''), so the text is not stored twice, and kept in sync by
    // upsert_papers() (not triggers) because its text is fts_fold()ed in C++ first, the way the
    // matcher reads TeX. unicode61 folds case and diacritics like the matcher does. The prefilter
    // only asks for words in columns (never phrases: FTS5 positions are not the matcher's), so
    // `detail = column` (no positions) and `columnsize = 0` (no BM25) keep the index smaller and
    // the bulk import ~15% faster.
    // translations_fts indexes the translation cache's texts with the trigram tokenizer: Chinese
    // has no spaces between words, so word tokenizers see a whole sentence as one token; trigrams
    // make any substring of 3+ characters an index lookup (shorter ones scan this table). It is
    // an external-content table over `translations`, kept in sync by the triggers below (the
    // cache's store() needs no upkeep of its own). title_sha256/abstract_sha256 join a paper to
    // its translations (the cache is keyed by the SHA-256 of the source text); they are filled
    // for existing rows by migrate() after this text.
    R"sql(
ALTER TABLE papers ADD COLUMN title_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE papers ADD COLUMN abstract_sha256 TEXT NOT NULL DEFAULT '';
CREATE INDEX papers_by_title_sha256 ON papers (title_sha256);
CREATE INDEX papers_by_abstract_sha256 ON papers (abstract_sha256);

CREATE VIRTUAL TABLE papers_fts USING fts5 (
  title, abstract, authors, categories, comments,
  content = '', columnsize = 0, detail = column, tokenize = 'unicode61 remove_diacritics 2'
);

CREATE VIRTUAL TABLE translations_fts USING fts5 (
  text, content = 'translations', content_rowid = 'rowid', tokenize = 'trigram'
);
INSERT INTO translations_fts (translations_fts) VALUES ('rebuild');
CREATE TRIGGER translations_fts_insert AFTER INSERT ON translations BEGIN
  INSERT INTO translations_fts (rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER translations_fts_delete AFTER DELETE ON translations BEGIN
  INSERT INTO translations_fts (translations_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
CREATE TRIGGER translations_fts_update AFTER UPDATE OF text ON translations BEGIN
  INSERT INTO translations_fts (translations_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
  INSERT INTO translations_fts (rowid, text) VALUES (new.rowid, new.text);
END;

PRAGMA user_version = 4;
)sql",
    // 4 -> 5: OAI-PMH harvest progress (pipeline/oai_harvest.hpp). One row per window; saved in
    // the same transaction as the page's papers, so the token always matches what is stored.
    // `until_date` is '' for an open window (a NULL would not take part in the primary key).
    R"sql(
CREATE TABLE harvests (
  from_date          TEXT    NOT NULL
                     CHECK (from_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  until_date         TEXT    NOT NULL
                     CHECK (until_date = ''
                            OR until_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  set_spec           TEXT    NOT NULL,
  metadata_prefix    TEXT    NOT NULL CHECK (length(metadata_prefix) > 0),
  resumption_token   TEXT    NOT NULL,  -- '' = start of the window next, or complete
  complete           INTEGER NOT NULL CHECK (complete IN (0, 1)),
  pages              INTEGER NOT NULL CHECK (pages >= 0),
  records            INTEGER NOT NULL CHECK (records >= 0),
  deleted            INTEGER NOT NULL CHECK (deleted >= 0),
  complete_list_size INTEGER CHECK (complete_list_size IS NULL OR complete_list_size >= 0),
  started_at         INTEGER NOT NULL,  -- unix seconds
  updated_at         INTEGER NOT NULL,  -- unix seconds
  PRIMARY KEY (from_date, until_date, set_spec, metadata_prefix)
) STRICT, WITHOUT ROWID;

PRAGMA user_version = 5;
)sql",
    // 5 -> 6: search that streams (issue 11). papers_fts holds one entry per PAPER (its latest
    // stored version) under the rowid papers.id_rank: a number in arXiv id order (see
    // IdRanker), so a search reads the index newest first (rowid descending) and stops at its
    // limit instead of collecting and sorting every candidate. Its text is fts_words()' (each
    // word once, no stop words: half the tokens to index). The SHA-256 columns and their two
    // indexes go (two random-order B-tree inserts per paper on import, 40% of the file): the
    // translation search finds a paper by `hashes` tokens in papers_fts instead (see
    // fts_hash_token()). id_archives numbers the archive names of old-style ids
    // (hep-th/9901001) for id_rank. migrate() fills id_rank, the index on it and papers_fts
    // after this text.
    R"sql(
DROP TABLE papers_fts;
DROP INDEX papers_by_title_sha256;
DROP INDEX papers_by_abstract_sha256;
ALTER TABLE papers DROP COLUMN title_sha256;
ALTER TABLE papers DROP COLUMN abstract_sha256;
ALTER TABLE papers ADD COLUMN id_rank INTEGER NOT NULL DEFAULT 0 CHECK (id_rank >= 0);

CREATE TABLE id_archives (
  code INTEGER PRIMARY KEY CHECK (code > 0 AND code < 1024),
  name TEXT    NOT NULL UNIQUE CHECK (length(name) > 0)
) STRICT;

CREATE VIRTUAL TABLE papers_fts USING fts5 (
  title, abstract, authors, categories, comments, hashes,
  content = '', columnsize = 0, detail = column, tokenize = 'unicode61 remove_diacritics 2'
);

PRAGMA user_version = 6;
)sql",
    // 6 -> 7: bulk loads (import) build papers_fts in a scratch file alongside and put it in
    // place when they finish (sqlite_bulk_load.cpp). Their one row here, written when the load
    // begins and deleted in the transaction that puts the index in place, means "papers_fts
    // misses papers": other paper writes are refused meanwhile (their index entries would be
    // lost), searches read the papers without the index, and the next bulk load (e.g. of a
    // killed import) rebuilds it.
    R"sql(
CREATE TABLE index_builds (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  pid        INTEGER NOT NULL,  -- the process building it
  token      INTEGER NOT NULL,  -- random, the load's own: a PID alone can be reused
  started_at INTEGER NOT NULL   -- unix seconds
) STRICT;

PRAGMA user_version = 7;
)sql",
};
static_assert(kApplicationId == 1635279975, "keep the PRAGMA application_id text in sync");

// Both paper queries select the papers columns in this order (see read_paper), then the announce
// type as column kPaperColumnCount.
constexpr int kPaperColumnCount = 14;

constexpr const char* kUpsertPaper = R"sql(
INSERT INTO papers (key, version, id, title, abstract, authors, primary_category, categories,
                    comments, journal_ref, doi, license, submitted, updated, first_seen_at,
                    id_rank)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
ON CONFLICT (key, version) DO UPDATE SET
  id = excluded.id, title = excluded.title, abstract = excluded.abstract,
  authors = excluded.authors, primary_category = excluded.primary_category,
  categories = excluded.categories, comments = excluded.comments,
  journal_ref = excluded.journal_ref, doi = excluded.doi, license = excluded.license,
  submitted = excluded.submitted, updated = excluded.updated
)sql";

// The indexed fields of a paper's latest stored version: what papers_fts holds for it.
constexpr const char* kSelectIndexed = R"sql(
SELECT version, title, abstract, authors, categories, comments FROM papers
WHERE id_rank = ?1 ORDER BY version DESC LIMIT 1
)sql";

constexpr const char* kUpsertAnnouncement = R"sql(
INSERT INTO announcements (listing_date, categories, source, source_url, declared_count,
                           received_count, complete, fetched_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
ON CONFLICT (listing_date, categories, source) DO UPDATE SET
  source_url = excluded.source_url, declared_count = excluded.declared_count,
  received_count = excluded.received_count, complete = excluded.complete,
  fetched_at = excluded.fetched_at
RETURNING id
)sql";

constexpr const char* kDeleteAnnouncementPapers =
    "DELETE FROM announcement_papers WHERE announcement_id = ?1";

constexpr const char* kInsertAnnouncementPaper = R"sql(
INSERT INTO announcement_papers (announcement_id, paper_key, version, announce_type, position)
VALUES (?1, ?2, ?3, ?4, ?5)
)sql";

constexpr const char* kSelectAnnouncement = R"sql(
SELECT id, categories, source, source_url, declared_count, complete, fetched_at
FROM announcements
WHERE listing_date = ?1 AND categories = ?2
ORDER BY fetched_at DESC, id DESC
LIMIT 1
)sql";

constexpr const char* kSelectAnnouncementPapers = R"sql(
SELECT p.key, p.version, p.id, p.title, p.abstract, p.authors, p.primary_category, p.categories,
       p.comments, p.journal_ref, p.doi, p.license, p.submitted, p.updated, ap.announce_type
FROM announcement_papers AS ap
JOIN papers AS p ON p.key = ap.paper_key AND p.version = ap.version
WHERE ap.announcement_id = ?1
ORDER BY ap.position
)sql";

// The highest version, with the announce type of the latest announcement that listed it.
constexpr const char* kSelectLatestPaper = R"sql(
SELECT p.key, p.version, p.id, p.title, p.abstract, p.authors, p.primary_category, p.categories,
       p.comments, p.journal_ref, p.doi, p.license, p.submitted, p.updated,
       (SELECT ap.announce_type
        FROM announcement_papers AS ap JOIN announcements AS a ON a.id = ap.announcement_id
        WHERE ap.paper_key = p.key AND ap.version = p.version
        ORDER BY a.fetched_at DESC, a.id DESC
        LIMIT 1)
FROM papers AS p
WHERE p.key = ?1
ORDER BY p.version DESC
LIMIT 1
)sql";

constexpr const char* kUpsertDigest = R"sql(
INSERT INTO digests (listing_date, format, path, sha256, paper_count, generated_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)
ON CONFLICT (listing_date, format, path) DO UPDATE SET
  sha256 = excluded.sha256, paper_count = excluded.paper_count,
  generated_at = excluded.generated_at
)sql";

constexpr const char* kUpsertDelivery = R"sql(
INSERT INTO deliveries (listing_date, audience, channel, status, attempts, digest_sha256,
                        paper_count, detail, updated_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
ON CONFLICT (listing_date, audience, channel) DO UPDATE SET
  status = excluded.status, attempts = excluded.attempts, digest_sha256 = excluded.digest_sha256,
  paper_count = excluded.paper_count, detail = excluded.detail, updated_at = excluded.updated_at
)sql";

constexpr const char* kSelectDeliveryColumns =
    "SELECT listing_date, audience, channel, status, attempts, digest_sha256, paper_count, "
    "detail, updated_at FROM deliveries ";

constexpr const char* kUpsertHarvest = R"sql(
INSERT INTO harvests (from_date, until_date, set_spec, metadata_prefix, resumption_token, complete,
                      pages, records, deleted, complete_list_size, started_at, updated_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
ON CONFLICT (from_date, until_date, set_spec, metadata_prefix) DO UPDATE SET
  resumption_token = excluded.resumption_token, complete = excluded.complete,
  pages = excluded.pages, records = excluded.records, deleted = excluded.deleted,
  complete_list_size = excluded.complete_list_size, started_at = excluded.started_at,
  updated_at = excluded.updated_at
)sql";

constexpr const char* kSelectHarvest = R"sql(
SELECT resumption_token, complete, pages, records, deleted, complete_list_size, started_at,
       updated_at
FROM harvests
WHERE from_date = ?1 AND until_date = ?2 AND set_spec = ?3 AND metadata_prefix = ?4
)sql";

constexpr const char* kSelectDigests = R"sql(
SELECT listing_date, format, path, sha256, paper_count, generated_at
FROM digests WHERE listing_date = ?1 ORDER BY format, path
)sql";

// ---- value conversions ------------------------------------------------------------------------

// YYYY-MM-DD as stored; throws StoreError for an invalid date or a year outside 0..9999.
std::string format_ymd(Date date) {
  if (!date.ok() || date.year() < std::chrono::year{0} || date.year() > std::chrono::year{9999}) {
    throw sqlite::SqliteError(SQLITE_MISUSE, fmt::format("invalid date {}", format_date(date)));
  }
  return format_date(date);
}

Date parse_ymd(std::string_view text) {
  if (auto date = parse_date(text)) return *date;
  throw sqlite::SqliteError(SQLITE_CORRUPT, fmt::format("stored date '{}' is not YYYY-MM-DD", text));
}

std::int64_t to_unix(std::chrono::sys_seconds time) noexcept {
  return static_cast<std::int64_t>(time.time_since_epoch().count());
}

std::chrono::sys_seconds from_unix(std::int64_t seconds) noexcept {
  return std::chrono::sys_seconds{std::chrono::seconds{seconds}};
}

std::optional<std::int64_t> to_unix(const std::optional<std::chrono::sys_seconds>& time) noexcept {
  if (!time) return std::nullopt;
  return to_unix(*time);
}

std::size_t to_count(std::int64_t value, std::string_view column) {
  if (value < 0) {
    throw sqlite::SqliteError(SQLITE_CORRUPT, fmt::format("stored {} is negative ({})", column, value));
  }
  return static_cast<std::size_t>(value);
}

// Sorted, de-duplicated, '+'-joined: the announcement's identity regardless of config order.
std::string canonical_categories(std::vector<std::string> categories) {
  std::sort(categories.begin(), categories.end());
  categories.erase(std::unique(categories.begin(), categories.end()), categories.end());
  return fmt::format("{}", fmt::join(categories, "+"));
}

std::vector<std::string> split_categories(std::string_view canonical) {
  std::vector<std::string> out;
  while (!canonical.empty()) {
    const std::size_t plus = canonical.find('+');
    out.emplace_back(canonical.substr(0, plus));
    if (plus == std::string_view::npos) break;
    canonical.remove_prefix(plus + 1);
  }
  return out;
}

std::string to_json(const std::vector<std::string>& list, std::string_view what) {
  try {
    return nlohmann::json(list).dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
  } catch (const nlohmann::json::exception& e) {
    throw sqlite::SqliteError(SQLITE_MISMATCH, fmt::format("{} cannot be stored: {}", what, e.what()));
  }
}

std::vector<std::string> from_json(const std::string& text, std::string_view what) {
  try {
    return nlohmann::json::parse(text).get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& e) {
    throw sqlite::SqliteError(SQLITE_CORRUPT, fmt::format("stored {} '{}' is not a JSON string array: {}",
                                                 what, text, e.what()));
  }
}

// Reads the kPaperColumns of the current row.
Paper read_paper(const sqlite::Statement& row) {
  Paper paper;
  const std::string id_text = row.column_text(2);
  std::string why;
  if (!ArxivId::try_parse(id_text, paper.id, &why)) {
    throw sqlite::SqliteError(SQLITE_CORRUPT,
                     fmt::format("stored paper id '{}' is invalid: {}", id_text, why));
  }
  paper.title = row.column_text(3);
  paper.abstract = row.column_text(4);
  paper.authors = from_json(row.column_text(5), fmt::format("author list of {}", id_text));
  paper.primary_category = row.column_text(6);
  paper.categories = from_json(row.column_text(7), fmt::format("category list of {}", id_text));
  paper.comments = row.column_text(8);
  paper.journal_ref = row.column_text(9);
  paper.doi = row.column_text(10);
  paper.license = row.column_text(11);
  if (const auto submitted = row.column_optional_int64(12)) paper.submitted = from_unix(*submitted);
  if (const auto updated = row.column_optional_int64(13)) paper.updated = from_unix(*updated);
  return paper;
}

AnnounceType read_announce_type(const sqlite::Statement& row, int column) {
  if (row.column_is_null(column)) return AnnounceType::kNew;
  const std::string text = row.column_text(column);
  if (const auto type = announce_type_from_string(text)) return *type;
  throw sqlite::SqliteError(SQLITE_CORRUPT, fmt::format("stored announce type '{}' is unknown", text));
}

std::int64_t read_pragma(const sqlite::Database& db, const char* sql) {
  sqlite::Statement statement(db, sql);
  return statement.step() ? statement.column_int64(0) : 0;
}

// Throws unless the database is empty or an arxiv-digest archive this build can read. Returns
// its schema version (0 for an empty database).
std::int64_t check_compatible(const sqlite::Database& db, const std::string& path) {
  const std::int64_t version = read_pragma(db, "PRAGMA user_version");
  const std::int64_t application_id = read_pragma(db, "PRAGMA application_id");
  if (application_id != 0 && application_id != kApplicationId) {
    throw sqlite::SqliteError(SQLITE_NOTADB, fmt::format("'{}' is a SQLite database of another application "
                                                "(application_id {})",
                                                path, application_id));
  }
  if (version > SqliteArchive::kSchemaVersion) {
    throw StoreError(StoreErrorKind::kIncompatible,
                     fmt::format("'{}' has archive schema version {}, newer than the {} this "
                                 "arxiv-digest supports; use a newer arxiv-digest",
                                 path, version, SqliteArchive::kSchemaVersion));
  }
  if (version == 0 && read_pragma(db, "SELECT count(*) FROM sqlite_schema") > 0) {
    throw sqlite::SqliteError(SQLITE_NOTADB,
                     fmt::format("'{}' is a SQLite database of another application (it has "
                                 "tables but no arxiv-digest schema version)",
                                 path));
  }
  return version;
}

// papers.id_rank and papers_fts's rowid (schema 6): the arXiv id as a number that sorts like
// the id's date: (months since 1990) << 20 | the number within the month. New style
// (2606.18284): the id's number. Old style (hep-th/9901001, until March 2007, so never in a
// month with new-style ids): number << 10 | the code its archive name ("hep-th", "math.GT") has
// in id_archives, numbered on first sight. Exact (no hashing): the same paper always gets the
// same rank and two papers never share one. Dense on purpose: FTS5 stores rowid deltas as
// varints, so papers of a month a few numbers apart cost a byte or two per word. Codes are
// looked up per transaction (a rolled-back code must not be remembered).
class IdRanker {
 public:
  explicit IdRanker(sqlite::Database& db)
      : select_(db, "SELECT code FROM id_archives WHERE name = ?1"),
        insert_(db,
                "INSERT INTO id_archives (code, name) "
                "VALUES ((SELECT coalesce(max(code), 0) + 1 FROM id_archives), ?1) RETURNING code") {}

  std::int64_t rank(const ArxivId& id) {
    const std::string& key = id.key();
    if (key.empty()) {  // a default Paper: the papers table's CHECK would refuse it too
      throw sqlite::SqliteError(SQLITE_CONSTRAINT_CHECK, "a paper without an arXiv id");
    }
    const std::size_t slash = key.find('/');
    const std::string_view digits =
        slash == std::string::npos ? std::string_view(key) : std::string_view(key).substr(slash + 1);
    // New style: YYMM.NNNN(N); old style: YYMMNNN after the slash (ArxivId checked the shapes).
    const int yy = number(digits.substr(0, 2));
    const int mm = number(digits.substr(2, 2));
    const bool new_style = slash == std::string::npos;
    const std::int64_t year = new_style ? 2000 + yy : (yy >= 91 ? 1900 + yy : 2000 + yy);
    const std::int64_t months = (year - 1990) * 12 + (mm - 1);
    const std::int64_t serial = number(digits.substr(new_style ? 5 : 4));
    const std::int64_t within =
        new_style ? serial : serial << 10 | archive_code(key.substr(0, slash));
    return months << 20 | within;
  }

  // The largest rank of an id from `month`'s year and month or before.
  static std::int64_t last_rank_of_month(Date month) {
    const std::int64_t months = (static_cast<int>(month.year()) - 1990) * 12 +
                                static_cast<int>(static_cast<unsigned>(month.month())) - 1;
    return months < 0 ? 0 : ((months + 1) << 20) - 1;
  }

 private:
  static int number(std::string_view digits) {
    int value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc() || end != digits.data() + digits.size()) {
      throw sqlite::SqliteError(SQLITE_INTERNAL,
                                fmt::format("cannot rank the arXiv id digits '{}'", digits));
    }
    return value;
  }

  std::int64_t archive_code(const std::string& name) {
    if (const auto it = codes_.find(name); it != codes_.end()) return it->second;
    std::int64_t code = 0;
    {
      sqlite::StatementScope scope(select_);
      select_.bind_all(name);
      if (select_.step()) code = select_.column_int64(0);
    }
    if (code == 0) {
      sqlite::StatementScope scope(insert_);
      insert_.bind_all(name);
      if (!insert_.step()) throw sqlite::SqliteError(SQLITE_INTERNAL, "no archive code returned");
      code = insert_.column_int64(0);
      insert_.run();
    }
    codes_.emplace(name, code);
    return code;
  }

  sqlite::Statement select_, insert_;
  std::map<std::string, std::int64_t, std::less<>> codes_;
};

// 't' or 'a' and the first 12 hex digits (48 bits) of the text's SHA-256: one index token.
// A shared prefix only makes an extra candidate; the scan compares the full hash.
std::string fts_hash_token(char field, std::string_view sha256) {
  return field + std::string(sha256.substr(0, 12));
}

std::string join_words(const std::vector<std::string>& list) {
  std::string joined;
  for (const std::string& item : list) {
    if (!joined.empty()) joined += " ; ";
    joined += item;
  }
  return fts_words(joined);
}

}  // namespace

FtsRow fts_row(std::string_view title, std::string_view abstract,
               const std::vector<std::string>& authors, const std::vector<std::string>& categories,
               std::string_view comments) {
  return {fts_words(title),
          fts_words(abstract),
          join_words(authors),
          join_words(categories),
          fts_words(comments),
          fts_hash_token('t', sha256_hex(title)) + ' ' +
              fts_hash_token('a', sha256_hex(abstract))};
}

const char* const kInsertFts =
    "INSERT INTO papers_fts (rowid, title, abstract, authors, categories, comments, hashes) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
const char* const kDeleteFts =
    "INSERT INTO papers_fts (papers_fts, rowid, title, abstract, authors, categories, comments, "
    "hashes) VALUES ('delete', ?1, ?2, ?3, ?4, ?5, ?6, ?7)";

const char* const kSelectLatestVersions = R"sql(
SELECT id_rank, title, abstract, authors, categories, comments FROM papers AS p
WHERE version = (SELECT max(v.version) FROM papers AS v WHERE v.id_rank = p.id_rank)
ORDER BY id_rank
)sql";

FtsRow fts_row_of_latest(const sqlite::Statement& row) {
  return fts_row(row.column_text(1), row.column_text(2),
                 from_json(row.column_text(3), "author list"),
                 from_json(row.column_text(4), "category list"), row.column_text(5));
}

void write_fts(sqlite::Statement& statement, std::int64_t rowid, const FtsRow& row) {
  sqlite::StatementScope scope(statement);
  statement.bind_all(rowid, row.title, row.abstract, row.authors, row.categories, row.comments,
                     row.hashes);
  statement.run();
}

void apply_fts_changes(sqlite::Statement& insert, sqlite::Statement& remove,
                       const std::vector<FtsChange>& changes) {
  for (const FtsChange& change : changes) {
    write_fts(change.kind == FtsChange::Kind::kRemove ? remove : insert, change.rank, change.row);
  }
}

namespace {

// Migration 5 -> 6: every stored version's id_rank, the index on it, and the index entry of
// every paper's latest version. In slices of rowids, so that memory stays bounded however
// large the archive.
void rank_and_index_papers(sqlite::Database& db) {
  IdRanker ranker(db);
  sqlite::Statement select(
      db, "SELECT rowid, key FROM papers WHERE rowid > ?1 ORDER BY rowid LIMIT 10000");
  sqlite::Statement update(db, "UPDATE papers SET id_rank = ?2 WHERE rowid = ?1");
  std::int64_t last = 0;
  for (bool more = true; more;) {
    std::vector<std::pair<std::int64_t, std::string>> slice;
    {
      sqlite::StatementScope scope(select);
      select.bind_all(last);
      while (select.step()) slice.emplace_back(select.column_int64(0), select.column_text(1));
    }
    more = !slice.empty();
    for (const auto& [rowid, key] : slice) {
      sqlite::StatementScope scope(update);
      update.bind_all(rowid, ranker.rank(ArxivId::parse(key)));
      update.run();
      last = rowid;
    }
  }
  db.exec("CREATE UNIQUE INDEX papers_by_id_rank ON papers (id_rank, version)",
          "indexing papers by id rank");
  sqlite::Statement latest(db, kSelectLatestVersions);
  sqlite::Statement insert(db, kInsertFts);
  while (latest.step()) write_fts(insert, latest.column_int64(0), fts_row_of_latest(latest));
}

// Brings the schema to kSchemaVersion in one transaction.
void migrate(sqlite::Database& db, const std::string& path) {
  if (check_compatible(db, path) == SqliteArchive::kSchemaVersion) return;
  sqlite::Transaction transaction(db, sqlite::Transaction::Mode::kImmediate);
  // Check again under the write lock: another process may have migrated meanwhile.
  const std::int64_t version = check_compatible(db, path);
  for (auto v = version; v < SqliteArchive::kSchemaVersion; ++v) {
    db.exec(kMigrations[static_cast<std::size_t>(v)],
            fmt::format("migrating the schema from version {} to {}", v, v + 1));
    if (v == 5) rank_and_index_papers(db);
  }
  transaction.commit();
}

}  // namespace

// ---- SqliteArchive ----------------------------------------------------------------------------

SqliteArchive::SqliteArchive(const std::filesystem::path& path, SqliteArchiveOptions options)
    : path_(path) {
  const std::string text = path.string();
  const bool in_memory = text.empty() || text == ":memory:";
  if (!in_memory && path.has_parent_path()) {
    std::error_code error;
    std::filesystem::create_directories(path.parent_path(), error);
    if (error) {
      throw sqlite::SqliteError(SQLITE_CANTOPEN,
                       fmt::format("cannot create the directory '{}' for the archive '{}': {}",
                                   path.parent_path().string(), text, error.message()));
    }
  }

  auto impl = std::make_unique<Impl>(sqlite::Database(text),
                                     options.env != nullptr ? *options.env : Env::system());
  sqlite::Database& db = impl->db;
  in_context(fmt::format("cannot open the archive '{}'", text), [&] {
    const auto timeout = std::clamp<std::chrono::milliseconds::rep>(
        options.busy_timeout.count(), 0, std::numeric_limits<int>::max());
    impl->busy_timeout_ms = static_cast<int>(timeout);
    db.set_busy_timeout(static_cast<int>(timeout));
    db.exec("PRAGMA foreign_keys = ON", "enabling foreign keys");
    // The first statement that reads the file: a non-database fails here with SQLITE_NOTADB.
    // Nothing is written to a file that is not ours or is too new.
    in_context("reading the schema version", [&] { check_compatible(db, text); });
    if (!in_memory) {
      db.exec("PRAGMA journal_mode = WAL", "enabling WAL journal mode");
      db.exec("PRAGMA synchronous = NORMAL", "setting synchronous mode");
      // Up to 64 MiB of page cache (the default is 2 MiB): a bulk import updates the papers
      // B-tree and the full-text index all over the file, and re-reading pages dominated.
      db.exec("PRAGMA cache_size = -65536", "setting the cache size");
    }
    migrate(db, text);
  });
  impl_ = std::move(impl);
}

SqliteArchive::~SqliteArchive() { close(); }

SqliteArchive::SqliteArchive(SqliteArchive&& other) noexcept = default;
SqliteArchive& SqliteArchive::operator=(SqliteArchive&& other) noexcept = default;

void SqliteArchive::close() noexcept { impl_.reset(); }

const std::filesystem::path& SqliteArchive::path() const noexcept { return path_; }

SqliteArchive::Impl& SqliteArchive::impl(const char* operation) {
  if (!impl_) {
    throw StoreError(StoreErrorKind::kClosed,
                     fmt::format("archive '{}': {}: the archive is closed", path_.string(),
                                 operation));
  }
  return *impl_;
}

namespace {

// The papers_fts rows of a batch's papers, computed in order on a helper thread while the
// caller writes the papers: fts_row() (TeX folding, word lists, two SHA-256s) needs no database
// and is a third of an import's CPU, so on a second core it costs no time. Small batches (a
// day's announcement) are computed on the caller's thread: a thread would cost more.
class FtsRowsAhead {
 public:
  static constexpr std::size_t kThreadedBatch = 512;

  explicit FtsRowsAhead(const std::vector<Paper>& papers) : papers_(papers), rows_(papers.size()) {
    if (papers.size() >= kThreadedBatch) {
      worker_ = std::jthread([this](const std::stop_token& stop) { run(stop); });
    }
  }
  FtsRowsAhead(const FtsRowsAhead&) = delete;
  FtsRowsAhead& operator=(const FtsRowsAhead&) = delete;
  ~FtsRowsAhead() = default;  // the jthread asks the helper to stop and joins it

  // Paper i's row; each i at most once, in increasing order.
  FtsRow take(std::size_t i) {
    if (!worker_.joinable()) return make(papers_[i]);
    for (;;) {
      const std::size_t ready = ready_.load(std::memory_order_acquire);
      if (ready == kFailed) {
        if (i < failed_at_) return std::move(rows_[i]);
        std::rethrow_exception(error_);
      }
      if (ready > i) return std::move(rows_[i]);
      ready_.wait(ready, std::memory_order_acquire);
    }
  }

 private:
  static constexpr std::size_t kFailed = std::numeric_limits<std::size_t>::max();

  static FtsRow make(const Paper& paper) {
    return fts_row(paper.title, paper.abstract, paper.authors, paper.categories, paper.comments);
  }

  void run(const std::stop_token& stop) {
    std::size_t i = 0;
    try {
      for (; i < papers_.size() && !stop.stop_requested(); ++i) {
        rows_[i] = make(papers_[i]);
        ready_.store(i + 1, std::memory_order_release);
        ready_.notify_one();
      }
    } catch (...) {  // bad_alloc: the writer rethrows it when it gets there
      error_ = std::current_exception();
      failed_at_ = i;
      ready_.store(kFailed, std::memory_order_release);
      ready_.notify_one();
    }
  }

  const std::vector<Paper>& papers_;
  std::vector<FtsRow> rows_;
  std::atomic<std::size_t> ready_{0};  // rows_[0, ready_) are computed (kFailed: see failed_at_)
  std::exception_ptr error_;
  std::size_t failed_at_ = 0;
  std::jthread worker_;  // last: joined before the members it uses are destroyed
};

}  // namespace

void refuse_while_index_builds(sqlite::Database& db) {
  sqlite::Statement select(db, "SELECT pid, started_at FROM index_builds");
  if (!select.step()) return;
  const std::int64_t pid = select.column_int64(0);
  const std::string since = fmt::format("{:%Y-%m-%d %H:%M:%S} UTC", from_unix(select.column_int64(1)));
  if (process_may_be_running(pid)) {
    throw StoreError(StoreErrorKind::kUnavailable,
                     fmt::format("an import (process {}, since {}) is building the search index; "
                                 "papers can be saved again when it finishes",
                                 pid, since));
  }
  throw StoreError(StoreErrorKind::kUnavailable,
                   fmt::format("an import (process {}, since {}) stopped before it finished the "
                               "search index; run `arxiv-digest import` again (with any file, "
                               "even an empty one) to finish it",
                               pid, since));
}

void upsert_papers(sqlite::Database& db, const std::vector<Paper>& papers, std::int64_t seen_at,
                   std::vector<FtsChange>* deferred) {
  if (deferred == nullptr) refuse_while_index_builds(db);
  sqlite::Statement upsert_paper(db, kUpsertPaper);
  sqlite::Statement select_latest(db, kSelectIndexed);
  std::optional<sqlite::Statement> insert_fts, delete_fts;
  if (deferred == nullptr) {
    insert_fts.emplace(db, kInsertFts);
    delete_fts.emplace(db, kDeleteFts);
  }
  const auto change = [&](FtsChange::Kind kind, std::int64_t rank, FtsRow row) {
    if (deferred != nullptr) {
      deferred->push_back({kind, rank, std::move(row)});
    } else {
      write_fts(kind == FtsChange::Kind::kRemove ? *delete_fts : *insert_fts, rank, row);
    }
  };
  IdRanker ranker(db);
  FtsRowsAhead ahead(papers);
  for (std::size_t i = 0; i < papers.size(); ++i) {
    const Paper& paper = papers[i];
    // The context is formatted only on failure: per paper it cost more than the upsert.
    in_context([&] { return fmt::format("paper {} ('{}')", i + 1, paper.id.str()); }, [&] {
      const std::string authors = to_json(paper.authors, "the author list");
      const std::string categories = to_json(paper.categories, "the category list");
      const std::int64_t rank = ranker.rank(paper.id);
      bool index_new = true;
      {
        sqlite::StatementScope scope(select_latest);
        select_latest.bind_all(rank);
        if (select_latest.step()) {
          const std::string old_title = select_latest.column_text(1);
          const std::string old_abstract = select_latest.column_text(2);
          const std::string old_authors = select_latest.column_text(3);
          const std::string old_categories = select_latest.column_text(4);
          const std::string old_comments = select_latest.column_text(5);
          const bool unchanged = old_title == paper.title && old_abstract == paper.abstract &&
                                 old_authors == authors && old_categories == categories &&
                                 old_comments == paper.comments;
          index_new = paper.id.version() >= select_latest.column_int64(0) && !unchanged;
          if (index_new) {
            change(FtsChange::Kind::kRemove, rank,
                   fts_row(old_title, old_abstract, from_json(old_authors, "author list"),
                           from_json(old_categories, "category list"), old_comments));
          }
        }
      }
      {
        sqlite::StatementScope scope(upsert_paper);
        upsert_paper.bind_all(paper.id.key(), paper.id.version(), paper.id.str(), paper.title,
                              paper.abstract, authors, paper.primary_category, categories,
                              paper.comments, paper.journal_ref, paper.doi, paper.license,
                              to_unix(paper.submitted), to_unix(paper.updated), seen_at, rank);
        upsert_paper.run();
      }
      if (index_new) change(FtsChange::Kind::kAdd, rank, ahead.take(i));
    });
  }
}

void SqliteArchive::save_papers(const std::vector<Paper>& papers,
                                std::chrono::sys_seconds fetched_at) {
  sqlite::Database& db = impl("saving papers").db;
  in_context(fmt::format("archive '{}': saving {} papers", path_.string(), papers.size()), [&] {
    sqlite::Transaction transaction(db, sqlite::Transaction::Mode::kImmediate);
    upsert_papers(db, papers, to_unix(fetched_at));
    transaction.commit();
  });
}

void SqliteArchive::save_announcement(const Announcement& announcement) {
  sqlite::Database& db = impl("saving an announcement").db;
  const std::string categories = canonical_categories(announcement.categories);
  const std::string context = fmt::format("archive '{}': saving the {} announcement of {} for {}",
                                          path_.string(), to_string(announcement.source),
                                          format_date(announcement.listing_date), categories);
  in_context(context, [&] {
    const std::string date = format_ymd(announcement.listing_date);
    const std::int64_t fetched_at = to_unix(announcement.fetched_at);
    sqlite::Transaction transaction(db, sqlite::Transaction::Mode::kImmediate);

    upsert_papers(db, announcement.papers, fetched_at);

    std::int64_t announcement_id = 0;
    in_context("announcement row", [&] {
      sqlite::Statement upsert(db, kUpsertAnnouncement);
      upsert.bind_all(date, categories, to_string(announcement.source), announcement.source_url,
                      announcement.declared_count, announcement.papers.size(),
                      announcement.complete ? 1 : 0, fetched_at);
      if (!upsert.step()) {
        throw sqlite::SqliteError(SQLITE_INTERNAL, "the upsert returned no announcement id");
      }
      announcement_id = upsert.column_int64(0);
      upsert.run();

      sqlite::Statement clear(db, kDeleteAnnouncementPapers);
      clear.bind_all(announcement_id);
      clear.run();
    });

    sqlite::Statement insert_entry(db, kInsertAnnouncementPaper);
    for (std::size_t i = 0; i < announcement.papers.size(); ++i) {
      const Paper& paper = announcement.papers[i];
      in_context(fmt::format("listing entry {} ('{}')", i + 1, paper.id.str()), [&] {
        sqlite::StatementScope scope(insert_entry);
        insert_entry.bind_all(announcement_id, paper.id.key(), paper.id.version(),
                              to_string(paper.announce_type), i);
        insert_entry.run();
      });
      crash_point("archive");  // test seam: a kill inside the transaction
    }
    transaction.commit();
  });
}

std::optional<Announcement> SqliteArchive::load_announcement(
    Date listing_date, const std::vector<std::string>& categories) {
  sqlite::Database& db = impl("loading an announcement").db;
  const std::string canonical = canonical_categories(categories);
  const std::string context =
      fmt::format("archive '{}': loading the announcement for {}", path_.string(), canonical);
  return in_context(context, [&]() -> std::optional<Announcement> {
    const std::string date = format_ymd(listing_date);
    // One read transaction: the announcement row and its papers come from the same snapshot.
    sqlite::Transaction transaction(db, sqlite::Transaction::Mode::kDeferred);

    sqlite::Statement select(db, kSelectAnnouncement);
    select.bind_all(date, canonical);
    if (!select.step()) return std::nullopt;

    Announcement announcement;
    announcement.listing_date = listing_date;
    const std::int64_t announcement_id = select.column_int64(0);
    announcement.categories = split_categories(select.column_text(1));
    const std::string source = select.column_text(2);
    const auto kind = source_kind_from_string(source);
    if (!kind) {
      throw sqlite::SqliteError(SQLITE_CORRUPT, fmt::format("stored source '{}' is unknown", source));
    }
    announcement.source = *kind;
    announcement.source_url = select.column_text(3);
    if (const auto declared = select.column_optional_int64(4)) {
      announcement.declared_count = to_count(*declared, "declared_count");
    }
    announcement.complete = select.column_int64(5) != 0;
    announcement.fetched_at = from_unix(select.column_int64(6));
    select.reset();

    sqlite::Statement papers(db, kSelectAnnouncementPapers);
    papers.bind_all(announcement_id);
    while (papers.step()) {
      Paper paper = read_paper(papers);
      paper.announce_type = read_announce_type(papers, kPaperColumnCount);
      announcement.papers.push_back(std::move(paper));
    }
    std::stable_sort(announcement.papers.begin(), announcement.papers.end(),
                     [](const Paper& a, const Paper& b) { return a.id < b.id; });
    transaction.commit();
    return announcement;
  });
}

std::optional<Paper> SqliteArchive::find_paper(const std::string& key) {
  sqlite::Database& db = impl("finding a paper").db;
  const std::string context = fmt::format("archive '{}': finding paper '{}'", path_.string(), key);
  return in_context(context, [&]() -> std::optional<Paper> {
    sqlite::Statement select(db, kSelectLatestPaper);
    select.bind_all(key);
    if (!select.step()) return std::nullopt;
    Paper paper = read_paper(select);
    paper.announce_type = read_announce_type(select, kPaperColumnCount);
    return paper;
  });
}

void SqliteArchive::record_digest(const DigestRecord& record) {
  sqlite::Database& db = impl("recording a digest").db;
  const std::string context = fmt::format("archive '{}': recording the {} digest '{}'",
                                          path_.string(), record.format, record.path);
  in_context(context, [&] {
    sqlite::Statement upsert(db, kUpsertDigest);
    upsert.bind_all(format_ymd(record.listing_date), record.format, record.path, record.sha256,
                    record.paper_count, to_unix(record.generated_at));
    upsert.run();  // one statement: atomic on its own
  });
}

std::vector<DigestRecord> SqliteArchive::digests_for(Date listing_date) {
  sqlite::Database& db = impl("listing digests").db;
  const std::string context = fmt::format("archive '{}': listing the digests of {}", path_.string(),
                                          format_date(listing_date));
  return in_context(context, [&] {
    sqlite::Statement select(db, kSelectDigests);
    select.bind_all(format_ymd(listing_date));
    std::vector<DigestRecord> records;
    while (select.step()) {
      DigestRecord record;
      record.listing_date = parse_ymd(select.column_text(0));
      record.format = select.column_text(1);
      record.path = select.column_text(2);
      record.sha256 = select.column_text(3);
      record.paper_count = to_count(select.column_int64(4), "paper_count");
      record.generated_at = from_unix(select.column_int64(5));
      records.push_back(std::move(record));
    }
    return records;
  });
}

}  // namespace arxiv_digest

namespace arxiv_digest {

TranslationCache& SqliteArchive::translations() {
  Impl& state = impl("opening the translation cache");
  if (!state.translations)
    state.translations =
        std::make_unique<SqliteTranslationCache>(state.db, state.env, path_.string());
  return *state.translations;
}

}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

std::string_view status_name(DeliveryStatus status) {
  return status == DeliveryStatus::kSent ? "sent" : "failed";
}

DeliveryRecord read_delivery(const sqlite::Statement& row) {
  DeliveryRecord record;
  record.listing_date = parse_ymd(row.column_text(0));
  record.audience = row.column_text(1);
  record.channel = row.column_text(2);
  record.status = row.column_text(3) == "sent" ? DeliveryStatus::kSent : DeliveryStatus::kFailed;
  record.attempts = static_cast<int>(row.column_int64(4));
  record.digest_sha256 = row.column_text(5);
  record.paper_count = to_count(row.column_int64(6), "paper_count");
  record.detail = row.column_text(7);
  record.at = from_unix(row.column_int64(8));
  return record;
}

}  // namespace

void SqliteArchive::record_delivery(const DeliveryRecord& record) {
  sqlite::Database& db = impl("recording a delivery").db;
  const std::string context =
      fmt::format("archive '{}': recording the delivery of {} to '{}'", path_.string(),
                  format_date(record.listing_date), record.channel);
  in_context(context, [&] {
    sqlite::Statement upsert(db, kUpsertDelivery);
    upsert.bind_all(format_ymd(record.listing_date), record.audience, record.channel,
                    std::string(status_name(record.status)), record.attempts,
                    record.digest_sha256, record.paper_count, record.detail,
                    to_unix(record.at));
    upsert.run();  // one statement: atomic and durable on its own
  });
}

std::optional<DeliveryRecord> SqliteArchive::find_delivery(Date listing_date,
                                                           const std::string& audience,
                                                           const std::string& channel) {
  sqlite::Database& db = impl("reading the delivery log").db;
  const std::string context = fmt::format("archive '{}': reading the delivery of {} to '{}'",
                                          path_.string(), format_date(listing_date), channel);
  return in_context(context, [&]() -> std::optional<DeliveryRecord> {
    sqlite::Statement select(
        db, std::string(kSelectDeliveryColumns) +
                "WHERE listing_date = ?1 AND audience = ?2 AND channel = ?3");
    select.bind_all(format_ymd(listing_date), audience, channel);
    if (!select.step()) return std::nullopt;
    return read_delivery(select);
  });
}

std::vector<DeliveryRecord> SqliteArchive::deliveries_for(Date listing_date) {
  sqlite::Database& db = impl("reading the delivery log").db;
  const std::string context = fmt::format("archive '{}': listing the deliveries of {}",
                                          path_.string(), format_date(listing_date));
  return in_context(context, [&] {
    sqlite::Statement select(db, std::string(kSelectDeliveryColumns) +
                                     "WHERE listing_date = ?1 ORDER BY audience, channel");
    select.bind_all(format_ymd(listing_date));
    std::vector<DeliveryRecord> records;
    while (select.step()) records.push_back(read_delivery(select));
    return records;
  });
}

}  // namespace arxiv_digest

// ---- Search support (issue 11) ----------------------------------------------------------------

namespace arxiv_digest {
namespace {

std::string_view fts_columns(FullTextQuery::Field field) {
  switch (field) {
    case FullTextQuery::Field::kTitleAbstract: return "{title abstract}";
    case FullTextQuery::Field::kTitle: return "title";
    case FullTextQuery::Field::kAbstract: return "abstract";
    case FullTextQuery::Field::kAuthors: return "authors";
    case FullTextQuery::Field::kCategories: return "categories";
    case FullTextQuery::Field::kComments: return "comments";
  }
  return "{title abstract}";
}

// A string as an FTS5 string literal.
std::string fts_quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

// The FTS5 expression of `query` (bound as a parameter, never spliced into SQL).
// The FTS5 expression of `query`; nullopt when the index cannot narrow it down (it asks for a
// stop word, which papers_fts leaves out): any paper may match.
std::optional<std::string> fts_expression(const FullTextQuery& query) {
  switch (query.kind) {
    case FullTextQuery::Kind::kWord: {
      if (query.forms.empty()) {
        throw StoreError(StoreErrorKind::kRejected, "a full-text word without forms");
      }
      std::string forms;
      for (const std::string& form : query.forms) {
        if (query.prefix ? fts_stopword_has_prefix(form) : fts_is_stopword(form)) {
          return std::nullopt;
        }
        if (!forms.empty()) forms += " OR ";
        forms += fts_quote(form);
        if (query.prefix) forms += '*';
      }
      return fmt::format("{} : ({})", fts_columns(query.field), forms);
    }
    case FullTextQuery::Kind::kAnd:
    case FullTextQuery::Kind::kOr: {
      if (query.children.empty()) {
        throw StoreError(StoreErrorKind::kRejected, "a full-text AND/OR without children");
      }
      const bool all = query.kind == FullTextQuery::Kind::kAnd;
      std::string out;
      for (const FullTextQuery& child : query.children) {
        std::optional<std::string> part = fts_expression(child);
        if (!part) {
          if (all) continue;     // AND anything: the other children decide
          return std::nullopt;   // OR anything: anything
        }
        if (!out.empty()) out += all ? " AND " : " OR ";
        out += '(' + *part + ')';
      }
      if (out.empty()) return std::nullopt;
      return out;
    }
  }
  return std::nullopt;
}

std::size_t utf8_length(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Every column of a paper row (read_paper's order), for the scans.
constexpr const char* kScanColumns = R"sql(
SELECT p.key, p.version, p.id, p.title, p.abstract, p.authors, p.primary_category, p.categories,
       p.comments, p.journal_ref, p.doi, p.license, p.submitted, p.updated, p.id_rank
FROM papers AS p
)sql";

// Streams a scan newest first without sorting: either the ranks papers_fts matches, rowid
// descending (FTS5 reads its doclists backwards), each looked up in papers by the id_rank index;
// or, with nothing to match, papers by that index backwards, the first (latest) version of each
// rank. So the first candidate arrives after a few index reads however many there are.
class SqlitePaperCursor final : public PaperCursor {
 public:
  SqlitePaperCursor(sqlite::Database& db, const PaperScan& scan, std::string name)
      : name_(std::move(name)) {
    // One read transaction for the whole scan: a consistent snapshot (inside the caller's when
    // one is open, e.g. another scan's).
    if (db.autocommit()) transaction_.emplace(db, sqlite::Transaction::Mode::kDeferred);
    if (scan.deadline) {
      deadline_ = *scan.deadline;
      db_ = db.get();
      // Every ~1000 VM steps: cheap, and fine-grained enough to stop a long scan in time.
      sqlite3_progress_handler(db_, 1000, &SqlitePaperCursor::past_deadline, this);
    }
    std::optional<std::string> match;
    if (scan.text) match = fts_expression(*scan.text);
    if (!scan.translation_substrings.empty()) {
      std::string tokens = translated_papers(db, scan);
      if (tokens.empty()) {
        done_ = true;  // no stored translation contains them
        return;
      }
      tokens = "hashes : (" + tokens + ")";
      match = match ? fmt::format("({}) AND {}", *match, tokens) : tokens;
    }
    const std::int64_t newest =
        scan.id_month_at_most ? IdRanker::last_rank_of_month(*scan.id_month_at_most)
                              : std::numeric_limits<std::int64_t>::max();
    // While a bulk load's index build is pending, papers_fts misses papers: read them all
    // (the caller's matcher decides either way; a translation search checks hashes below).
    const bool index_complete = !sqlite::Statement(db, "SELECT 1 FROM index_builds").step();
    if (match && index_complete) {
      ranks_ = sqlite::Statement(db,
                                 "SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?1 "
                                 "AND rowid <= ?2 ORDER BY rowid DESC");
      ranks_.bind_all(*match, newest);
      latest_ = sqlite::Statement(
          db, std::string(kScanColumns) + " WHERE p.id_rank = ?1 ORDER BY p.version DESC LIMIT 1");
    } else {
      all_ = sqlite::Statement(db, std::string(kScanColumns) +
                                       " WHERE p.id_rank <= ?1 ORDER BY p.id_rank DESC, "
                                       "p.version DESC");
      all_.bind_all(newest);
    }
  }

  ~SqlitePaperCursor() override {
    if (db_ != nullptr) sqlite3_progress_handler(db_, 0, nullptr, nullptr);
  }
  SqlitePaperCursor(const SqlitePaperCursor&) = delete;
  SqlitePaperCursor& operator=(const SqlitePaperCursor&) = delete;

  bool interrupted() const override { return interrupted_; }

  std::optional<Paper> next() override {
    try {
      while (!done_) {
        // Streaming gives each row in a few VM steps, fewer than the progress handler waits.
        if (db_ != nullptr && std::chrono::steady_clock::now() >= deadline_) {
          interrupted_ = true;
          done_ = true;
          break;
        }
        if (std::optional<Paper> paper = step()) return paper;
      }
      return std::nullopt;
    } catch (const sqlite::SqliteError& e) {
      if (e.code() == SQLITE_INTERRUPT && interrupted_) {
        done_ = true;
        return std::nullopt;
      }
      // FTS5 reports a malformed expression as SQLITE_ERROR: a rejected query, not a broken
      // archive (the expressions built above are always well formed, so this is defensive).
      throw sqlite::SqliteError(e.code(),
                                fmt::format("archive '{}': searching: {}", name_, e.what()));
    }
  }

 private:
  // The next candidate, or nullopt for one skipped (sets done_ at the end).
  std::optional<Paper> step() {
    if (latest_.get() == nullptr) {
      if (!all_.step()) {
        done_ = true;
        return std::nullopt;
      }
      const std::int64_t rank = all_.column_int64(kPaperColumnCount);
      if (rank == last_rank_) return std::nullopt;  // an older version of the paper just read
      last_rank_ = rank;
      return translated(read_paper(all_));
    }
    if (!ranks_.step()) {
      done_ = true;
      return std::nullopt;
    }
    sqlite::StatementScope scope(latest_);
    latest_.bind_all(ranks_.column_int64(0));
    if (!latest_.step()) return std::nullopt;  // cannot happen: every entry has its paper
    return translated(read_paper(latest_));
  }

  // `paper`, unless this is a translation search and none of the translations found is of its
  // title or abstract (the hash tokens are 48-bit prefixes: this checks the whole hash).
  std::optional<Paper> translated(Paper paper) const {
    if (titles_.empty() && abstracts_.empty()) return paper;
    if (titles_.contains(sha256_hex(paper.title)) ||
        abstracts_.contains(sha256_hex(paper.abstract)))
      return paper;
    return std::nullopt;
  }

  // The stored translations (title or abstract, into scan.translation_language or any) that
  // contain every one of scan.translation_substrings: fills titles_/abstracts_ with their
  // source hashes and returns their papers_fts tokens joined by " OR " ("" when none).
  // Trigram lookups for substrings of 3+ characters, a scan (instr) for shorter ones.
  std::string translated_papers(sqlite::Database& db, const PaperScan& scan) {
    std::string match;
    std::vector<std::string> params;
    std::string sql =
        "SELECT t.source_sha256, t.field FROM translations AS t WHERE t.field IN ('title', "
        "'abstract') AND (?1 = '' OR t.target_language = ?1)";
    params.push_back(scan.translation_language);
    std::vector<std::string> short_ones;
    for (const std::string& s : scan.translation_substrings) {
      if (utf8_length(s) >= 3) {
        if (!match.empty()) match += " AND ";
        match += fts_quote(s);
      } else {
        params.push_back(s);
        sql += fmt::format(" AND instr(t.text, ?{}) > 0", params.size());
      }
    }
    if (!match.empty()) {
      params.push_back(match);
      sql += fmt::format(
          " AND t.rowid IN (SELECT rowid FROM translations_fts WHERE translations_fts MATCH ?{})",
          params.size());
    }
    sqlite::Statement select(db, sql);
    for (std::size_t i = 0; i < params.size(); ++i) {
      select.bind(static_cast<int>(i + 1), params[i]);
    }
    std::set<std::string> tokens;
    while (select.step()) {
      const std::string sha = select.column_text(0);
      const bool title = select.column_text(1) == "title";
      (title ? titles_ : abstracts_).insert(sha);
      tokens.insert(fts_hash_token(title ? 't' : 'a', sha));
    }
    std::string joined;
    for (const std::string& token : tokens) {
      if (!joined.empty()) joined += " OR ";
      joined += token;
    }
    return joined;
  }

  static int past_deadline(void* self) {
    auto* cursor = static_cast<SqlitePaperCursor*>(self);
    if (std::chrono::steady_clock::now() < cursor->deadline_) return 0;
    cursor->interrupted_ = true;
    return 1;
  }

  std::string name_;
  std::optional<sqlite::Transaction> transaction_;
  sqlite::Statement ranks_, latest_;  // with an FTS expression
  sqlite::Statement all_;             // without
  std::int64_t last_rank_ = -1;
  std::set<std::string> titles_, abstracts_;  // a translation search's source hashes
  sqlite3* db_ = nullptr;  // set while the progress handler is installed
  std::chrono::steady_clock::time_point deadline_{};
  bool interrupted_ = false;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<PaperCursor> SqliteArchive::scan_papers(const PaperScan& scan) {
  sqlite::Database& db = impl("searching").db;
  return in_context(fmt::format("archive '{}': searching", path_.string()), [&] {
    return std::make_unique<SqlitePaperCursor>(db, scan, path_.string());
  });
}

std::optional<std::string> SqliteArchive::find_translation(const Paper& paper,
                                                           const std::string& field,
                                                           const std::string& language) {
  sqlite::Database& db = impl("reading a translation").db;
  return in_context(fmt::format("archive '{}': reading the {} translation of {}", path_.string(),
                                field, paper.id.str()),
                    [&]() -> std::optional<std::string> {
                      const std::string& source = field == "title" ? paper.title : paper.abstract;
                      sqlite::Statement select(
                          db,
                          "SELECT text FROM translations WHERE source_sha256 = ?1 AND field = ?2 "
                          "AND target_language = ?3 ORDER BY created_at DESC, rowid DESC LIMIT 1");
                      select.bind_all(sha256_hex(source), field, language);
                      if (!select.step()) return std::nullopt;
                      return select.column_text(0);
                    });
}

std::size_t SqliteArchive::paper_count() {
  sqlite::Database& db = impl("counting papers").db;
  return in_context(fmt::format("archive '{}': counting papers", path_.string()), [&] {
    sqlite::Statement select(db, "SELECT count(DISTINCT key) FROM papers");
    return select.step() ? to_count(select.column_int64(0), "count") : std::size_t{0};
  });
}

}  // namespace arxiv_digest

namespace arxiv_digest {

void SqliteArchive::save_harvest_page(const std::vector<Paper>& papers,
                                      const HarvestProgress& progress) {
  sqlite::Database& db = impl("saving a harvested page").db;
  const HarvestWindow& w = progress.window;
  const std::string context =
      fmt::format("archive '{}': saving page {} of the OAI-PMH harvest from {} ({} papers)",
                  path_.string(), progress.pages, format_date(w.from), papers.size());
  in_context(context, [&] {
    const std::string from = format_ymd(w.from);
    const std::string until = w.until ? format_ymd(*w.until) : std::string();
    sqlite::Transaction transaction(db, sqlite::Transaction::Mode::kImmediate);
    upsert_papers(db, papers, to_unix(progress.updated_at));
    in_context("progress row", [&] {
      sqlite::Statement upsert(db, kUpsertHarvest);
      upsert.bind_all(from, until, w.set, w.format, progress.resumption_token,
                      progress.complete ? 1 : 0, progress.pages, progress.records,
                      progress.deleted, progress.complete_list_size,
                      to_unix(progress.started_at), to_unix(progress.updated_at));
      upsert.run();
    });
    transaction.commit();
  });
}

std::optional<HarvestProgress> SqliteArchive::find_harvest(const HarvestWindow& window) {
  sqlite::Database& db = impl("reading harvest progress").db;
  const std::string context = fmt::format("archive '{}': reading the OAI-PMH harvest from {}",
                                          path_.string(), format_date(window.from));
  return in_context(context, [&]() -> std::optional<HarvestProgress> {
    sqlite::Statement select(db, kSelectHarvest);
    select.bind_all(format_ymd(window.from),
                    window.until ? format_ymd(*window.until) : std::string(), window.set,
                    window.format);
    if (!select.step()) return std::nullopt;
    HarvestProgress progress;
    progress.window = window;
    progress.resumption_token = select.column_text(0);
    progress.complete = select.column_int64(1) != 0;
    progress.pages = to_count(select.column_int64(2), "pages");
    progress.records = to_count(select.column_int64(3), "records");
    progress.deleted = to_count(select.column_int64(4), "deleted");
    if (const auto size = select.column_optional_int64(5))
      progress.complete_list_size = to_count(*size, "complete_list_size");
    progress.started_at = from_unix(select.column_int64(6));
    progress.updated_at = from_unix(select.column_int64(7));
    return progress;
  });
}

}  // namespace arxiv_digest

namespace arxiv_digest {

// Browsing (serve): the queries live in sqlite_browse.cpp; Impl is only visible here.
sqlite::Database& SqliteArchive::browse_db(const char* operation) { return impl(operation).db; }

}  // namespace arxiv_digest
