#include "core/translation_cache.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "core/env.hpp"
#include "core/error.hpp"
#include "core/hash.hpp"
#include "store/sqlite.hpp"
#include "store/schema_downgrade.hpp"
#include "store/sqlite_archive.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

// What schema 4 (search indexes) added, removed to get back to an older schema.
constexpr const char* kDropSchemaFour =
    "DROP TRIGGER translations_fts_insert; DROP TRIGGER translations_fts_delete; "
    "DROP TRIGGER translations_fts_update; DROP TABLE translations_fts; DROP TABLE papers_fts; "
    "DROP INDEX papers_by_title_sha256; DROP INDEX papers_by_abstract_sha256; "
    "ALTER TABLE papers DROP COLUMN title_sha256; ALTER TABLE papers DROP COLUMN abstract_sha256;";

using testing::TempDir;

TranslationKey key(std::string field = "abstract") {
  return {sha256_hex("The limiting resource for training agents"),
          std::move(field),
          "zh-CN",
          "openai",
          "deepseek-chat",
          "translate-v1"};
}

TEST(SqliteTranslationCache, StoresAndFindsByTheWholeKeyDurably) {
  TempDir dir;
  const auto path = dir / "archive.sqlite";
  {
    FakeEnv env(std::chrono::sys_seconds{std::chrono::seconds{1781783578}});
    SqliteArchiveOptions options;
    options.env = &env;
    SqliteArchive archive(path, options);
    TranslationCache& cache = archive.translations();
    EXPECT_FALSE(cache.find(key()).has_value());
    cache.store(key(), "通过强化学习训练代理的限制资源 $R^2=0.24$", {120, 80, 0});
    EXPECT_EQ(cache.find(key()), "通过强化学习训练代理的限制资源 $R^2=0.24$");
    // Every key part matters.
    TranslationKey other = key();
    for (std::string TranslationKey::*part :
         {&TranslationKey::field, &TranslationKey::target, &TranslationKey::backend,
          &TranslationKey::model, &TranslationKey::prompt_version}) {
      TranslationKey changed = key();
      changed.*part += "x";
      EXPECT_FALSE(cache.find(changed).has_value());
    }
    cache.store(key(), "新的译文", {});
    EXPECT_EQ(cache.find(key()), "新的译文");
    // A new connection sees it while this one is still open: it was committed by store().
    SqliteArchive second(path);
    EXPECT_EQ(second.translations().find(key()), "新的译文");
  }
  sqlite::Database db(path.string());
  sqlite::Statement row(db, "SELECT count(*), prompt_tokens, created_at FROM translations");
  ASSERT_TRUE(row.step());
  EXPECT_EQ(row.column_int64(0), 1);
  EXPECT_EQ(row.column_int64(1), 0);
  EXPECT_EQ(row.column_int64(2), 1781783578);
}

TEST(SqliteTranslationCache, AVersionOneArchiveIsMigratedWithItsDataKept) {
  TempDir dir;
  const auto path = dir / "archive.sqlite";
  {
    SqliteArchive archive(path);
    DigestRecord record{Date{std::chrono::year{2026} / 6 / 18},
                        "text",
                        "/tmp/x.txt",
                        std::string(64, 'a'),
                        3,
                        std::chrono::sys_seconds{}};
    archive.record_digest(record);
  }
  {
    // Turn it back into a version 1 archive.
    sqlite::Database db(path.string());
    db.exec(testing::kBackToSchemaFive, "downgrade from schema 6");
    db.exec("DROP TABLE harvests; PRAGMA user_version = 4;", "downgrade from schema 5");
    db.exec(kDropSchemaFour, "downgrade from schema 4");
    db.exec("DROP TABLE deliveries; DROP TABLE translations; PRAGMA user_version = 1;",
            "downgrade");
  }
  SqliteArchive archive(path);
  TranslationCache& cache = archive.translations();
  cache.store(key("title"), "打破求解器瓶颈", {});
  EXPECT_EQ(cache.find(key("title")), "打破求解器瓶颈");
  EXPECT_EQ(archive.digests_for(Date{std::chrono::year{2026} / 6 / 18}).size(), 1u);
  sqlite::Database db(path.string());
  sqlite::Statement version(db, "PRAGMA user_version");
  ASSERT_TRUE(version.step());
  EXPECT_EQ(version.column_int64(0), SqliteArchive::kSchemaVersion);
}

TEST(SqliteTranslationCache, AnInMemoryArchiveHasACacheForTheRun) {
  SqliteArchive archive(":memory:");
  archive.translations().store(key(), "译文", {});
  EXPECT_EQ(archive.translations().find(key()), "译文");
}

TEST(SqliteTranslationCache, AClosedArchiveRefusesItsCache) {
  SqliteArchive archive(":memory:");
  archive.close();
  try {
    (void)archive.translations();
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_EQ(e.kind(), StoreErrorKind::kClosed);
  }
}

}  // namespace
}  // namespace arxiv_digest
