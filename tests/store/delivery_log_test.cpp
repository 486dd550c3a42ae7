// Tests of the delivery log (Archive::record_delivery / find_delivery / deliveries_for) in
// SqliteArchive, including the 2 -> 3 migration of an archive written by the previous schema.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "core/error.hpp"
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

using arxiv_digest::testing::TempDir;
using std::chrono::sys_days;

constexpr Date kDay{std::chrono::year{2026}, std::chrono::June, std::chrono::day{18}};
constexpr Date kNextDay{std::chrono::year{2026}, std::chrono::June, std::chrono::day{19}};

DeliveryRecord sent(std::string audience, std::string channel) {
  DeliveryRecord r;
  r.listing_date = kDay;
  r.audience = std::move(audience);
  r.channel = std::move(channel);
  r.status = DeliveryStatus::kSent;
  r.attempts = 1;
  r.digest_sha256 = std::string(64, 'a');
  r.paper_count = 30;
  r.detail = "ana@example.org";
  r.at = sys_days{kDay} + std::chrono::hours{1};
  return r;
}

TEST(DeliveryLog, RecordsFindsAndListsPerAudienceAndChannel) {
  TempDir dir;
  SqliteArchive archive(dir / "a.sqlite");
  EXPECT_FALSE(archive.find_delivery(kDay, "", "email:ana@example.org"));
  archive.record_delivery(sent("", "email:ana@example.org"));
  archive.record_delivery(sent("lab", "webhook:lab-feishu"));
  DeliveryRecord other_day = sent("", "email:ana@example.org");
  other_day.listing_date = kNextDay;
  archive.record_delivery(other_day);

  const auto found = archive.find_delivery(kDay, "", "email:ana@example.org");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->status, DeliveryStatus::kSent);
  EXPECT_EQ(found->paper_count, 30u);
  EXPECT_EQ(found->detail, "ana@example.org");
  EXPECT_EQ(found->at, sys_days{kDay} + std::chrono::hours{1});
  // Audience is part of the key: the same channel for another subscriber is another delivery.
  EXPECT_FALSE(archive.find_delivery(kDay, "lab", "email:ana@example.org"));

  const auto day = archive.deliveries_for(kDay);
  ASSERT_EQ(day.size(), 2u);
  EXPECT_EQ(day[0].audience, "");
  EXPECT_EQ(day[1].channel, "webhook:lab-feishu");
  EXPECT_EQ(archive.deliveries_for(kNextDay).size(), 1u);
}

TEST(DeliveryLog, ALaterAttemptReplacesTheRowAndSurvivesReopening) {
  TempDir dir;
  const auto path = dir / "a.sqlite";
  {
    SqliteArchive archive(path);
    DeliveryRecord failed = sent("", "webhook:lab");
    failed.status = DeliveryStatus::kFailed;
    failed.detail = "HTTP 500 from the service";
    archive.record_delivery(failed);
    DeliveryRecord retried = sent("", "webhook:lab");
    retried.attempts = 2;
    archive.record_delivery(retried);
  }
  SqliteArchive archive(path);
  const auto row = archive.find_delivery(kDay, "", "webhook:lab");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->status, DeliveryStatus::kSent);
  EXPECT_EQ(row->attempts, 2);
  EXPECT_EQ(archive.deliveries_for(kDay).size(), 1u);
}

TEST(DeliveryLog, InvalidRecordsAreRejectedAndStoreNothing) {
  TempDir dir;
  SqliteArchive archive(dir / "a.sqlite");
  DeliveryRecord no_channel = sent("", "");
  EXPECT_THROW(archive.record_delivery(no_channel), StoreError);
  DeliveryRecord no_attempt = sent("", "email:x@example.org");
  no_attempt.attempts = 0;
  try {
    archive.record_delivery(no_attempt);
    FAIL() << "stored a delivery with 0 attempts";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.kind(), StoreErrorKind::kRejected);
    EXPECT_NE(std::string(e.what()).find("email:x@example.org"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(archive.deliveries_for(kDay).empty());
}

TEST(DeliveryLog, ASchemaTwoArchiveIsMigratedAndKeepsItsDigests) {
  TempDir dir;
  const auto path = dir / "a.sqlite";
  {
    SqliteArchive archive(path);
    DigestRecord digest{kDay, "text", "/out/2026-06-18.txt", std::string(64, 'b'), 30,
                        sys_days{kDay}};
    archive.record_digest(digest);
  }
  {  // Back to what schema 2 wrote.
    sqlite::Database db(path.string());
    db.exec(testing::kBackToSchemaFive, "downgrade from schema 6");
    db.exec("DROP TABLE harvests; PRAGMA user_version = 4;", "downgrade from schema 5");
    db.exec(kDropSchemaFour, "downgrade from schema 4");
    db.exec("DROP TABLE deliveries; PRAGMA user_version = 2;", "downgrade");
  }
  SqliteArchive archive(path);
  EXPECT_EQ(archive.digests_for(kDay).size(), 1u);
  archive.record_delivery(sent("", "email:ana@example.org"));
  EXPECT_TRUE(archive.find_delivery(kDay, "", "email:ana@example.org"));
  sqlite::Database db(path.string());
  sqlite::Statement version(db, "PRAGMA user_version");
  ASSERT_TRUE(version.step());
  EXPECT_EQ(version.column_int64(0), SqliteArchive::kSchemaVersion);
}

}  // namespace
}  // namespace arxiv_digest
