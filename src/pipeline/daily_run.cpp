#include "pipeline/daily_run.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/crash_point.hpp"
#include "core/error.hpp"
#include "core/hash.hpp"
#include "match/topic_selector.hpp"
#include "pipeline/topic_examples.hpp"

namespace arxiv_digest {
namespace {

std::string_view reason_text(NoListingReason reason) {
  switch (reason) {
    case NoListingReason::kWeekend:
      return "arXiv lists Monday to Friday only";
    case NoListingReason::kHoliday:
      return "an arXiv holiday";
    case NoListingReason::kNone:
      break;
  }
  return "";
}

// ConfigError messages of the topics' checks name the topic; callers add the config file.
void check_examples_files(const std::vector<Topic>& topics) {
  for (const Topic& topic : topics)
    if (!topic.examples_file.empty()) (void)load_examples_file(topic);
}

}  // namespace

std::string describe(const TranslationSummary& s) {
  std::string line = fmt::format(
      "translation ({}{}): {} field(s), {} from the cache, {} translated, {} failed; {} "
      "request(s), {} retried, {} answer(s) rejected",
      s.backend, s.model.empty() ? "" : " " + s.model, s.texts, s.from_cache, s.translated,
      s.failed, s.requests, s.retries, s.rejected);
  if (s.prompt_tokens > 0 || s.completion_tokens > 0)
    line += fmt::format("; {} prompt + {} completion tokens", s.prompt_tokens, s.completion_tokens);
  else if (s.characters > 0)
    line += fmt::format("; {} characters", s.characters);
  if (s.cost) line += fmt::format("; cost {:.4f} {}", *s.cost, s.currency);
  return line;
}

DailyRun::DailyRun(RunServices services, RunSettings settings, std::vector<Audience> audiences,
                   RunObserver* observer)
    : services_(std::move(services)),
      settings_(std::move(settings)),
      audiences_(std::move(audiences)),
      observer_(observer != nullptr ? *observer : fallback_observer_),
      env_(services_.env != nullptr ? *services_.env : Env::system()) {
  if (services_.archive == nullptr) throw ConfigError("DailyRun: no archive");
  if (services_.calendar == nullptr) throw ConfigError("DailyRun: no calendar");
  const auto null = [](DigestSink* s) { return s == nullptr; };
  for (const Audience& audience : audiences_) {
    if (std::any_of(audience.sinks.begin(), audience.sinks.end(), null) ||
        std::any_of(audience.channels.begin(), audience.channels.end(), null))
      throw ConfigError("DailyRun: a null sink");
    for (const std::string& name : audience.topics)
      if (std::none_of(settings_.topics.begin(), settings_.topics.end(),
                       [&](const Topic& t) { return t.name == name; }))
        throw ConfigError(fmt::format("subscriber '{}': no topic named '{}'", audience.name, name));
  }
}

DailyRun::DailyRun(RunServices services, RunSettings settings, std::vector<DigestSink*> sinks,
                   RunObserver* observer)
    : DailyRun(std::move(services), std::move(settings),
               std::vector<Audience>{Audience{"", {}, std::move(sinks), {}, false, false}}, observer) {}

RunReport DailyRun::run(Date date, RunFlags flags) {
  const auto started = env_.steady_now();
  RunReport report;
  report.listing_date = date;
  report.topics = settings_.topics.size();
  const AnnouncementCalendar& calendar = *services_.calendar;

  if (const NoListingReason why = calendar.no_listing_reason(date); why != NoListingReason::kNone) {
    report.outcome = RunReport::Outcome::kNoAnnouncement;
    report.reason = std::string(reason_text(why));
    notify_no_announcement(date, flags.resend, report);
    return report;
  }
  if (const auto at = calendar.announcement_instant(date); at > env_.now()) {
    report.outcome = RunReport::Outcome::kNotYetAnnounced;
    report.reason = fmt::format("the listing of {} is announced at {:%Y-%m-%d %H:%M} UTC; it is "
                                "{:%Y-%m-%d %H:%M} UTC now",
                                format_date(date), at, env_.now());
    return report;
  }
  // Everything the configuration can get wrong fails here, before any request.
  check_topic_queries(settings_.topics);
  check_examples_files(settings_.topics);

  // Adds the time since the previous lap to `stage`.
  auto stage_started = env_.steady_now();
  const auto lap = [&](std::chrono::milliseconds& stage) {
    const auto now = env_.steady_now();
    stage += std::chrono::duration_cast<std::chrono::milliseconds>(now - stage_started);
    stage_started = now;
  };
  std::optional<Announcement> day = obtain_announcement(date, flags, report);
  lap(report.stage_times.fetch);
  if (!day) {
    report.outcome = RunReport::Outcome::kNoAnnouncement;
    if (!flags.fetch_only) notify_no_announcement(date, flags.resend, report);
    return report;
  }
  report.categories = day->categories;
  for (const Paper& p : day->papers) ++report.fetched_by_type.at(static_cast<std::size_t>(p.announce_type));
  if (flags.fetch_only) return report;

  const TopicSelector selector = make_selector(*day);
  const std::vector<const Paper*> kept = candidates(*day, settings_.announce_types);
  DigestHeader header;
  header.announced_at = calendar.announcement_instant(day->listing_date);
  header.generated_at = env_.now();
  header.time_zone = settings_.time_zone;
  header.categories = settings_.fetch.categories;
  Digest digest = assemble_digest(*day, kept, selector.topics(), selector.select(kept), header);
  report.announced = digest.announced_count;
  report.matched = digest.papers.size();
  observer_.note(fmt::format("{}: {} of {} announced papers matched {} topic(s)",
                             format_date(date), report.matched, report.announced,
                             digest.topics.size()));
  lap(report.stage_times.select);

  translate(digest, report);
  lap(report.stage_times.translate);
  for (const Audience& audience : audiences_) publish(audience, digest, flags.resend, report);
  report.digest = std::move(digest);
  report.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(env_.steady_now() - started);
  return report;
}

std::optional<Announcement> DailyRun::obtain_announcement(Date date, const RunFlags& flags,
                                                          RunReport& report) {
  Archive& archive = *services_.archive;
  const auto& categories = settings_.fetch.categories;
  if (!flags.refetch) {
    if (auto stored = archive.load_announcement(date, categories); stored && stored->complete) {
      observer_.note(fmt::format("using the archived listing of {} ({} papers, fetched from {})",
                                 format_date(date), stored->papers.size(),
                                 to_string(stored->source)));
      report.from_archive = true;
      report.source = stored->source;
      report.fetched = stored->papers.size();
      report.declared = stored->declared_count;
      return stored;
    }
  }
  if (services_.http == nullptr)
    throw IncompleteFetchError(fmt::format(
        "the archive has no complete listing of {} and this run is offline", format_date(date)));

  FetchOptions options = settings_.fetch;
  // Archive every announce type; the digest filters by `announce_types`.
  options.keep = {AnnounceType::kNew, AnnounceType::kCross, AnnounceType::kReplace,
                  AnnounceType::kReplaceCross};
  options.listing_date = date;
  options.on_request = [this](std::size_t n, std::size_t total, const std::string& url) {
    crash_point("fetch");
    if (total > 1) observer_.progress(fmt::format("request {}/{}: {}", n, total, url));
  };
  observer_.note(fmt::format("fetching the listing of {} for {} from {}", format_date(date),
                             fmt::join(categories, " "), to_string(options.source)));
  FetchResult result =
      fetch_announcement(*services_.http, options, *services_.calendar, env_);
  crash_point("fetch");
  if (result.status == FetchResult::Status::kNoAnnouncement) {
    report.reason = result.note;
    return std::nullopt;
  }
  archive.save_announcement(result.announcement);
  report.dropped_outside = result.dropped_outside;
  if (result.dropped_outside > 0)
    observer_.note(fmt::format("dropped {} entries outside the listing's submission window or the "
                               "configured categories",
                               result.dropped_outside));
  report.source = result.announcement.source;
  report.fetched = result.announcement.papers.size();
  report.declared = result.announcement.declared_count;
  observer_.note(fmt::format(
      "archived {} papers of {} ({}{})", result.announcement.papers.size(),
      format_date(result.announcement.listing_date), to_string(result.announcement.source),
      result.announcement.declared_count
          ? fmt::format(", {} declared", *result.announcement.declared_count)
          : std::string()));
  return std::move(result.announcement);
}

TopicSelector DailyRun::make_selector(const Announcement& day) {
  const auto& topics = settings_.topics;
  const bool any_examples =
      std::any_of(topics.begin(), topics.end(), [](const Topic& t) { return t.by_example(); });
  if (!any_examples) return TopicSelector(topics);
  ExampleLookup lookup;
  lookup.day = &day.papers;
  lookup.archive = services_.archive;
  lookup.now = env_.now();
  lookup.on_note = [this](const std::string& line) { observer_.note(line); };
  if (services_.http != nullptr) {
    lookup.fetch = [this](const std::vector<ArxivId>& ids) {
      FetchOptions options = settings_.fetch;
      options.on_request = [this](std::size_t n, std::size_t total, const std::string& url) {
        observer_.progress(fmt::format("example lookup {}/{}: {}", n, total, url));
      };
      return fetch_papers_by_id(*services_.http, options, ids);
    };
  }
  return TopicSelector(topics, resolve_examples(topics, lookup));
}

void DailyRun::translate(Digest& digest, RunReport& report) {
  TranslationService& service = services_.translation;
  TranslationSummary& summary = report.translation;
  if (service.translator == nullptr || digest.papers.empty() || service.fields.empty()) return;
  summary.enabled = true;
  summary.backend = std::string(service.translator->backend());
  summary.model = service.translator->model();
  summary.currency = service.prices.currency;

  const std::vector<TranslationJob> jobs = translation_jobs(digest, service.fields);
  std::vector<TextJob> texts;
  texts.reserve(jobs.size());
  for (const TranslationJob& job : jobs)
    texts.push_back({job.text, std::string(to_string(job.field))});

  EngineOptions options = service.engine;
  options.env = &env_;
  options.on_retry = [this](const std::string& line) { observer_.retry(line); };
  options.on_progress = [this](const TranslateProgress& p) {
    // About ten lines per run (a console rewrites them in place on a terminal).
    const std::size_t step = std::max<std::size_t>(1, p.total / 10);
    if (p.done % step == 0 || p.done == p.total)
      observer_.progress(fmt::format("translating {}/{} ({} failed, ETA {} s)", p.done, p.total,
                                     p.failed, p.eta.count()));
  };
  const TranslateReport result =
      translate_texts(texts, *service.translator, &services_.archive->translations(), options);

  std::vector<JobOutcome> outcomes;
  outcomes.reserve(result.outcomes.size());
  for (const TextOutcome& outcome : result.outcomes) {
    JobOutcome o{outcome.translation, outcome.failure};
    outcomes.push_back(std::move(o));
  }
  summary.texts = jobs.size();
  summary.failed = attach_translations(digest, jobs, outcomes);
  summary.stopped_by = result.stopped_by;
  summary.stop_reason = result.stop_reason;
  if (result.stopped_by == TranslateErrorKind::kAuth) {
    // A rejected key is said once (the cli's message), not as a marker on every field: leave
    // the untranslated fields out, the English text stands alone.
    for (std::size_t j = 0; j < jobs.size(); ++j) {
      if (outcomes[j].translation) continue;
      auto& t = digest.translations[jobs[j].paper];
      if (!t) continue;
      (jobs[j].field == TranslatedField::kTitle ? t->title_failure : t->abstract_failure).clear();
    }
    for (auto& t : digest.translations)
      if (t && t->title.empty() && t->abstract.empty() && t->title_failure.empty() &&
          t->abstract_failure.empty())
        t.reset();
  }
  const TranslateStats& stats = result.stats;
  summary.from_cache = stats.cache_hits;
  summary.translated = stats.translated;
  summary.requests = stats.requests;
  summary.retries = stats.retries;
  summary.rejected = stats.rejected;
  summary.prompt_tokens = stats.usage.prompt_tokens;
  summary.completion_tokens = stats.usage.completion_tokens;
  summary.characters = stats.usage.characters;
  const TranslationPrices& prices = service.prices;
  if (prices.input_per_million > 0 || prices.output_per_million > 0 ||
      prices.per_million_characters > 0) {
    summary.cost = (static_cast<double>(stats.usage.prompt_tokens) * prices.input_per_million +
                    static_cast<double>(stats.usage.completion_tokens) * prices.output_per_million +
                    static_cast<double>(stats.usage.characters) * prices.per_million_characters) /
                   1e6;
  }
}

void DailyRun::record(DeliveryOutcome outcome, const std::string& who, std::string_view what,
                      RunReport& report) {
  observer_.note(fmt::format("{}{}: {}{}{}", outcome.channel, who, what, to_string(outcome.state),
                             outcome.detail.empty() ? "" : " " + outcome.detail));
  if (outcome.state == DeliveryState::kFailed)
    report.failures.push_back({outcome.audience, outcome.channel, outcome.detail, outcome.error});
  report.deliveries.push_back(std::move(outcome));
}

void DailyRun::notify_no_announcement(Date date, bool resend, RunReport& report) {
  const AnnouncementCalendar& calendar = *services_.calendar;
  Notice notice;
  notice.listing_date = date;
  notice.title = fmt::format("arXiv: no announcement for {}", format_date(date));
  const Date next = calendar.next_listing_after(date);
  notice.text = fmt::format(
      "arXiv made no announcement for the listing date {} ({:%A}){}. The next listing is {} "
      "({:%A}), announced at {:%Y-%m-%d %H:%M} UTC.",
      format_date(date), std::chrono::sys_days{date},
      report.reason.empty() ? std::string() : ": " + report.reason, format_date(next),
      std::chrono::sys_days{next}, calendar.announcement_instant(next));
  for (const Audience& audience : audiences_) {
    if (!audience.notify_no_announcement) continue;
    const std::string who = audience.name.empty() ? "" : fmt::format(" ({})", audience.name);
    for (DigestSink* channel : audience.channels) {
      record(deliver_notice_logged(*channel, notice, *services_.archive, audience.name, env_,
                                   resend),
             who, "no-announcement notice ", report);
    }
  }
}

void DailyRun::publish(const Audience& audience, const Digest& full, bool resend,
                       RunReport& report) {
  const Digest digest = restrict_digest(full, audience.topics);
  std::vector<Format> formats;
  for (const auto* list : {&audience.sinks, &audience.channels})
    for (DigestSink* sink : *list)
      for (Format f : sink->formats())
        if (std::find(formats.begin(), formats.end(), f) == formats.end()) formats.push_back(f);
  auto started = env_.steady_now();
  const auto lap = [&](std::chrono::milliseconds& stage) {
    const auto now = env_.steady_now();
    stage += std::chrono::duration_cast<std::chrono::milliseconds>(now - started);
    started = now;
  };
  const RenderedSet rendered = render_all(digest, formats, audience.topics.empty());
  lap(report.stage_times.render);

  for (DigestSink* sink : audience.sinks) {
    try {
      std::vector<Publication> done = sink->publish(digest, rendered);
      for (const Publication& p : done) observer_.note(fmt::format("wrote {}", p.target));
      report.published.insert(report.published.end(), done.begin(), done.end());
    } catch (const std::exception& e) {
      report.failures.push_back({audience.name, sink->name(), e.what(), std::current_exception()});
    }
  }
  lap(report.stage_times.publish);
  const std::string who = audience.name.empty() ? "" : fmt::format(" ({})", audience.name);
  for (DigestSink* channel : audience.channels) {
    if (digest.papers.empty() && audience.silent_when_empty) {
      report.deliveries.push_back(
          {audience.name, channel->name(), DeliveryState::kSkippedEmpty, "", 0, nullptr});
      observer_.note(fmt::format("{}{}: nothing matched, nothing sent", channel->name(), who));
      continue;
    }
    record(deliver_logged(*channel, digest, rendered, *services_.archive, audience.name, env_,
                          resend),
           who, "", report);
  }
  lap(report.stage_times.deliver);
}

RenderedSet DailyRun::render_all(const Digest& digest, const std::vector<Format>& formats,
                                 bool reproduce_recorded) {
  const std::vector<DigestRecord> previous =
      reproduce_recorded ? services_.archive->digests_for(digest.listing_date)
                         : std::vector<DigestRecord>{};
  RenderedSet set;
  for (Format f : formats) {
    crash_point("render");
    RenderedFile file{f, render(digest, f, settings_.render), {}, digest.generated_at};
    file.sha256 = sha256_hex(file.bytes);
    // Re-running the same day reproduces the earlier file byte for byte: if the digest rendered
    // with an earlier generation time is what was recorded then, keep that time.
    for (const DigestRecord& record : previous) {
      if (record.format != to_string(f) || record.sha256 == file.sha256) continue;
      Digest again = digest;
      again.generated_at = record.generated_at;
      std::string earlier = render(again, f, settings_.render);
      if (std::string hash = sha256_hex(earlier); hash == record.sha256) {
        file.bytes = std::move(earlier);
        file.sha256 = std::move(hash);
        file.generated_at = record.generated_at;
        break;
      }
    }
    set.files.push_back(std::move(file));
  }
  return set;
}

}  // namespace arxiv_digest
