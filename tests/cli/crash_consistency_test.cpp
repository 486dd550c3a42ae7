// Crash consistency (issue 12, "Done when" 1): the real binary runs the sample day (real arXiv
// records served on 127.0.0.1) with translation (the fake backend speaking the OpenAI protocol,
// real Chinese answers), every file format, e-mail to a real SMTP server (OpenSMTPD) and three
// webhooks, and is killed with SIGKILL at a random place of a random stage: fetch, archive,
// translate, render, publish, deliver. After each kill, and after the normal run that follows:
//   - the archive passes PRAGMA integrity_check;
//   - every digest file is absent or whole (byte-identical to an uninterrupted run), and after the
//     normal run the output folder equals the uninterrupted run's exactly, with no temporary file;
//   - no text is translated twice, except the answers in flight when the kill hit the translate
//     stage (at most `concurrency`: the backend answered, the process died before the cache row);
//   - every reader has exactly one distinct Message-ID for the day, and every webhook message
//     arrived once, except the channel whose send had returned and whose log row was not written
//     yet (the at-least-once window of pipeline/delivery.hpp): that channel's messages arrive
//     twice, the e-mail with the same Message-ID and the generic webhook with the same
//     X-Arxiv-Digest-Delivery key, so a receiver can drop the repeat.
//
// The places are the library's crash points (core/crash_point.hpp), armed through
// ARXIV_DIGEST_CRASH_AT=<stage>:<n>. A first run with ARXIV_DIGEST_CRASH_AT=count learns how many
// places each stage passes; each trial takes the stages in turn and n uniformly in [1, count], from
// a seed printed at the start (ARXIV_DIGEST_CRASH_SEED=<seed> replays a failure;
// ARXIV_DIGEST_CRASH_TRIALS=<n> changes the number of trials). A few more trials kill the run at
// an instant drawn uniformly within the uninterrupted run's duration (coreutils timeout -s KILL),
// wherever it then is (ARXIV_DIGEST_CRASH_INSTANTS=<n> of them).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "store/sqlite_archive.hpp"
#include "support/fixture_server.hpp"
#include "support/process.hpp"
#include "support/sample_day.hpp"
#include "support/smtp_server.hpp"
#include "support/test_support.hpp"
#include "support/translation_server.hpp"
#include "support/webhook_server.hpp"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::WebhookService;

constexpr const char* kSecret = "whsec-crash-81d2";
constexpr const char* kKey = "sk-crash-test-5b7e";
constexpr std::size_t kConcurrency = 4;
const std::vector<std::string> kStages = {"fetch",  "archive", "translate",
                                          "render", "publish", "deliver"};

#ifdef ARXIV_DIGEST_SANITIZED
constexpr std::size_t kDefaultTrials = 6;
constexpr std::size_t kDefaultInstants = 1;  // ASan + UBSan: each run is several times slower
#else
constexpr std::size_t kDefaultTrials = 36;
constexpr std::size_t kDefaultInstants = 6;
#endif

std::size_t env_number(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? static_cast<std::size_t>(std::stoull(v)) : fallback;
}

// PRAGMA integrity_check through the sqlite3 C API, read-write so that a WAL left by the kill is
// recovered the way the next run would.
std::string integrity_check(const fs::path& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return "cannot open: " + message;
  }
  std::string result;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr) == SQLITE_OK) {
    while (sqlite3_step(statement) == SQLITE_ROW) {
      if (!result.empty()) result += "; ";
      result += reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    }
  } else {
    result = std::string("cannot check: ") + sqlite3_errmsg(db);
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return result;
}

// Every regular file under `dir`, by relative path.
std::map<std::string, std::string> files_under(const fs::path& dir) {
  std::map<std::string, std::string> files;
  if (!fs::exists(dir)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file())
      files[fs::relative(entry.path(), dir).string()] = testing::read_file(entry.path());
  return files;
}

bool is_temporary(const std::string& relative) {
  return fs::path(relative).filename().string().find(".tmp-") != std::string::npos;
}

std::vector<std::string> message_ids(const std::vector<std::string>& mails) {
  std::vector<std::string> ids;
  static const std::regex kId("\r?\nMessage-ID: *(<[^>\r\n]*>)", std::regex::icase);
  for (const std::string& m : mails) {
    std::smatch match;
    ids.push_back(std::regex_search(m, match, kId) ? match[1].str() : "(none)");
  }
  return ids;
}

class CrashConsistencyTest : public ::testing::Test {
 protected:
  CrashConsistencyTest() : webhooks_(webhook_options()) {
    feeds_.mount("/rss/", testing::kSampleDay / "rss",
                 {"application/rss+xml; charset=utf-8", true, true});
    if (!testing::SmtpServer::unavailable_reason()) smtp_.emplace();
  }

  static testing::WebhookServerOptions webhook_options() {
    testing::WebhookServerOptions o;
    o.secret = kSecret;
    return o;
  }

  std::string webhook(const std::string& name, const std::string& kind, WebhookService service,
                      const std::string& extra = "") const {
    return "[[webhooks]]\nname = \"" + name + "\"\nkind = \"" + kind + "\"\nurl = \"" +
           webhooks_.url(service) + "\"\nmin_interval_s = 0\n" + extra;
  }

  // The trial's reader: a mailbox of its own, so each trial's mail is counted apart. One reader:
  // OpenSMTPD takes about half a second per message on a loaded machine, and a second recipient
  // is the same code path again (each recipient is a channel of its own).
  static std::vector<std::string> readers(const std::string& trial) {
    return {"ana." + trial + "@example.org"};
  }

  fs::path write_config(const fs::path& dir, const std::string& trial) const {
    std::string email;
    if (smtp_) {
      const auto to = readers(trial);
      email = "[email]\nsmtp_url = \"" + smtp_->url() +
              "\"\nfrom = \"arXiv digest <digest@example.org>\"\nstarttls = false\nto = [\"" +
              to[0] + "\"]\n";
    }
    const fs::path path = dir / "config.toml";
    std::ofstream(path) << "[arxiv]\n"
                        << "categories = [\"cs.AI\", \"cs.CL\", \"cs.CV\", \"cs.LG\", \"cs.RO\"]\n"
                        << "rss_url = \"" << feeds_.url("/rss/") << "\"\n"
                        << "contact = \"digest-test@example.org\"\n"
                        << "[[topics]]\nname = \"reinforcement learning\"\n"
                        << "[[topics]]\nname = \"diffusion policy\"\n"
                        << "[output]\ndir = \"out\"\n"
                        << "[store]\npath = \"archive.sqlite\"\n"
                        << "[translate]\nprovider = \"openai\"\nbase_url = \"" << backend_.base_url()
                        << "/v1\"\nmodel = \"deepseek-chat\"\napi_key_env = \"CRASH_TRANSLATE_KEY\"\n"
                        << "concurrency = " << kConcurrency << "\n"
                        << email
                        << webhook("archive-hook", "generic", WebhookService::kGeneric,
                                   "secret_env = \"CRASH_WH_SECRET\"\n")
                        << webhook("lab-slack", "slack", WebhookService::kSlack)
                        << webhook("lab-discord", "discord", WebhookService::kDiscord);
    return path;
  }

  // `kill_after`: SIGKILL at that instant from the start (coreutils timeout), wherever it is.
  ProcessResult run(const fs::path& dir, const std::string& trial,
                    std::optional<std::string> crash_at,
                    std::optional<std::chrono::milliseconds> kill_after = std::nullopt) const {
    std::vector<std::string> args = {"run",      "--config",
                                     write_config(dir, trial).string(),
                                     "--date",   "2026-06-18",
                                     "--format", "text,markdown,json,html,atom"};
    const std::map<std::string, std::optional<std::string>> env = {
        {"XDG_CACHE_HOME", (dir / "cache").string()},
        {"XDG_CONFIG_HOME", (dir / "config-home").string()},
        {"XDG_DATA_HOME", (dir / "data-home").string()},
        {"SOURCE_DATE_EPOCH", testing::kSeedEpoch},
        {"CRASH_TRANSLATE_KEY", kKey},
        {"CRASH_WH_SECRET", kSecret},
        {"ARXIV_DIGEST_CRASH_AT", crash_at},
    };
    if (!kill_after) return testing::run_process(ARXIV_DIGEST_BINARY, args, env, dir);
    args.insert(args.begin(), {"-s", "KILL", std::to_string(static_cast<double>(kill_after->count()) / 1000.0)});
    args.insert(args.begin() + 3, ARXIV_DIGEST_BINARY);
    return testing::run_process("/usr/bin/timeout", args, env, dir);
  }

  testing::FixtureServer feeds_;
  testing::TranslationServer backend_;
  testing::WebhookServer webhooks_;
  std::optional<testing::SmtpServer> smtp_;
};

std::map<WebhookService, std::size_t> per_service(const std::vector<testing::ReceivedWebhook>& got) {
  std::map<WebhookService, std::size_t> counts;
  for (const auto& r : got) ++counts[r.service];
  return counts;
}

TEST_F(CrashConsistencyTest, KilledAnywhereTheNextRunFinishesTheDayWithNothingLostOrDoubled) {
  const auto started = std::chrono::steady_clock::now();
  const std::size_t trials = env_number("ARXIV_DIGEST_CRASH_TRIALS", kDefaultTrials);
  const auto seed = static_cast<std::uint64_t>(env_number(
      "ARXIV_DIGEST_CRASH_SEED",
      static_cast<std::size_t>(std::chrono::system_clock::now().time_since_epoch().count())));
  std::cout << "[crash] seed " << seed << " (ARXIV_DIGEST_CRASH_SEED=" << seed
            << " replays it), " << trials << " trials at crash points"
            << (smtp_ ? "" : "; no SMTP server here, e-mail not checked") << std::endl;

  // The uninterrupted run: the reference files, the places per stage, the channels in order.
  testing::TempDir reference_dir;
  const auto reference_started = std::chrono::steady_clock::now();
  const ProcessResult reference = run(reference_dir.path(), "reference", "count");
  const auto reference_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - reference_started);
  ASSERT_EQ(reference.exit_code, kExitOk) << reference.err;
  const auto reference_files = files_under(reference_dir / "out");
  ASSERT_TRUE(reference_files.count("2026-06-18.html")) << reference.err;
  ASSERT_TRUE(reference_files.count("2026-06-18.atom"));
  std::map<std::string, std::size_t> places;
  {
    std::smatch m;
    static const std::regex kCounts(
        "crash points: fetch=(\\d+) archive=(\\d+) translate=(\\d+) render=(\\d+) "
        "publish=(\\d+) deliver=(\\d+)");
    ASSERT_TRUE(std::regex_search(reference.err, m, kCounts)) << reference.err;
    for (std::size_t i = 0; i < kStages.size(); ++i) places[kStages[i]] = std::stoul(m[i + 1]);
  }
  EXPECT_EQ(places["translate"], 120u);  // 60 texts, before and after each cache row
  EXPECT_EQ(backend_.request_count(), 60u);
  std::vector<std::string> channels;  // in the order the run delivers them
  {
    static const std::regex kSent("arxiv-digest: ((?:email|webhook):[^ :]+): sent");
    for (auto it = std::sregex_iterator(reference.err.begin(), reference.err.end(), kSent);
         it != std::sregex_iterator(); ++it)
      channels.push_back((*it)[1].str());
  }
  ASSERT_EQ(channels.size(), smtp_ ? 4u : 3u) << reference.err;
  ASSERT_EQ(places["deliver"], 2 * channels.size());
  const auto reference_hooks = per_service(webhooks_.accepted());
  ASSERT_EQ(reference_hooks.size(), 3u);
  std::cout << "[crash] places per stage:";
  for (const auto& stage : kStages) std::cout << ' ' << stage << '=' << places[stage];
  std::cout << std::endl;

  std::mt19937_64 random(seed);
  std::map<std::string, std::size_t> kills;  // per stage
  std::size_t cache_window_kills = 0, repaid_texts = 0, log_window_kills = 0;
  std::size_t duplicate_mails = 0, duplicate_webhooks = 0, stale_temporaries = 0;
  std::size_t partial_outputs = 0;
  struct MailCheck {
    std::string reader;
    std::size_t copies;  // 2 when killed between its send and its log row; 0: 1 or 2 (instant)
    std::string trial;
  };
  std::vector<MailCheck> mail_checks;

  // Then a few kills at an instant, wherever the run is then (inside a system call, a write, a
  // request): the at-least-once channel is not known beforehand there, so at most one channel
  // may arrive twice and the translations in flight may be paid again.
  const std::size_t instants = env_number("ARXIV_DIGEST_CRASH_INSTANTS", kDefaultInstants);
  std::size_t finished_first = 0;
  for (std::size_t t = 0; t < trials + instants; ++t) {
    const bool timed = t >= trials;
    const std::string stage = timed ? std::string("instant") : kStages[t % kStages.size()];
    const std::size_t n =
        timed ? std::uniform_int_distribution<std::size_t>(0, static_cast<std::size_t>(
                                                                   reference_ms.count()))(random)
              : std::uniform_int_distribution<std::size_t>(1, places[stage])(random);
    const std::string trial = "t" + std::to_string(t);
    const std::string what =
        "trial " + std::to_string(t) + ": " +
        (timed ? "SIGKILL after " + std::to_string(n) + " ms"
               : "ARXIV_DIGEST_CRASH_AT=" + stage + ":" + std::to_string(n)) +
        " (seed " + std::to_string(seed) + ")";
    SCOPED_TRACE(what);
    backend_.clear_records();
    webhooks_.clear_records();
    testing::TempDir dir;

    const ProcessResult killed =
        timed ? run(dir.path(), trial, std::nullopt, std::chrono::milliseconds(n))
              : run(dir.path(), trial, stage + ":" + std::to_string(n));
    if (timed) {
      // timeout(1) signals its process group, itself included: -1 (or 124) when it killed.
      ASSERT_TRUE(killed.exit_code == -1 || killed.exit_code == 124 || killed.exit_code == kExitOk)
          << killed.exit_code << killed.err;
      if (killed.exit_code == kExitOk) ++finished_first;
    } else {
      ASSERT_EQ(killed.exit_code, -1) << "not killed: " << killed.err;
    }
    ++kills[stage];
    if (fs::exists(dir / "archive.sqlite")) {
      EXPECT_EQ(integrity_check(dir / "archive.sqlite"), "ok");
    } else {
      ASSERT_TRUE(timed) << "no archive";  // an instant before it was created
    }
    // No half file: what is there under a final name is the whole file.
    std::size_t whole = 0;
    for (const auto& [name, bytes] : files_under(dir / "out")) {
      if (is_temporary(name)) {
        ++stale_temporaries;
        continue;
      }
      const auto ref = reference_files.find(name);
      ASSERT_NE(ref, reference_files.end()) << name;
      EXPECT_EQ(bytes, ref->second) << name << " is not the whole file after the kill";
      ++whole;
    }
    if (whole > 0 && whole < reference_files.size()) ++partial_outputs;

    const ProcessResult next = run(dir.path(), trial, std::nullopt);
    ASSERT_EQ(next.exit_code, kExitOk) << next.err;
    EXPECT_EQ(integrity_check(dir / "archive.sqlite"), "ok");
    const auto after_run = files_under(dir / "out");
    for (const auto& [name, bytes] : after_run) EXPECT_FALSE(is_temporary(name)) << name;
    EXPECT_EQ(after_run.size(), reference_files.size());
    for (const auto& [name, bytes] : reference_files) {
      const auto got = after_run.find(name);
      ASSERT_NE(got, after_run.end()) << name << " missing after the next run";
      EXPECT_EQ(got->second, bytes) << name << " differs from the uninterrupted run's";
    }

    // Translations: each text once, but for the answers in flight at a kill in the translate
    // stage (the kill's own answer when it hit before the cache row, plus the other workers').
    const auto counts = backend_.text_counts();
    EXPECT_EQ(counts.size(), 60u);
    std::size_t repaid = 0;
    for (const auto& [text, count] : counts) {
      EXPECT_LE(count, 2u);
      repaid += count - 1;
    }
    if (timed) {
      EXPECT_LE(repaid, kConcurrency);
      repaid_texts += repaid;
    } else if (stage == "translate") {
      EXPECT_LE(repaid, kConcurrency);
      if (n % 2 == 1) {
        ++cache_window_kills;
        EXPECT_GE(repaid, 1u);  // the answer the kill came between it and its row
      }
      repaid_texts += repaid;
    } else {
      EXPECT_EQ(repaid, 0u) << "a translation paid twice after a kill in " << stage;
    }

    // Deliveries: the log has every channel sent; each channel delivered once, but the one
    // killed after its send and before its row (deliver, even n), which delivered twice.
    std::optional<std::string> doubled;
    if (stage == "deliver" && n % 2 == 0) {
      doubled = channels[n / 2 - 1];
      // The reference run's reader is the trial's (each trial has a mailbox of its own).
      if (const auto at = doubled->find(".reference@"); at != std::string::npos)
        doubled->replace(at, std::string(".reference@").size(), "." + trial + "@");
      ++log_window_kills;
    }
    {
      SqliteArchive archive(dir / "archive.sqlite");
      const auto rows = archive.deliveries_for(*parse_date("2026-06-18"));
      EXPECT_EQ(rows.size(), channels.size());
      for (const auto& row : rows)
        EXPECT_EQ(row.status, DeliveryStatus::kSent) << row.channel << ": " << row.detail;
    }
    const auto got = webhooks_.received();
    for (const auto& r : got) EXPECT_TRUE(r.accepted) << r.rejection;
    const std::map<WebhookService, std::string> hook_channel = {
        {WebhookService::kGeneric, "webhook:archive-hook"},
        {WebhookService::kSlack, "webhook:lab-slack"},
        {WebhookService::kDiscord, "webhook:lab-discord"}};
    const auto got_counts = per_service(got);
    for (const auto& [service, channel] : hook_channel) {
      const std::size_t once = reference_hooks.at(service);
      // At an instant: the channel that arrived twice, if any, is the one killed in flight.
      if (timed && got_counts.count(service) && got_counts.at(service) == 2 * once) {
        EXPECT_FALSE(doubled) << "two channels delivered twice: " << *doubled << ", " << channel;
        doubled = channel;
      }
      const std::size_t expected = doubled == channel ? 2 * once : once;
      EXPECT_EQ(got_counts.count(service) ? got_counts.at(service) : 0u, expected) << channel;
      if (doubled == channel) duplicate_webhooks += once;
    }
    std::map<std::string, std::size_t> keys;
    for (const auto& r : got)
      if (r.service == WebhookService::kGeneric) {
        EXPECT_EQ(r.delivery_header.size(), 32u);
        ++keys[r.delivery_header];
      }
    for (const auto& [key, count] : keys)
      EXPECT_EQ(count, doubled == "webhook:archive-hook" ? 2u : 1u) << key;
    if (smtp_)
      for (const std::string& reader : readers(trial))
        mail_checks.push_back(
            {reader, doubled == "email:" + reader ? 2u : (timed && !doubled ? 0u : 1u), what});
  }

  // E-mail is handed to the mailbox asynchronously: checked once for every trial at the end.
  for (const MailCheck& check : mail_checks) {
    SCOPED_TRACE(check.trial);
    const auto mail = smtp_->wait_for_mail(check.reader, std::max<std::size_t>(check.copies, 1));
    if (check.copies == 0) {
      EXPECT_GE(mail.size(), 1u) << check.reader;
      EXPECT_LE(mail.size(), 2u) << check.reader;
    } else {
      EXPECT_EQ(mail.size(), check.copies) << check.reader;
    }
    const auto ids = message_ids(mail);
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 1u) << check.reader;
    for (const auto& id : ids)
      EXPECT_EQ(id.rfind("<arxiv-digest.2026-06-18.", 0), 0u) << id;
    duplicate_mails += mail.empty() ? 0 : mail.size() - 1;
  }
  if (!mail_checks.empty() && mail_checks.back().copies > 0) {  // a late duplicate shows here
    EXPECT_EQ(smtp_->mail_for(mail_checks.back().reader).size(), mail_checks.back().copies);
  }

  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "[crash] " << trials + instants << " trials (a kill, then a normal run), in " << seconds
            << " s; kills per stage:";
  for (const auto& stage : kStages) std::cout << ' ' << stage << '=' << kills[stage];
  std::cout << "; at a random instant " << kills["instant"] << " (" << finished_first
            << " of them finished before the kill)";
  std::cout << "\n[crash] translate: " << cache_window_kills
            << " kill(s) between an answer and its cache row, " << repaid_texts
            << " text(s) requested again in all (bound: " << kConcurrency
            << " per kill, the answers in flight)\n[crash] deliver: " << log_window_kills
            << " kill(s) between a send and its log row: " << duplicate_mails
            << " e-mail(s) again with the same Message-ID, " << duplicate_webhooks
            << " webhook message(s) again (the generic one with the same "
               "X-Arxiv-Digest-Delivery key); every other channel exactly once\n[crash] files: "
            << partial_outputs << " kill(s) left some digest files renamed and others not yet, "
            << stale_temporaries
            << " temporary file(s) left by kills, all removed by the next run" << std::endl;
}

}  // namespace
}  // namespace arxiv_digest
