// Tests of the RAII wrappers for the SQLite C API (store/sqlite.hpp).
#include "store/sqlite.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest::sqlite {
namespace {

using arxiv_digest::testing::TempDir;

std::int64_t count_rows(const Database& db, const char* sql) {
  Statement statement(db, sql);
  EXPECT_TRUE(statement.step());
  return statement.column_int64(0);
}

TEST(SqliteDatabase, OpensInMemoryAndRunsFixedSql) {
  Database db(":memory:");
  ASSERT_TRUE(db.is_open());
  db.exec("CREATE TABLE t (a TEXT); INSERT INTO t VALUES ('x')", "creating t");
  EXPECT_EQ(count_rows(db, "SELECT count(*) FROM t"), 1);
}

TEST(SqliteDatabase, OpenFailureNamesThePath) {
  TempDir dir;
  const std::string path = (dir / "missing-dir" / "db.sqlite").string();
  try {
    Database db(path);
    FAIL() << "opened a database in a directory that does not exist";
  } catch (const sqlite::SqliteError& e) {
    EXPECT_EQ(e.code() & 0xff, SQLITE_CANTOPEN);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

TEST(SqliteDatabase, ExecErrorCarriesCodeAndContext) {
  Database db(":memory:");
  try {
    db.exec("CREATE TABLE t (a); CREATE TABLE t (a)", "creating tables");
    FAIL() << "second CREATE TABLE t succeeded";
  } catch (const sqlite::SqliteError& e) {
    EXPECT_EQ(e.code(), SQLITE_ERROR);
    EXPECT_EQ(std::string(e.what()), "creating tables: table t already exists");
  }
}

TEST(SqliteDatabase, MoveTransfersOwnership) {
  Database a(":memory:");
  sqlite3* raw = a.get();
  Database b(std::move(a));
  EXPECT_FALSE(a.is_open());  // NOLINT(bugprone-use-after-move): moved-from state is specified
  EXPECT_EQ(b.get(), raw);
  Database c;
  c = std::move(b);
  EXPECT_EQ(c.get(), raw);
  c.close();
  c.close();  // idempotent
  EXPECT_FALSE(c.is_open());
  EXPECT_THROW(c.exec("SELECT 1", "after close"), StoreError);
  EXPECT_THROW(Statement(c, "SELECT 1"), StoreError);
}

TEST(SqliteStatement, TextRoundTripsByteForByte) {
  Database db(":memory:");
  // TeX, CJK (seed digest 000_28e39854bc5d5fd6.txt), an embedded NUL and a lone invalid byte.
  const std::string texts[] = {
      R"($10.1\% \rightarrow 20.0\%$)",
      "打破求解器瓶颈:可学习前沿的训练任务生成器",
      std::string("a\0b", 3),
      std::string("\xff\xfe", 2),
      "",
  };
  Statement echo(db, "SELECT ?1, length(CAST(?1 AS BLOB)), ?1 IS NULL");
  for (const std::string& text : texts) {
    StatementScope scope(echo);
    echo.bind(1, text);
    ASSERT_TRUE(echo.step());
    EXPECT_EQ(echo.column_text(0), text);
    EXPECT_EQ(echo.column_int64(1), static_cast<std::int64_t>(text.size()));
    EXPECT_EQ(echo.column_int64(2), 0) << "empty text must not become NULL";
    EXPECT_FALSE(echo.step());
  }
}

TEST(SqliteStatement, IntegersOptionalsAndNull) {
  Database db(":memory:");
  Statement echo(db, "SELECT ?1, ?2, ?3, ?4, ?5");
  echo.bind_all(std::numeric_limits<std::int64_t>::min(), std::size_t{42},
                std::optional<std::int64_t>{}, std::optional<int>{7}, nullptr);
  ASSERT_TRUE(echo.step());
  EXPECT_EQ(echo.column_count(), 5);
  EXPECT_EQ(echo.column_int64(0), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(echo.column_int64(1), 42);
  EXPECT_TRUE(echo.column_is_null(2));
  EXPECT_EQ(echo.column_optional_int64(2), std::nullopt);
  EXPECT_EQ(echo.column_optional_int64(3), std::optional<std::int64_t>{7});
  EXPECT_TRUE(echo.column_is_null(4));
  EXPECT_EQ(echo.column_text(4), "");
}

TEST(SqliteStatement, UnsignedThatDoesNotFitIsRejected) {
  Database db(":memory:");
  Statement echo(db, "SELECT ?1");
  try {
    echo.bind(1, std::numeric_limits<std::uint64_t>::max());
    FAIL() << "bound 2^64-1 as int64";
  } catch (const sqlite::SqliteError& e) {
    EXPECT_EQ(e.code(), SQLITE_RANGE);
  }
}

TEST(SqliteStatement, PrepareErrorQuotesTheSql) {
  Database db(":memory:");
  try {
    Statement bad(db, "SELECT * FROM no_such_table");
    FAIL() << "prepared a query on a missing table";
  } catch (const sqlite::SqliteError& e) {
    EXPECT_EQ(e.code(), SQLITE_ERROR);
    const std::string what = e.what();
    EXPECT_NE(what.find("SELECT * FROM no_such_table"), std::string::npos) << what;
    EXPECT_NE(what.find("no such table: no_such_table"), std::string::npos) << what;
  }
}

TEST(SqliteStatement, RejectsMoreThanOneStatement) {
  Database db(":memory:");
  EXPECT_THROW(Statement(db, "SELECT 1; SELECT 2"), StoreError);
  EXPECT_NO_THROW(Statement(db, "SELECT 1;  \n"));
}

TEST(SqliteStatement, StepErrorCarriesConstraintCode) {
  Database db(":memory:");
  db.exec("CREATE TABLE t (a INTEGER NOT NULL CHECK (a > 0))", "creating t");
  Statement insert(db, "INSERT INTO t VALUES (?1)");
  insert.bind(1, 0);
  try {
    insert.run();
    FAIL() << "CHECK (a > 0) accepted 0";
  } catch (const sqlite::SqliteError& e) {
    EXPECT_EQ(e.code(), SQLITE_CONSTRAINT_CHECK);  // extended result codes are on
    EXPECT_NE(std::string(e.what()).find("CHECK constraint failed"), std::string::npos);
  }
}

TEST(SqliteStatementScope, ResetsAndClearsBindings) {
  Database db(":memory:");
  Statement echo(db, "SELECT ?1");
  {
    StatementScope scope(echo);
    echo.bind(1, "first");
    ASSERT_TRUE(echo.step());
    EXPECT_EQ(echo.column_text(0), "first");
    // Left mid-result on purpose: the scope must reset it.
  }
  ASSERT_TRUE(echo.step()) << "statement was not reset";
  EXPECT_TRUE(echo.column_is_null(0)) << "binding survived the scope";
}

TEST(SqliteStatementScope, ResetsWhenLeftByException) {
  Database db(":memory:");
  db.exec("CREATE TABLE t (a INTEGER PRIMARY KEY)", "creating t");
  Statement insert(db, "INSERT INTO t VALUES (?1)");
  try {
    StatementScope scope(insert);
    insert.bind(1, 1);
    insert.run();
    throw std::runtime_error("leave the scope");
  } catch (const std::runtime_error&) {
  }
  // Cleared bindings: a NULL into an INTEGER PRIMARY KEY allocates a fresh rowid (2).
  insert.run();
  EXPECT_EQ(count_rows(db, "SELECT max(a) FROM t"), 2);
}

TEST(SqliteTransaction, RollsBackUnlessCommitted) {
  Database db(":memory:");
  db.exec("CREATE TABLE t (a INTEGER)", "creating t");
  {
    Transaction transaction(db);
    db.exec("INSERT INTO t VALUES (1)", "inserting");
    EXPECT_FALSE(db.autocommit());
  }
  EXPECT_TRUE(db.autocommit());
  EXPECT_EQ(count_rows(db, "SELECT count(*) FROM t"), 0);
  {
    Transaction transaction(db);
    db.exec("INSERT INTO t VALUES (2)", "inserting");
    transaction.commit();
  }
  EXPECT_EQ(count_rows(db, "SELECT count(*) FROM t"), 1);
}

TEST(SqliteTransaction, RollsBackWhenAnExceptionLeavesTheScope) {
  Database db(":memory:");
  db.exec("CREATE TABLE t (a INTEGER CHECK (a > 0))", "creating t");
  EXPECT_THROW(
      {
        Transaction transaction(db);
        db.exec("INSERT INTO t VALUES (1)", "inserting 1");
        db.exec("INSERT INTO t VALUES (-1)", "inserting -1");  // throws
        transaction.commit();
      },
      StoreError);
  EXPECT_TRUE(db.autocommit());
  EXPECT_EQ(count_rows(db, "SELECT count(*) FROM t"), 0);
}

TEST(SqliteTransaction, FailedCommitIsRolledBack) {
  Database db(":memory:");
  db.exec(
      "PRAGMA foreign_keys = ON;"
      "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
      "CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) "
      "DEFERRABLE INITIALLY DEFERRED)",
      "creating tables");
  {
    Transaction transaction(db);
    db.exec("INSERT INTO child VALUES (99)", "inserting an orphan");
    try {
      transaction.commit();
      FAIL() << "deferred foreign key violation committed";
    } catch (const sqlite::SqliteError& e) {
      EXPECT_EQ(e.code(), SQLITE_CONSTRAINT_FOREIGNKEY);
    }
  }
  EXPECT_TRUE(db.autocommit());
  EXPECT_EQ(count_rows(db, "SELECT count(*) FROM child"), 0);
}

TEST(SqliteTransaction, NestedBeginThrows) {
  Database db(":memory:");
  Transaction outer(db);
  EXPECT_THROW(Transaction inner(db), StoreError);
  EXPECT_FALSE(db.autocommit()) << "failed inner BEGIN must not end the outer transaction";
}

}  // namespace
}  // namespace arxiv_digest::sqlite
