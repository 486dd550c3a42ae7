// SqliteArchive::begin_bulk_load(): an import's papers go into the archive batch by batch as
// always, while papers_fts is built on a second connection, in a scratch database on its own
// thread, and put in place at finish().
//
// Why: FTS5's inserts were more than half of the writing thread's time, and a SQLite database
// has one writer at a time, so on the archive's connection they could not overlap the papers'
// writes. A scratch database has its own writer. It needs no journal (it is thrown away unless
// finish() completes) and takes the whole build as one transaction, so FTS5 flushes its
// in-memory hash only when that fills (kScratchHashBytes) instead of at every batch's commit.
//
// Putting the index in place copies the scratch table's two FTS5 shadow tables (%_data: the
// segments and structure record; %_idx: the segment index) over the archive's, inside one
// transaction that also deletes the index_builds row. Both tables were created from the same
// CREATE VIRTUAL TABLE text by the same SQLite library, so the copy is a valid index for the
// archive's table (its %_config, e.g. the FTS5 format version, is the archive's own and stays).
// The copy runs on the scratch connection, not the archive's: a commit by another connection
// changes the archive's data_version, which makes FTS5 on the archive's connection drop its
// cached copy of the old structure record at the next statement.
//
// Consistency: the scratch index mirrors the archive's papers exactly: it starts with the latest
// version of every paper already stored (when there are any), then receives upsert_papers()'
// changes of each batch after that batch committed. While the index_builds row exists, other
// paper writes are refused (refuse_while_index_builds()) and searches read papers without the
// index. A load that stops early (an error, a kill) leaves the row; the next bulk load rebuilds
// the scratch index from the stored papers and finishes it.
#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <random>
#include <stop_token>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/process.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_archive.hpp"
#include "store/sqlite_archive_impl.hpp"

namespace arxiv_digest {
namespace {

// FTS5's in-memory hash in the scratch database. The default (1 MiB) flushes a small segment
// (and later merges it) every ~2,000 papers; much larger ones spend their time in cache misses.
// 4 MiB measured fastest on the bulk corpus.
constexpr int kScratchHashBytes = 4 << 20;
// Batches of changes queued for the scratch thread: it lags the writer by at most this many.
constexpr std::size_t kQueuedBatches = 2;
// Papers per batch of the initial pass (the papers stored before the load began).
constexpr std::size_t kInitialBatch = 10'000;

std::filesystem::path scratch_path_for(const std::filesystem::path& archive) {
  return archive.string() + "-index-build";
}

// A load's own number for its index_builds row (never 0).
std::int64_t random_token() {
  std::random_device device;
  std::uint64_t value = 0;
  while (value == 0) {
    value = (static_cast<std::uint64_t>(device()) << 32) | device();
  }
  return static_cast<std::int64_t>(value >> 1);
}

}  // namespace

// papers_fts built in the scratch database `<archive>-index-build` by a thread of its own.
// (Outside the anonymous namespace: SqliteBulkLoad, the archive's friend, holds one.)
class ScratchIndex {
 public:
  // Creates the scratch database afresh (a stale one from a stopped load is replaced) with a
  // papers_fts made by `create_sql`, the archive's own CREATE VIRTUAL TABLE text. On a throw
  // the file is deleted again.
  ScratchIndex(std::filesystem::path archive, const std::string& create_sql, int busy_timeout_ms)
      : archive_(std::move(archive)), path_(scratch_path_for(archive_)), db_(remove_then(path_)) {
    try {
      db_.set_busy_timeout(busy_timeout_ms);
      db_.exec("PRAGMA journal_mode = OFF", "turning the scratch database's journal off");
      db_.exec("PRAGMA synchronous = OFF", "turning the scratch database's syncs off");
      db_.exec("PRAGMA cache_size = -65536", "setting the scratch database's cache size");
      db_.exec(create_sql.c_str(), "creating the scratch index");
      db_.exec(fmt::format("INSERT INTO papers_fts (papers_fts, rank) VALUES ('hashsize', {})",
                           kScratchHashBytes)
                   .c_str(),
               "setting the scratch index's hash size");
      worker_ = std::jthread([this](const std::stop_token& stop) { run(stop); });
    } catch (...) {
      delete_file();
      throw;
    }
  }

  ScratchIndex(const ScratchIndex&) = delete;
  ScratchIndex& operator=(const ScratchIndex&) = delete;

  // Stops the thread (unless finish() did) and deletes the scratch database.
  ~ScratchIndex() {
    if (worker_.joinable()) {
      worker_.request_stop();
      worker_.join();
    }
    delete_file();
  }

  // Queues `changes` for the thread; waits while kQueuedBatches are queued. Rethrows the
  // thread's failure.
  void push(std::vector<FtsChange> changes) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return queue_.size() < kQueuedBatches || failure_ || closed_; });
    if (failure_) std::rethrow_exception(failure_);
    if (closed_) {
      throw StoreError(StoreErrorKind::kInternal, "papers saved after the load finished");
    }
    queue_.push_back(std::move(changes));
    changed_.notify_all();
  }

  // Waits for the thread to apply every change, then replaces the archive's papers_fts with the
  // scratch one and deletes the index_builds row, in one transaction of the archive, provided
  // the row is still this load's (`token`). Call once.
  void finish(std::int64_t token) {
    {
      const std::lock_guard lock(mutex_);
      closed_ = true;
    }
    changed_.notify_all();
    if (worker_.joinable()) worker_.join();
    if (failure_) std::rethrow_exception(failure_);
    sqlite::Statement attach(db_, "ATTACH DATABASE ?1 AS archive");
    attach.bind_all(archive_.string());
    attach.run();
    {
      sqlite::Transaction transaction(db_, sqlite::Transaction::Mode::kImmediate);
      bool ours = false;
      {
        sqlite::Statement owner(db_, "SELECT token FROM archive.index_builds");
        ours = owner.step() && owner.column_int64(0) == token;
      }
      if (!ours) throw_taken_over();
      db_.exec(R"sql(
DELETE FROM archive.papers_fts_data;
DELETE FROM archive.papers_fts_idx;
INSERT INTO archive.papers_fts_data (id, block) SELECT id, block FROM main.papers_fts_data;
INSERT INTO archive.papers_fts_idx (segid, term, pgno)
  SELECT segid, term, pgno FROM main.papers_fts_idx;
DELETE FROM archive.index_builds;
)sql",
               "putting the new search index in place");
      transaction.commit();
    }
    // Best effort: the index is in place; closing the connection detaches it anyway.
    try {
      db_.exec("DETACH DATABASE archive", "detaching the archive");
    } catch (const StoreError&) {
    }
  }

  [[noreturn]] static void throw_taken_over() {
    throw StoreError(StoreErrorKind::kUnavailable,
                     "another import took over this archive's index build (its papers stay "
                     "stored; that import finishes the index)");
  }

 private:
  static const std::filesystem::path& remove_then(const std::filesystem::path& path) {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    return path;
  }

  void delete_file() noexcept {
    db_.close();
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }

  void run(const std::stop_token& stop) {
    try {
      sqlite::Statement insert(db_, kInsertFts);
      sqlite::Statement remove(db_, kDeleteFts);
      db_.exec("BEGIN", "starting the scratch index's transaction");
      for (;;) {
        std::vector<FtsChange> changes;
        {
          std::unique_lock lock(mutex_);
          changed_.wait(lock, stop, [&] { return !queue_.empty() || closed_; });
          if (stop.stop_requested()) return;  // abandoned: the destructor deletes the file
          if (queue_.empty()) break;          // closed and drained
          changes = std::move(queue_.front());
          queue_.pop_front();
        }
        changed_.notify_all();
        apply_fts_changes(insert, remove, changes);
      }
      db_.exec("COMMIT", "committing the scratch index");
    } catch (...) {
      const std::lock_guard lock(mutex_);
      failure_ = std::current_exception();
      changed_.notify_all();
    }
  }

  std::filesystem::path archive_;
  std::filesystem::path path_;
  sqlite::Database db_;  // the thread's until finish() joined it
  std::mutex mutex_;
  std::condition_variable_any changed_;
  std::deque<std::vector<FtsChange>> queue_;
  bool closed_ = false;
  std::exception_ptr failure_;
  std::jthread worker_;  // last: stopped before the members it uses are destroyed
};

class SqliteBulkLoad final : public BulkLoad {
 public:
  SqliteBulkLoad(SqliteArchive& archive, std::int64_t token, std::unique_ptr<ScratchIndex> scratch)
      : archive_(archive), token_(token), scratch_(std::move(scratch)) {}

  void save_papers(const std::vector<Paper>& papers, std::chrono::sys_seconds fetched_at) override {
    sqlite::Database& db = archive_.impl("saving papers").db;
    const std::string context =
        fmt::format("archive '{}': saving {} papers", archive_.path().string(), papers.size());
    if (!scratch_) {
      throw StoreError(StoreErrorKind::kInternal,
                       context + ": the bulk load is finished (or failed to finish)");
    }
    in_context(context, [&] {
      std::vector<FtsChange> changes;
      changes.reserve(papers.size());
      {
        sqlite::Transaction transaction(db, sqlite::Transaction::Mode::kImmediate);
        // Still this load's build (see ScratchIndex::finish()), checked under the write lock.
        sqlite::Statement owner(db, "SELECT token FROM index_builds");
        if (!owner.step() || owner.column_int64(0) != token_) ScratchIndex::throw_taken_over();
        owner = sqlite::Statement();
        upsert_papers(
            db, papers,
            std::chrono::floor<std::chrono::seconds>(fetched_at).time_since_epoch().count(),
            &changes);
        transaction.commit();
      }
      // Only committed changes: a batch that failed left the archive, and so the scratch
      // index, as they were.
      scratch_->push(std::move(changes));
    });
  }

  void finish() override {
    // Once, successful or not: after a failure the index_builds row stays and the next bulk
    // load rebuilds the index; this one is over.
    const std::unique_ptr<ScratchIndex> scratch = std::move(scratch_);
    if (!scratch) return;
    archive_.impl("building the search index");  // throws once the archive is closed
    in_context(fmt::format("archive '{}': building the search index", archive_.path().string()),
               [&] { scratch->finish(token_); });
  }

 private:
  SqliteArchive& archive_;
  std::int64_t token_;
  std::unique_ptr<ScratchIndex> scratch_;  // null once finished
};

std::unique_ptr<BulkLoad> SqliteArchive::begin_bulk_load(std::uint64_t expected_papers) {
  Impl& state = impl("beginning a bulk load");
  const std::string name = path_.string();
  if (name.empty() || name == ":memory:") return Archive::begin_bulk_load(expected_papers);
  sqlite::Database& db = state.db;
  return in_context(
      fmt::format("archive '{}': beginning a bulk load", name), [&]() -> std::unique_ptr<BulkLoad> {
        std::int64_t stored = 0;
        bool pending = false;
        const std::int64_t token = random_token();
        std::unique_ptr<ScratchIndex> scratch;
        {
          sqlite::Transaction transaction(db, sqlite::Transaction::Mode::kImmediate);
          {
            sqlite::Statement builder(db, "SELECT pid FROM index_builds");
            if (builder.step()) {
              // Our own PID is another process's that died (PIDs are reused, e.g. PID 1 in every
              // container), or a load of this process that stopped: one process runs one load.
              const std::int64_t pid = builder.column_int64(0);
              if (pid != ::getpid() && process_may_be_running(pid)) refuse_while_index_builds(db);
              pending = true;  // a load that stopped early: this one rebuilds its index
            }
          }
          sqlite::Statement count(db, "SELECT count(*) FROM papers");
          stored = count.step() ? count.column_int64(0) : 0;
          count = sqlite::Statement();
          // Rebuilding the index of more papers than the load brings costs more than keeping it
          // up to date paper by paper (e.g. a newer snapshot into a full archive).
          if (!pending && static_cast<std::uint64_t>(stored) > expected_papers) {
            return Archive::begin_bulk_load(expected_papers);
          }
          sqlite::Statement mark(db,
                                 "INSERT OR REPLACE INTO index_builds (id, pid, token, started_at) "
                                 "VALUES (1, ?1, ?2, ?3)");
          mark.bind_all(
              static_cast<std::int64_t>(::getpid()), token,
              std::chrono::floor<std::chrono::seconds>(state.env.now()).time_since_epoch().count());
          mark.run();
          std::string create_sql;
          {
            sqlite::Statement schema(db, "SELECT sql FROM sqlite_schema WHERE name = 'papers_fts'");
            if (!schema.step()) {
              throw sqlite::SqliteError(SQLITE_CORRUPT, "the archive has no papers_fts table");
            }
            create_sql = schema.column_text(0);
          }
          // Before the row commits: a scratch database that cannot be made leaves no row behind.
          scratch = std::make_unique<ScratchIndex>(path_, create_sql, state.busy_timeout_ms);
          transaction.commit();
        }
        try {
          if (stored > 0) {
            // The papers stored before this load: their entries first, as the archive has them.
            sqlite::Transaction snapshot(db, sqlite::Transaction::Mode::kDeferred);
            sqlite::Statement latest(db, kSelectLatestVersions);
            std::vector<FtsChange> changes;
            while (latest.step()) {
              changes.push_back(
                  {FtsChange::Kind::kAdd, latest.column_int64(0), fts_row_of_latest(latest)});
              if (changes.size() == kInitialBatch) scratch->push(std::exchange(changes, {}));
            }
            if (!changes.empty()) scratch->push(std::move(changes));
          }
        } catch (...) {
          // No paper was written: unless an earlier load left the index incomplete, it is whole.
          if (!pending) {
            sqlite::Statement unmark(db, "DELETE FROM index_builds WHERE token = ?1");
            unmark.bind_all(token);
            unmark.run();
          }
          throw;
        }
        return std::make_unique<SqliteBulkLoad>(*this, token, std::move(scratch));
      });
}

}  // namespace arxiv_digest
