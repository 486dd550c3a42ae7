// Archive: the persistent store of papers, announcements and produced digests.
//
// Narrow on purpose so a PostgreSQL implementation can be added beside SqliteArchive. Every
// write is one transaction: on any failure it throws StoreError and the archive is left exactly
// as it was. Writes are idempotent upserts: saving the same announcement twice leaves the same
// rows. Instances are not thread-safe; use one per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "core/paper.hpp"
#include "core/translation_cache.hpp"
#include "store/full_text.hpp"

namespace arxiv_digest {

// A digest file that was written, for the record.
struct DigestRecord {
  Date listing_date{};
  std::string format;        // "text", "markdown", "json"
  std::string path;          // where it was written
  std::string sha256;        // of the bytes written
  std::size_t paper_count = 0;
  std::chrono::sys_seconds generated_at{};
};

// The outcome of one delivery attempt: one digest (listing date) to one channel of one audience.
enum class DeliveryStatus { kSent, kFailed };

// The delivery log's row for (listing_date, audience, channel): the latest attempt's outcome.
struct DeliveryRecord {
  Date listing_date{};
  std::string audience;  // the subscriber's name; "" for the configuration's own readers
  std::string channel;   // the channel's name ("email:ana@example.org", "webhook:lab"); no secret
  DeliveryStatus status = DeliveryStatus::kSent;
  int attempts = 1;            // attempts so far, this one included (>= 1)
  std::string digest_sha256;   // identifies the digest content that was sent or attempted
  std::size_t paper_count = 0;
  std::string detail;          // the recipient/target when sent; the error message when failed
  std::chrono::sys_seconds at{};  // when this attempt ended
};

// Where an OAI-PMH harvest stands (pipeline/oai_harvest.hpp). A harvest is identified by its
// window: from/until/set/metadata format; one row per window.
struct HarvestWindow {
  Date from{};
  std::optional<Date> until;   // nullopt: up to the newest record
  std::string set;             // "" = every set; else "cs", "physics:hep-th", ...
  std::string format = "arXiv";  // metadataPrefix: "arXiv" or "arXivRaw"

  friend bool operator==(const HarvestWindow&, const HarvestWindow&) = default;
};

struct HarvestProgress {
  HarvestWindow window;
  // The token to ask for next; "" when the next request is the window's first (not started, or
  // restarted after a bad token) or when the harvest is complete.
  std::string resumption_token;
  bool complete = false;       // the last page (no or empty token) has been saved
  std::size_t pages = 0;       // pages saved since the window's (re)start
  std::size_t records = 0;     // papers saved since then (deleted records not counted)
  std::size_t deleted = 0;     // deleted records seen since then
  std::optional<std::size_t> complete_list_size;  // the server's total, when it sends one
  std::chrono::sys_seconds started_at{};
  std::chrono::sys_seconds updated_at{};
};

struct ArchiveStats;         // Statistics (doctor), below
struct AnnouncementSummary;
// Papers one at a time from Archive::scan_papers(); a scan holds the archive's read snapshot
// until it is destroyed. Not thread-safe; must not outlive its archive.
class PaperCursor {
 public:
  virtual ~PaperCursor() = default;
  // The next paper, or nullopt at the end (or when the scan's deadline passed).
  virtual std::optional<Paper> next() = 0;
  // Whether the scan ended because its deadline passed (not at the end of the candidates).
  virtual bool interrupted() const = 0;
};

// Many save_papers() calls in a row (an import), which an archive may store faster than one
// at a time: e.g. by building its search index alongside and putting it in place at finish().
// Every save_papers() is durable on return, as Archive::save_papers() is; searches may miss the
// papers saved until finish() returns. Destroying a load without finish() (an error, a kill)
// loses none of them: the archive finishes the index when the next bulk load of it begins.
// Not thread-safe; must not outlive its archive.
class BulkLoad {
 public:
  virtual ~BulkLoad() = default;
  virtual void save_papers(const std::vector<Paper>& papers,
                           std::chrono::sys_seconds fetched_at) = 0;

  // Puts what the load deferred in place; afterwards save_papers() must not be called.
  virtual void finish() = 0;
};

class Archive {
 public:
  virtual ~Archive() = default;

  // Stores every paper (one row per id+version; newer data for the same version replaces older)
  // and the announcement (listing date + categories + source -> counts, completeness, fetch
  // time, and which papers with which announce type). Replaces an earlier save of the same
  // listing date, categories and source.
  virtual void save_announcement(const Announcement& announcement) = 0;

  // Stores papers that were looked up outside any announcement (e.g. a topic's example papers,
  // fetched by id), like save_announcement stores its papers.
  virtual void save_papers(const std::vector<Paper>& papers,
                           std::chrono::sys_seconds fetched_at) = 0;

  // A bulk load of about `expected_papers` papers (a low estimate is fine; 0 when unknown).
  // This default saves each batch with save_papers().
  virtual std::unique_ptr<BulkLoad> begin_bulk_load(std::uint64_t expected_papers);

  // The announcement saved for this date and category set (any source, most recent fetch
  // first), with its papers; nullopt when none.
  virtual std::optional<Announcement> load_announcement(Date listing_date,
                                                        const std::vector<std::string>& categories) = 0;

  // Latest stored version of a paper by version-less key.
  virtual std::optional<Paper> find_paper(const std::string& key) = 0;

  virtual void record_digest(const DigestRecord& record) = 0;
  virtual std::vector<DigestRecord> digests_for(Date listing_date) = 0;

  // The delivery log. record_delivery() upserts on (listing_date, audience, channel) and is
  // durable on return; find_delivery() returns that row or nullopt; deliveries_for() lists a
  // day's rows ordered by audience, then channel.
  virtual void record_delivery(const DeliveryRecord& record) = 0;
  virtual std::optional<DeliveryRecord> find_delivery(Date listing_date,
                                                      const std::string& audience,
                                                      const std::string& channel) = 0;
  virtual std::vector<DeliveryRecord> deliveries_for(Date listing_date) = 0;

  // Search support (issue 11). Papers that may match `scan` (see full_text.hpp): the latest
  // stored version of each, newest first, streamed (stop reading whenever enough were seen).
  virtual std::unique_ptr<PaperCursor> scan_papers(const PaperScan& scan) = 0;
  // The most recent stored translation of `paper`'s `field` ("title" or "abstract") into
  // `language` (any backend or model), or nullopt.
  virtual std::optional<std::string> find_translation(const Paper& paper, const std::string& field,
                                                      const std::string& language) = 0;
  // How many distinct papers (version-less ids) are stored.
  virtual std::size_t paper_count() = 0;
  // OAI-PMH harvesting. save_harvest_page() upserts `papers` (like save_papers, `progress`
  // .updated_at as their fetched_at) and replaces the progress row of `progress.window` in ONE
  // transaction: after a crash the archive holds either both or neither, so resuming from the
  // stored token neither skips nor repeats a page. find_harvest() returns that row or nullopt.
  virtual void save_harvest_page(const std::vector<Paper>& papers,
                                 const HarvestProgress& progress) = 0;
  virtual std::optional<HarvestProgress> find_harvest(const HarvestWindow& window) = 0;

  // The translation cache kept in this archive (the same connection and file). Its lifetime is
  // the archive's. Each store() is durable on return, outside any other write's transaction.
  virtual TranslationCache& translations() = 0;

  // Browsing (serve): read-only queries for the web UI. None of them writes.

  // Listing dates that have a recorded digest or a saved announcement, newest first, at most
  // `limit` of them.
  virtual std::vector<Date> listing_dates(std::size_t limit) = 0;
  // Every stored version of a paper (version-less key), oldest version first; empty when none.
  virtual std::vector<Paper> paper_versions(const std::string& key) = 0;
  // Where the paper was announced: one entry per saved announcement listing it, newest listing
  // date first.
  struct PaperListing {
    Date listing_date{};
    std::string categories;  // the announcement's canonical category set ("cs.AI+cs.LG")
    int version = 0;         // the version listed (0: none given)
    AnnounceType announce_type = AnnounceType::kNew;
  };
  virtual std::vector<PaperListing> paper_listings(const std::string& key) = 0;

  // Statistics (doctor): read-only.
  // Row counts, schema version and size.
  virtual ArchiveStats stats() = 0;
  // The listing dates with an announcement, a digest or a delivery, newest first, at most `limit`.
  virtual std::vector<Date> recent_listing_dates(std::size_t limit) = 0;
  // The announcements saved for `listing_date` (every category set and source), without papers,
  // most recent fetch first.
  virtual std::vector<AnnouncementSummary> announcements_on(Date listing_date) = 0;
};

// Statistics (doctor)
struct ArchiveStats {
  std::int64_t papers = 0;         // paper versions
  std::int64_t announcements = 0;  // (listing date, categories, source) rows
  std::int64_t translations = 0;   // cached translations
  std::int64_t digests = 0;        // digest files recorded
  std::int64_t deliveries = 0;     // delivery log rows (sent or failed)
  std::int64_t schema_version = 0;
  std::uint64_t size_bytes = 0;    // the database's pages (the WAL file not included)
  // A bulk load's search index that is not in place yet (see begin_bulk_load()): the process
  // building it, since when, and whether that process still runs (else the next import
  // finishes it).
  struct IndexBuild {
    std::int64_t pid = 0;
    std::chrono::sys_seconds started_at{};
    bool running = false;
  };
  std::optional<IndexBuild> index_build;
};

struct AnnouncementSummary {
  Date listing_date{};
  std::string categories;  // canonical: "cs.AI+cs.LG"
  SourceKind source = SourceKind::kRss;
  std::size_t received = 0;
  std::optional<std::size_t> declared;
  bool complete = false;
  std::chrono::sys_seconds fetched_at{};
};

}  // namespace arxiv_digest
