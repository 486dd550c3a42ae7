// DailyRun: "run listing date D and give me a report". The one composition of the stages that
// `arxiv-digest run`, the daemon and the web UI share:
//
//   check the date (calendar) -> check topic queries and example files (before any request)
//   -> obtain the announcement (archive, else fetch + archive) -> resolve topics by example (the
//   day, the archive, then arXiv) -> select (digest_builder) -> translate the selected papers
//   (cache in the archive) -> render every format once -> publish to every sink.
//
// DailyRun owns none of its services: the caller (the cli, a test, the daemon) builds the HTTP
// stack, the archive, the translator and the sinks and keeps them alive for the run. The library
// never prints: progress, notes and retries go to the RunObserver.
//
// Errors. Failures that stop the run before anything is published throw the typed family of
// core/error.hpp (ConfigError for a bad query or example file, TransportError/HttpStatusError,
// ParseError, IncompleteFetchError, StoreError); the archive is then unchanged (each write is one
// transaction) and no sink has been called. Expected outcomes are values in the RunReport: no
// announcement that day, a date not announced yet, translation failures (marked in the digest), a
// sink that failed (the others still publish).
//
// Thread-safety: one run at a time per DailyRun (the archive is not thread-safe).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "core/env.hpp"
#include "core/topic.hpp"
#include "net/http_client.hpp"
#include "pipeline/delivery.hpp"
#include "pipeline/digest_builder.hpp"
#include "pipeline/sink.hpp"
#include "render/renderer.hpp"
#include "sources/announcement_fetcher.hpp"
#include "store/archive.hpp"
#include "translate/translation_engine.hpp"
#include "translate/translator.hpp"

namespace arxiv_digest {

// Where a run reports what it is doing. Called on the run's thread (translation progress and
// retries: on worker threads, serialised). Default: ignore.
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  // A step done or decided: "fetching the listing of 2026-06-18 ...", "archived 219 papers".
  virtual void note(std::string_view /*line*/) {}
  // A progress line ("request 3/5: <url>", "translating 6/60 (0 failed, ETA 12 s)").
  virtual void progress(std::string_view /*line*/) {}
  // A retry after a transient failure ("retrying <url> in 3.0 s (HTTP 503)").
  virtual void retry(std::string_view /*line*/) {}
};

// What translating costs, to report it. All zero = no cost shown.
struct TranslationPrices {
  double input_per_million = 0;   // per million prompt tokens
  double output_per_million = 0;  // per million completion tokens
  double per_million_characters = 0;
  std::string currency = "USD";
};

// The translation service of a run. `translator` == nullptr: no translation.
struct TranslationService {
  Translator* translator = nullptr;
  EngineOptions engine;  // env, on_progress and on_retry are set by DailyRun
  std::vector<TranslatedField> fields{TranslatedField::kTitle, TranslatedField::kAbstract};
  TranslationPrices prices;
};

// The services a run uses; every pointer and reference must outlive the DailyRun.
struct RunServices {
  Archive* archive = nullptr;  // required
  HttpClient* http = nullptr;  // arXiv requests; nullptr = offline (the archive only)
  Env* env = nullptr;          // default Env::system()
  const AnnouncementCalendar* calendar = nullptr;  // required
  TranslationService translation;
};

// What to fetch, select and render.
struct RunSettings {
  // Source, categories, URLs, timeout, page size. listing_date and on_request are set per run;
  // `keep` is ignored (every announce type is archived; `announce_types` filters).
  FetchOptions fetch;
  std::vector<AnnounceType> announce_types{AnnounceType::kNew, AnnounceType::kCross};
  std::vector<Topic> topics;
  std::string time_zone = "Asia/Shanghai";
  RenderOptions render;
};

struct RunFlags {
  bool refetch = false;     // fetch again even when the archive has the day complete
  bool fetch_only = false;  // stop once the day is archived (no selection, no sinks)
  bool resend = false;      // deliver again through channels the log says were sent
};

// Who receives a digest, and how. One run selects and translates once for all audiences; each
// audience gets the digest restricted to its topics (restrict_digest), rendered once per audience.
struct Audience {
  // The subscriber's name, the delivery log's key; "" for the configuration's own readers.
  std::string name;
  // Names of RunSettings::topics this audience follows; empty = every topic.
  std::vector<std::string> topics;
  // Outputs (files, stdout): published every run, not logged as deliveries.
  std::vector<DigestSink*> sinks;
  // Deliveries (email recipients, webhooks): sent at most once per day (see delivery.hpp).
  std::vector<DigestSink*> channels;
  // When this audience's digest has no paper: false = send it anyway (it says "There is no
  // result" per topic), true = send nothing through the channels (outputs are still written).
  bool silent_when_empty = false;
  // On a listing date without an announcement (weekend, holiday, empty feed): true = send the
  // channels a Notice saying so and when the next listing is; false = send nothing.
  bool notify_no_announcement = false;
};

struct TranslationSummary {
  bool enabled = false;
  std::string backend;  // "openai", "deepl", "libretranslate"
  std::string model;
  std::size_t texts = 0;       // fields asked for (papers x fields)
  std::size_t from_cache = 0;
  std::size_t translated = 0;  // accepted from the backend this run
  std::size_t failed = 0;      // fields that failed (shown as markers)
  std::size_t requests = 0;
  std::size_t retries = 0;
  std::size_t rejected = 0;    // answers rejected by validation
  long long prompt_tokens = 0;
  long long completion_tokens = 0;
  long long characters = 0;
  std::optional<double> cost;  // when prices are configured
  std::string currency;
  // A fatal error stopped translating (the key rejected, quota exhausted); said once.
  std::optional<TranslateErrorKind> stopped_by;
  std::string stop_reason;
};

// One line for the run summary: "translation (openai deepseek-chat): 58 field(s), 40 from the
// cache, 16 translated, 2 failed; 16 request(s), 1 retried, 0 answer(s) rejected; ...".
std::string describe(const TranslationSummary& summary);

struct SinkFailure {
  std::string audience;  // Audience::name
  std::string sink;      // DigestSink::name()
  std::string message;   // what() of the failure; never a secret
  std::exception_ptr error;
};

struct RunReport {
  enum class Outcome {
    kPublished,       // the digest was built and handed to every sink (see failures)
    kNoAnnouncement,  // weekend, holiday or an empty feed: nothing built, nothing published
    kNotYetAnnounced  // the date's listing is announced after now: nothing requested
  };
  Date listing_date{};
  Outcome outcome = Outcome::kPublished;
  std::string reason;  // kNoAnnouncement / kNotYetAnnounced: why, in words

  // Fetching and archiving.
  bool from_archive = false;  // the day came from the archive (no request)
  SourceKind source = SourceKind::kRss;
  std::size_t fetched = 0;  // papers in the announcement (every announce type)
  std::array<std::size_t, 4> fetched_by_type{};  // indexed by AnnounceType
  std::vector<std::string> categories;            // of the announcement
  std::optional<std::size_t> declared;
  // API source: entries the server returned outside the listing's submission window or the
  // configured categories, dropped (not archived).
  std::size_t dropped_outside = 0;

  // Selecting.
  std::size_t announced = 0;  // papers of the kept announce types
  std::size_t matched = 0;    // distinct papers in the digest
  std::size_t topics = 0;

  TranslationSummary translation;

  // Publishing. `failures` holds the outputs and channels that failed (delivery failures are
  // also in `deliveries`, with state kFailed).
  std::vector<Publication> published;
  std::vector<DeliveryOutcome> deliveries;
  std::vector<SinkFailure> failures;

  // The digest as published (kPublished only).
  std::optional<Digest> digest;

  std::chrono::milliseconds elapsed{0};
  // Where that time went (Env's steady clock): getting the day (a fetch or the archive's copy),
  // selecting the topics' papers, translating, rendering, writing the files, delivering to the
  // channels (the last three summed over the audiences).
  struct StageTimes {
    std::chrono::milliseconds fetch{0}, select{0}, translate{0}, render{0}, publish{0}, deliver{0};
  };
  StageTimes stage_times;
};

class DailyRun {
 public:
  // Throws ConfigError when a required service is missing, a sink is null, or an audience
  // names a topic RunSettings::topics does not have. Sinks and `observer` (may be null) must
  // outlive the run.
  DailyRun(RunServices services, RunSettings settings, std::vector<Audience> audiences,
           RunObserver* observer = nullptr);
  // One audience: every topic, `sinks` as its outputs, no channel.
  DailyRun(RunServices services, RunSettings settings, std::vector<DigestSink*> sinks,
           RunObserver* observer = nullptr);

  // Runs listing date `date`. See the file comment for what throws and what is reported.
  RunReport run(Date date, RunFlags flags = {});

 private:
  std::optional<Announcement> obtain_announcement(Date date, const RunFlags& flags,
                                                  RunReport& report);
  TopicSelector make_selector(const Announcement& day);
  void translate(Digest& digest, RunReport& report);
  RenderedSet render_all(const Digest& digest, const std::vector<Format>& formats,
                         bool reproduce_recorded);
  void publish(const Audience& audience, const Digest& full, bool resend, RunReport& report);
  void notify_no_announcement(Date date, bool resend, RunReport& report);
  // Notes a channel's outcome ("<channel><who>: <what><state> <detail>") and adds it to the report
  // (and to its failures when it failed).
  void record(DeliveryOutcome outcome, const std::string& who, std::string_view what,
              RunReport& report);

  RunServices services_;
  RunSettings settings_;
  std::vector<Audience> audiences_;
  RunObserver fallback_observer_;
  RunObserver& observer_;
  Env& env_;
};

}  // namespace arxiv_digest
