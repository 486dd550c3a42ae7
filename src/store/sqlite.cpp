#include "store/sqlite.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>

#include "core/error.hpp"

namespace arxiv_digest::sqlite {
namespace {

// SQLITE_TRANSIENT without the old-style cast of the C macro.
sqlite3_destructor_type transient() noexcept {
  return reinterpret_cast<sqlite3_destructor_type>(static_cast<std::intptr_t>(-1));
}

[[noreturn]] void throw_error(sqlite3* db, int code, std::string_view what) {
  const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  throw SqliteError(code, fmt::format("{}: {}", what, message));
}

}  // namespace

StoreErrorKind error_kind(int code) noexcept {
  switch (code & 0xff) {
    case SQLITE_CANTOPEN:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
    case SQLITE_NOLFS:
    case SQLITE_PROTOCOL:
      return StoreErrorKind::kUnavailable;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT:
      return StoreErrorKind::kCorrupt;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG:
      return StoreErrorKind::kRejected;
    default:
      return StoreErrorKind::kInternal;
  }
}

namespace {

// The statement's SQL, shortened for error messages.
std::string describe(std::string_view sql) {
  constexpr std::size_t kMax = 72;
  std::string text;
  text.reserve(std::min(sql.size(), kMax));
  bool space = false;
  for (char c : sql) {
    const bool is_space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (is_space) {
      space = !text.empty();
      continue;
    }
    if (space) text += ' ';
    space = false;
    text += c;
    if (text.size() >= kMax) {
      text += "...";
      break;
    }
  }
  return text;
}

// True when `text` holds nothing but whitespace and semicolons.
bool only_whitespace(std::string_view text) noexcept {
  return text.find_first_not_of(" \n\t\r;") == std::string_view::npos;
}

}  // namespace

// ---- Database ---------------------------------------------------------------------------------

Database::Database(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  // sqlite3_open_v2 allocates a handle even on failure; own it before anything can throw.
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> handle(raw, &sqlite3_close_v2);
  if (rc != SQLITE_OK) {
    throw_error(handle.get(), rc, fmt::format("cannot open SQLite database '{}'", path));
  }
  sqlite3_extended_result_codes(handle.get(), 1);
  db_ = handle.release();
}

void Database::close() noexcept {
  if (db_ != nullptr) sqlite3_close_v2(std::exchange(db_, nullptr));
}

void Database::exec(const char* sql, std::string_view what) {
  if (db_ == nullptr) throw sqlite::SqliteError(SQLITE_MISUSE, fmt::format("{}: database is closed", what));
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  std::unique_ptr<char, void (*)(void*)> owned(message, &sqlite3_free);
  if (rc != SQLITE_OK) {
    throw SqliteError(
        rc, fmt::format("{}: {}", what, owned != nullptr ? owned.get() : sqlite3_errstr(rc)));
  }
}

void Database::set_busy_timeout(int milliseconds) {
  const int rc = sqlite3_busy_timeout(db_, milliseconds);
  if (rc != SQLITE_OK) throw_error(db_, rc, "setting the busy timeout");
}

std::int64_t Database::changes() const noexcept {
  return db_ != nullptr ? sqlite3_changes64(db_) : 0;
}

bool Database::autocommit() const noexcept {
  return db_ == nullptr || sqlite3_get_autocommit(db_) != 0;
}

std::string Database::last_error_message() const {
  return db_ != nullptr ? std::string(sqlite3_errmsg(db_)) : std::string();
}

// ---- Statement --------------------------------------------------------------------------------

Statement::Statement(const Database& db, std::string_view sql) {
  if (!db.is_open()) {
    throw sqlite::SqliteError(SQLITE_MISUSE,
                     fmt::format("preparing \"{}\": database is closed", describe(sql)));
  }
  if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw sqlite::SqliteError(SQLITE_TOOBIG, "preparing a statement: SQL text too long");
  }
  const char* tail = nullptr;
  const int rc =
      sqlite3_prepare_v2(db.get(), sql.data(), static_cast<int>(sql.size()), &stmt_, &tail);
  if (rc != SQLITE_OK) {
    finalize();
    throw_error(db.get(), rc, fmt::format("preparing \"{}\"", describe(sql)));
  }
  if (stmt_ == nullptr) {
    throw sqlite::SqliteError(SQLITE_MISUSE, fmt::format("preparing \"{}\": no statement", describe(sql)));
  }
  const std::string_view rest = sql.substr(static_cast<std::size_t>(tail - sql.data()));
  if (!only_whitespace(rest)) {
    finalize();
    throw sqlite::SqliteError(SQLITE_MISUSE,
                     fmt::format("preparing \"{}\": more than one statement", describe(sql)));
  }
}

void Statement::finalize() noexcept {
  if (stmt_ != nullptr) sqlite3_finalize(std::exchange(stmt_, nullptr));
}

std::string_view Statement::sql() const noexcept {
  if (stmt_ == nullptr) return {};
  const char* text = sqlite3_sql(stmt_);
  return text != nullptr ? std::string_view(text) : std::string_view();
}

void Statement::bind(int index, std::string_view text) {
  // An empty view may have a null data(); SQLite would store NULL for a null pointer.
  const char* data = text.data() != nullptr ? text.data() : "";
  const int rc = sqlite3_bind_text64(stmt_, index, data, text.size(), transient(), SQLITE_UTF8);
  if (rc != SQLITE_OK) {
    throw_error(sqlite3_db_handle(stmt_), rc,
                fmt::format("binding text to parameter {} of \"{}\"", index, describe(sql())));
  }
}

void Statement::bind(int index, std::nullptr_t) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) {
    throw_error(sqlite3_db_handle(stmt_), rc,
                fmt::format("binding NULL to parameter {} of \"{}\"", index, describe(sql())));
  }
}

void Statement::bind_int64(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) {
    throw_error(sqlite3_db_handle(stmt_), rc,
                fmt::format("binding {} to parameter {} of \"{}\"", value, index, describe(sql())));
  }
}

void Statement::bind_unsigned(int index, std::uint64_t value) {
  if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    throw sqlite::SqliteError(SQLITE_RANGE,
                     fmt::format("binding {} to parameter {} of \"{}\": does not fit in int64",
                                 value, index, describe(sql())));
  }
  bind_int64(index, static_cast<std::int64_t>(value));
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw_error(sqlite3_db_handle(stmt_), rc, fmt::format("executing \"{}\"", describe(sql())));
}

void Statement::run() {
  while (step()) {
  }
}

int Statement::column_count() const noexcept { return sqlite3_column_count(stmt_); }

bool Statement::column_is_null(int column) const noexcept {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::column_int64(int column) const noexcept {
  return sqlite3_column_int64(stmt_, column);
}

std::optional<std::int64_t> Statement::column_optional_int64(int column) const noexcept {
  if (column_is_null(column)) return std::nullopt;
  return column_int64(column);
}

std::string Statement::column_text(int column) const {
  // Order matters: sqlite3_column_text first, then sqlite3_column_bytes for the same format.
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (text == nullptr || size <= 0) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

void Statement::reset() noexcept {
  if (stmt_ != nullptr) sqlite3_reset(stmt_);
}

void Statement::clear_bindings() noexcept {
  if (stmt_ != nullptr) sqlite3_clear_bindings(stmt_);
}

// ---- Transaction ------------------------------------------------------------------------------

Transaction::Transaction(Database& db, Mode mode) : db_(db) {
  switch (mode) {
    case Mode::kDeferred:
      db_.exec("BEGIN DEFERRED", "beginning a transaction");
      break;
    case Mode::kImmediate:
      db_.exec("BEGIN IMMEDIATE", "beginning a transaction");
      break;
    case Mode::kExclusive:
      db_.exec("BEGIN EXCLUSIVE", "beginning a transaction");
      break;
  }
  active_ = true;
}

void Transaction::commit() {
  if (!active_) throw sqlite::SqliteError(SQLITE_MISUSE, "committing a transaction that is not active");
  db_.exec("COMMIT", "committing a transaction");
  active_ = false;
}

void Transaction::rollback() noexcept {
  if (!active_) return;
  active_ = false;
  // SQLite may already have rolled back on its own (SQLITE_FULL, SQLITE_IOERR, ...).
  if (db_.is_open() && !db_.autocommit()) {
    sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

}  // namespace arxiv_digest::sqlite
