// Building a Digest from one day's announcement: plain functions over value types, one index
// space (the digest's papers) from selection to translation.
//
//   candidates        the announcement's papers kept by announce type, in announcement (id) order
//   assemble_digest   the topics' selections (indices into the candidates) -> Digest::papers
//                     (every selected paper once, id order) and TopicResult indices into them
//   translation_jobs  the texts to translate: one per (paper, field), each naming its paper
//   attach_translations  the outcomes back onto Digest::translations by the jobs' paper indices
//   restrict_digest   the digest of a subscriber who follows only some of the topics
//
// Pure and thread-safe. Preconditions are checked: an out-of-range index throws Error.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/paper.hpp"
#include "core/topic.hpp"
#include "match/topic_selector.hpp"

namespace arxiv_digest {

// The papers of `announcement` whose announce type is in `keep`, in announcement order.
std::vector<const Paper*> candidates(const Announcement& announcement,
                                     const std::vector<AnnounceType>& keep);

// What the digest says about itself besides its papers.
struct DigestHeader {
  std::chrono::sys_seconds announced_at{};
  std::chrono::sys_seconds generated_at{};
  std::string time_zone = "Asia/Shanghai";
  std::vector<std::string> categories;
};

// One Digest from the candidates and each topic's selection (parallel to `topics`).
// Digest::announced_count is the number of candidates.
Digest assemble_digest(const Announcement& announcement, const std::vector<const Paper*>& candidates,
                       const std::vector<Topic>& topics,
                       std::vector<TopicSelector::Selection> selections,
                       const DigestHeader& header);

enum class TranslatedField { kTitle, kAbstract };
std::string_view to_string(TranslatedField field) noexcept;

struct TranslationJob {
  std::size_t paper = 0;  // index into Digest::papers
  TranslatedField field = TranslatedField::kTitle;
  std::string text;       // the English source
};

// The jobs for every paper of `digest`, for the `fields` asked for (paper order, then field
// order as given).
std::vector<TranslationJob> translation_jobs(const Digest& digest,
                                             const std::vector<TranslatedField>& fields);

// The outcome of one job: the translation, or why it failed.
struct JobOutcome {
  std::optional<std::string> translation;
  std::string failure;  // when !translation; "" = "not translated"
};

// Sets digest.translations (one entry per paper) from `outcomes`, parallel to `jobs`. A paper
// without jobs gets no translation. Returns the number of failed fields.
std::size_t attach_translations(Digest& digest, const std::vector<TranslationJob>& jobs,
                                const std::vector<JobOutcome>& outcomes);

// The digest as a reader of `topic_names` sees it: only those topics (in the digest's order; a
// name matches Topic::name exactly), only the papers they selected (id order kept), with their
// translations; the header and announced_count unchanged. An empty `topic_names` keeps every
// topic. Throws Error naming a topic that is not in the digest.
Digest restrict_digest(const Digest& digest, const std::vector<std::string>& topic_names);

}  // namespace arxiv_digest
