#include "pipeline/digest_builder.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"

namespace arxiv_digest {

std::vector<const Paper*> candidates(const Announcement& announcement,
                                     const std::vector<AnnounceType>& keep) {
  std::vector<const Paper*> out;
  for (const Paper& p : announcement.papers)
    if (std::find(keep.begin(), keep.end(), p.announce_type) != keep.end()) out.push_back(&p);
  return out;
}

Digest assemble_digest(const Announcement& announcement, const std::vector<const Paper*>& candidates,
                       const std::vector<Topic>& topics,
                       std::vector<TopicSelector::Selection> selections,
                       const DigestHeader& header) {
  if (selections.size() != topics.size())
    throw Error(fmt::format("assemble_digest: {} selections for {} topics", selections.size(),
                            topics.size()));
  Digest digest;
  digest.listing_date = announcement.listing_date;
  digest.announced_at = header.announced_at;
  digest.generated_at = header.generated_at;
  digest.time_zone = header.time_zone;
  digest.categories = header.categories;
  digest.source = announcement.source;
  digest.announced_count = candidates.size();

  // Digest::papers: every selected candidate once, in candidate (id) order; `position` maps a
  // candidate index to its index in Digest::papers.
  std::vector<bool> chosen(candidates.size(), false);
  for (const auto& selection : selections)
    for (std::size_t c : selection.papers) {
      if (c >= candidates.size())
        throw Error(fmt::format("assemble_digest: candidate {} of {}", c, candidates.size()));
      chosen[c] = true;
    }
  std::vector<std::size_t> position(candidates.size(), 0);
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    if (!chosen[c]) continue;
    position[c] = digest.papers.size();
    digest.papers.push_back(*candidates[c]);
  }
  for (std::size_t t = 0; t < topics.size(); ++t) {
    TopicResult result;
    result.topic = topics[t];
    for (std::size_t c : selections[t].papers) result.papers.push_back(position[c]);
    result.reasons = std::move(selections[t].reasons);
    digest.topics.push_back(std::move(result));
  }
  return digest;
}

std::string_view to_string(TranslatedField field) noexcept {
  return field == TranslatedField::kTitle ? "title" : "abstract";
}

std::vector<TranslationJob> translation_jobs(const Digest& digest,
                                             const std::vector<TranslatedField>& fields) {
  std::vector<TranslationJob> jobs;
  jobs.reserve(digest.papers.size() * fields.size());
  for (std::size_t i = 0; i < digest.papers.size(); ++i) {
    const Paper& paper = digest.papers[i];
    for (TranslatedField field : fields)
      jobs.push_back({i, field, field == TranslatedField::kTitle ? paper.title : paper.abstract});
  }
  return jobs;
}

std::size_t attach_translations(Digest& digest, const std::vector<TranslationJob>& jobs,
                                const std::vector<JobOutcome>& outcomes) {
  if (outcomes.size() != jobs.size())
    throw Error(fmt::format("attach_translations: {} outcomes for {} jobs", outcomes.size(),
                            jobs.size()));
  digest.translations.assign(digest.papers.size(), std::nullopt);
  std::size_t failed = 0;
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    const TranslationJob& job = jobs[j];
    if (job.paper >= digest.papers.size())
      throw Error(fmt::format("attach_translations: paper {} of {}", job.paper,
                              digest.papers.size()));
    auto& slot = digest.translations[job.paper];
    if (!slot) slot.emplace();
    const JobOutcome& outcome = outcomes[j];
    std::string& text = job.field == TranslatedField::kTitle ? slot->title : slot->abstract;
    std::string& failure =
        job.field == TranslatedField::kTitle ? slot->title_failure : slot->abstract_failure;
    if (outcome.translation) {
      text = *outcome.translation;
    } else {
      failure = outcome.failure.empty() ? "not translated" : outcome.failure;
      ++failed;
    }
  }
  return failed;
}

Digest restrict_digest(const Digest& digest, const std::vector<std::string>& topic_names) {
  if (topic_names.empty()) return digest;
  for (const std::string& name : topic_names)
    if (std::none_of(digest.topics.begin(), digest.topics.end(),
                     [&](const TopicResult& t) { return t.topic.name == name; }))
      throw Error(fmt::format("restrict_digest: no topic named '{}' in the digest", name));
  Digest out = digest;
  out.papers.clear();
  out.translations.clear();
  out.topics.clear();
  std::vector<const TopicResult*> kept;
  std::vector<bool> chosen(digest.papers.size(), false);
  for (const TopicResult& t : digest.topics) {
    if (std::find(topic_names.begin(), topic_names.end(), t.topic.name) == topic_names.end())
      continue;
    kept.push_back(&t);
    for (std::size_t p : t.papers) {
      if (p >= digest.papers.size())
        throw Error(fmt::format("restrict_digest: paper {} of {}", p, digest.papers.size()));
      chosen[p] = true;
    }
  }
  std::vector<std::size_t> position(digest.papers.size(), 0);
  for (std::size_t p = 0; p < digest.papers.size(); ++p) {
    if (!chosen[p]) continue;
    position[p] = out.papers.size();
    out.papers.push_back(digest.papers[p]);
    if (!digest.translations.empty()) out.translations.push_back(digest.translations.at(p));
  }
  for (const TopicResult* t : kept) {
    TopicResult result = *t;
    for (std::size_t& p : result.papers) p = position[p];
    out.topics.push_back(std::move(result));
  }
  return out;
}

}  // namespace arxiv_digest
