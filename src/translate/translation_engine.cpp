#include "translate/translation_engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "core/crash_point.hpp"
#include "core/hash.hpp"
#include "translate/answer_check.hpp"
#include "translate/protect.hpp"

namespace arxiv_digest {

namespace {

// Nothing to translate: only tokens, digits, punctuation and spaces.
bool has_translatable_text(std::string_view masked) {
  std::string without_tokens(masked);
  for (std::size_t pos = without_tokens.find("{M"); pos != std::string::npos;
       pos = without_tokens.find("{M")) {
    const std::size_t end = without_tokens.find('}', pos);
    if (end == std::string::npos) break;
    without_tokens.erase(pos, end - pos + 1);
  }
  int letters = 0;
  for (char c : without_tokens) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ++letters;
    if (letters >= 2) return true;
  }
  return false;
}

struct Distinct {
  TextJob job;
  MaskedText masked;
  TranslationKey key;
  TextOutcome outcome;
};

class Engine {
 public:
  Engine(Translator& translator, TranslationCache* cache, const EngineOptions& options)
      : translator_(translator),
        cache_(cache),
        options_(options),
        backend_target_(options.backend_target.empty() ? options.target : options.backend_target),
        env_(options.env != nullptr ? *options.env : Env::system()),
        requests_(options.requests_per_minute, 0, &env_),
        tokens_(options.tokens_per_minute, options.tokens_per_minute / 6, &env_),
        backoff_(options.retry) {}

  void run(std::vector<Distinct>& items, std::vector<std::size_t> pending, TranslateStats& stats) {
    stats_ = &stats;
    items_ = &items;
    progress_.total = pending.size();
    started_ = env_.steady_now();
    const std::size_t batch = std::max<std::size_t>(1, translator_.max_batch());
    for (std::size_t i = 0; i < pending.size(); i += batch)
      batches_.emplace_back(
          pending.begin() + static_cast<std::ptrdiff_t>(i),
          pending.begin() + static_cast<std::ptrdiff_t>(std::min(pending.size(), i + batch)));
    const std::size_t workers =
        std::min(std::max<std::size_t>(1, options_.concurrency), batches_.size());
    std::vector<std::thread> threads;
    std::vector<std::exception_ptr> errors(workers);
    for (std::size_t w = 0; w < workers; ++w) {
      threads.emplace_back([this, w, &errors] {
        try {
          work();
        } catch (...) {
          errors[w] = std::current_exception();
          stop_.store(true);
        }
      });
    }
    for (auto& t : threads) t.join();
    for (const auto& e : errors)
      if (e) std::rethrow_exception(e);
  }

 private:
  void work() {
    for (;;) {
      const std::size_t index = next_batch_.fetch_add(1);
      if (index >= batches_.size()) return;
      process(batches_[index]);
    }
  }

  void finish(std::size_t index, std::optional<std::string> text, std::string failure) {
    const std::lock_guard lock(mutex_);
    Distinct& item = (*items_)[index];
    if (text) {
      item.outcome.translation = std::move(text);
      // Test seam: a kill between the answer and its cache row pays for it again next run.
      crash_point("translate");
      if (cache_ != nullptr) cache_->store(item.key, *item.outcome.translation, item_usage_[index]);
      crash_point("translate");
      ++stats_->translated;
    } else {
      item.outcome.failure = std::move(failure);
      ++stats_->failed;
      ++progress_.failed;
    }
    ++progress_.done;
    if (options_.on_progress) {
      const auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(env_.steady_now() - started_);
      progress_.eta =
          progress_.done == 0
              ? std::chrono::seconds(0)
              : std::chrono::seconds(elapsed.count() *
                                     static_cast<long long>(progress_.total - progress_.done) /
                                     static_cast<long long>(progress_.done));
      options_.on_progress(progress_);
    }
  }

  void retry_note(const std::string& message) {
    const std::lock_guard lock(mutex_);
    ++stats_->retries;
    if (options_.on_retry) options_.on_retry(message);
  }

  // One call with transport-level retries. Throws the last TranslateError when retries are
  // exhausted or the error is not retryable.
  TranslateBatchResult call_with_retries(const TranslateCall& call) {
    std::size_t bytes = 0;
    for (const auto& t : call.texts) bytes += t.size();
    for (int retry = 0;; ++retry) {
      if (stop_.load())
        throw TranslateError(std::string(translator_.backend()), TranslateErrorKind::kQuota,
                             stop_reason());
      requests_.acquire(1);
      tokens_.acquire(static_cast<double>(bytes) / 3.0 + 300.0);
      {
        const std::lock_guard lock(mutex_);
        ++stats_->requests;
      }
      try {
        TranslateBatchResult result = translator_.translate(call);
        const std::lock_guard lock(mutex_);
        stats_->usage += result.usage;
        return result;
      } catch (const TranslateError& e) {
        if (e.fatal()) {
          const std::lock_guard lock(mutex_);
          if (!stop_.exchange(true)) {
            stop_reason_ = e.what();
            stop_kind_ = e.kind();
          }
          throw;
        }
        if (!e.retryable() || !backoff_.allows(retry + 1)) throw;
        const auto wait = backoff_.wait_before(retry + 1, e.retry_after(), env_.now());
        if (!wait) throw;  // the server asked for longer than max_retry_after
        retry_note(fmt::format("{} (attempt {} of {}); retrying in {} ms", e.what(), retry + 1,
                               backoff_.policy().max_retries + 1, wait->count()));
        env_.sleep_for(*wait);
      }
    }
  }

  std::string stop_reason() {
    const std::lock_guard lock(mutex_);
    return stop_reason_;
  }

  void process(const std::vector<std::size_t>& batch) {
    std::vector<std::size_t> pending = batch;
    std::map<std::size_t, std::string> problems;
    for (int attempt = 1; attempt <= options_.max_attempts && !pending.empty(); ++attempt) {
      if (stop_.load()) break;
      std::vector<std::string> texts;
      std::string previous;
      for (std::size_t index : pending) {
        texts.push_back((*items_)[index].masked.text);
        if (previous.empty() && problems.count(index)) previous = problems[index];
      }
      TranslateCall call{texts, backend_target_, attempt, previous};
      TranslateBatchResult result;
      try {
        result = call_with_retries(call);
      } catch (const TranslateError& e) {
        for (std::size_t index : pending) finish(index, std::nullopt, e.what());
        return;
      }
      std::vector<std::size_t> still;
      for (std::size_t i = 0; i < pending.size(); ++i) {
        const std::size_t index = pending[i];
        Distinct& item = (*items_)[index];
        {
          const std::lock_guard lock(mutex_);
          ++item.outcome.attempts;
          TokenUsage share = result.usage;
          const auto n = static_cast<std::int64_t>(pending.size());
          share.prompt_tokens /= n;
          share.completion_tokens /= n;
          share.characters /= n;
          item_usage_[index] += share;
        }
        if (i >= result.replies.size()) {
          problems[index] = "the backend sent no answer for this text";
          still.push_back(index);
          continue;
        }
        const TranslateReply& reply = result.replies[i];
        AnswerCheck check;
        if (reply.truncated) {
          check.problem = AnswerProblem::kTruncated;
          check.detail = "the answer was cut off (finish_reason \"length\")";
        } else {
          check = check_answer(reply.text, item.masked, backend_target_, options_.echo_markers);
        }
        if (check.ok()) {
          std::string text = options_.postprocess ? options_.postprocess(check.text) : check.text;
          finish(index, std::move(text), {});
        } else {
          {
            const std::lock_guard lock(mutex_);
            ++stats_->rejected;
          }
          problems[index] = check.detail;
          still.push_back(index);
        }
      }
      pending = std::move(still);
    }
    for (std::size_t index : pending) {
      std::string reason = problems.count(index)
                               ? fmt::format("rejected {} answer(s), last: {}",
                                             (*items_)[index].outcome.attempts, problems[index])
                               : stop_reason();
      finish(index, std::nullopt, reason.empty() ? "not translated" : reason);
    }
  }

  Translator& translator_;
  TranslationCache* cache_;
  const EngineOptions& options_;
  std::string backend_target_;
  Env& env_;
  TokenBucket requests_;
  TokenBucket tokens_;
  Backoff backoff_;
  std::vector<Distinct>* items_ = nullptr;
  TranslateStats* stats_ = nullptr;
  std::vector<std::vector<std::size_t>> batches_;
  std::atomic<std::size_t> next_batch_{0};
  std::atomic<bool> stop_{false};
  std::string stop_reason_;
  std::optional<TranslateErrorKind> stop_kind_;  // the fatal error that stopped every call

 public:
  // After run(): the fatal error (quota, rejected credentials) that stopped the calls, if any.
  std::optional<TranslateErrorKind> stopped_by() {
    const std::lock_guard lock(mutex_);
    return stop_kind_;
  }
  std::string stopped_reason() { return stop_reason(); }

 private:
  std::map<std::size_t, TokenUsage> item_usage_;
  TranslateProgress progress_;
  std::chrono::steady_clock::time_point started_;
  std::mutex mutex_;
};

}  // namespace

TranslateReport translate_texts(const std::vector<TextJob>& jobs, Translator& translator,
                                TranslationCache* cache, const EngineOptions& options) {
  TranslateReport report;
  report.stats.jobs = jobs.size();
  std::vector<Distinct> items;
  std::map<std::pair<std::string, std::string>, std::size_t> seen;
  std::vector<std::size_t> job_item(jobs.size());
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    auto [it, inserted] = seen.try_emplace({jobs[j].field, jobs[j].text}, items.size());
    if (inserted) {
      Distinct item;
      item.job = jobs[j];
      item.key = TranslationKey{sha256_hex(jobs[j].text),
                                jobs[j].field,
                                options.target,
                                std::string(translator.backend()),
                                translator.model(),
                                translator.uses_prompt() ? options.prompt_version : std::string()};
      items.push_back(std::move(item));
    }
    job_item[j] = it->second;
  }
  report.stats.distinct = items.size();

  std::vector<std::size_t> pending;
  for (std::size_t i = 0; i < items.size(); ++i) {
    Distinct& item = items[i];
    if (cache != nullptr) {
      if (auto hit = cache->find(item.key)) {
        item.outcome.translation = std::move(*hit);
        item.outcome.from_cache = true;
        ++report.stats.cache_hits;
        continue;
      }
    }
    item.masked = mask_protected(item.job.text);
    if (!has_translatable_text(item.masked.text)) {
      item.outcome.translation = item.job.text;  // formulas / ids only: nothing to translate
      continue;
    }
    pending.push_back(i);
  }
  if (!pending.empty()) {
    Engine engine(translator, cache, options);
    engine.run(items, std::move(pending), report.stats);
    report.stopped_by = engine.stopped_by();
    if (report.stopped_by) report.stop_reason = engine.stopped_reason();
  }
  report.outcomes.reserve(jobs.size());
  for (std::size_t j = 0; j < jobs.size(); ++j)
    report.outcomes.push_back(items[job_item[j]].outcome);
  return report;
}

}  // namespace arxiv_digest
