// Move-only RAII wrappers for the SQLite C API: Database (sqlite3*), Statement (sqlite3_stmt*),
// StatementScope (reset + clear bindings on scope exit) and Transaction (rolls back unless
// committed). Modelled on MPD's src/lib/sqlite.
//
// Errors: every failing call throws SqliteError (a StoreError whose kind is derived from the
// code) whose code() is SQLite's (extended) result code and whose message says what was being
// done and quotes sqlite3_errmsg. The code stays inside the store: callers see StoreError.
//
// SQL policy: statements are fixed strings; data only ever enters through bound parameters.
// Database::exec exists for fixed DDL and PRAGMA text only.
//
// Thread-safety: none. A Database and its Statements belong to one thread at a time (the
// connection is opened with SQLITE_OPEN_NOMUTEX). Use one Database per thread.
//
// This header deliberately does not include <sqlite3.h>; the C types are only forward-declared.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "core/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace arxiv_digest::sqlite {

// The backend-neutral kind of a SQLite (extended) result code.
StoreErrorKind error_kind(int code) noexcept;

// StoreError carrying SQLite's result code (store-internal; tests of the wrapper use it).
class SqliteError : public StoreError {
 public:
  SqliteError(int code, const std::string& what) : StoreError(error_kind(code), what), code_(code) {}
  int code() const noexcept { return code_; }

 private:
  int code_;
};

// An open connection. Closed (sqlite3_close_v2) by the destructor or close(), never throws there.
class Database {
 public:
  Database() = default;
  // Opens `path` read-write, creating the file if missing (":memory:" for a private in-memory
  // database). Enables extended result codes. Does not create parent directories. Throws
  // StoreError naming `path` if SQLite cannot open it. Note that SQLite reads the file lazily:
  // a file that is not a database is only detected by the first statement.
  explicit Database(const std::string& path);
  ~Database() noexcept { close(); }

  Database(Database&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  Database& operator=(Database&& other) noexcept {
    if (this != &other) {
      close();
      db_ = std::exchange(other.db_, nullptr);
    }
    return *this;
  }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Closes the connection (idempotent). Statements still alive keep it as a zombie until they
  // are finalized, so destruction order does not matter for correctness.
  void close() noexcept;
  bool is_open() const noexcept { return db_ != nullptr; }
  sqlite3* get() const noexcept { return db_; }

  // Runs fixed SQL text (one or more statements, no result rows needed). Never pass text built
  // from data. Throws StoreError with `what` and SQLite's message.
  void exec(const char* sql, std::string_view what);

  // sqlite3_busy_timeout.
  void set_busy_timeout(int milliseconds);
  // sqlite3_changes64 of the last statement.
  std::int64_t changes() const noexcept;
  // Whether the connection is outside any explicit transaction.
  bool autocommit() const noexcept;
  // sqlite3_errmsg, "" when closed.
  std::string last_error_message() const;

 private:
  sqlite3* db_ = nullptr;
};

// A prepared statement. Finalized by the destructor.
class Statement {
 public:
  Statement() = default;
  // Prepares the single statement `sql`. Throws StoreError quoting the SQL on failure.
  Statement(const Database& db, std::string_view sql);
  ~Statement() noexcept { finalize(); }

  Statement(Statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}
  Statement& operator=(Statement&& other) noexcept {
    if (this != &other) {
      finalize();
      stmt_ = std::exchange(other.stmt_, nullptr);
    }
    return *this;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  sqlite3_stmt* get() const noexcept { return stmt_; }
  // The SQL text the statement was prepared from.
  std::string_view sql() const noexcept;

  // Binding: `index` is 1-based. Text is copied (SQLITE_TRANSIENT), byte for byte (embedded NULs
  // and invalid UTF-8 included). Integers must fit in int64 or StoreError(SQLITE_RANGE) is
  // thrown. std::nullopt / nullptr bind NULL.
  void bind(int index, std::string_view text);
  void bind(int index, const std::string& text) { bind(index, std::string_view(text)); }
  void bind(int index, const char* text) { bind(index, std::string_view(text)); }
  void bind(int index, std::nullptr_t);
  template <std::integral T>
  void bind(int index, T value) {
    if constexpr (std::is_signed_v<T>) {
      bind_int64(index, static_cast<std::int64_t>(value));
    } else {
      bind_unsigned(index, static_cast<std::uint64_t>(value));
    }
  }
  template <typename T>
  void bind(int index, const std::optional<T>& value) {
    if (value) {
      bind(index, *value);
    } else {
      bind(index, nullptr);
    }
  }
  // Binds args to parameters 1..N in order.
  template <typename... Args>
  void bind_all(const Args&... args) {
    int index = 1;
    (bind(index++, args), ...);
  }

  // Advances: true when a result row is available, false when the statement is done.
  // Throws StoreError (with the SQLite message and the statement's SQL) on error.
  bool step();
  // Steps until done, ignoring any result rows.
  void run();

  // Columns of the current row, 0-based.
  int column_count() const noexcept;
  bool column_is_null(int column) const noexcept;
  std::int64_t column_int64(int column) const noexcept;
  std::optional<std::int64_t> column_optional_int64(int column) const noexcept;
  // The column's bytes exactly (NULL => "").
  std::string column_text(int column) const;

  // sqlite3_reset / sqlite3_clear_bindings. Never throw.
  void reset() noexcept;
  void clear_bindings() noexcept;

 private:
  void finalize() noexcept;
  void bind_int64(int index, std::int64_t value);
  void bind_unsigned(int index, std::uint64_t value);

  sqlite3_stmt* stmt_ = nullptr;
};

// Resets the statement and clears its bindings when the scope ends (normally or by exception),
// so a reused statement never carries old parameters or holds a read lock.
class [[nodiscard]] StatementScope {
 public:
  explicit StatementScope(Statement& statement) noexcept : statement_(statement) {}
  ~StatementScope() noexcept {
    statement_.reset();
    statement_.clear_bindings();
  }
  StatementScope(const StatementScope&) = delete;
  StatementScope& operator=(const StatementScope&) = delete;

 private:
  Statement& statement_;
};

// BEGIN on construction; ROLLBACK in the destructor unless commit() succeeded.
class [[nodiscard]] Transaction {
 public:
  enum class Mode { kDeferred, kImmediate, kExclusive };

  // Throws StoreError if BEGIN fails (e.g. SQLITE_BUSY after the busy timeout, or already in a
  // transaction).
  explicit Transaction(Database& db, Mode mode = Mode::kImmediate);
  ~Transaction() noexcept { rollback(); }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // COMMIT. Throws StoreError on failure; the destructor then rolls back.
  void commit();
  // ROLLBACK now if still active (idempotent, never throws).
  void rollback() noexcept;

 private:
  Database& db_;
  bool active_ = false;
};

}  // namespace arxiv_digest::sqlite
