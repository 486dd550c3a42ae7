// The reference digest (tests/data/seed/seed-2026-06-18.txt) read back into a Digest: the real
// papers, authors, subjects, abstracts and Chinese translations of the 2026-06-18 listing.
#pragma once

#include <string>
#include <string_view>

#include "core/topic.hpp"

namespace arxiv_digest::testing {

// Path of the seed copy under tests/data.
inline constexpr std::string_view kSeedDigestFile = "seed/seed-2026-06-18.txt";

// Parses the seed layout (header, count line, "Keyword:" blocks; per paper title, optional
// Chinese title, "- Authors:", "- Subjects: Subjects:" + list line, links, abstract, optional
// Chinese abstract). Papers are de-duplicated by id across topics. Facts the seed does not state
// are filled with the values documented in tests/data/render/PROVENANCE.md: generated_at
// 2026-06-18T11:52:58Z, announced_at 2026-06-18T00:00:00Z, zone Asia/Shanghai, categories
// cs.AI cs.CL cs.CV cs.LG cs.RO, source rss, announced_count kSeedAnnouncedCount, topic query =
// topic name. Each topic's reasons are what TopicSelector reports for its query (real terms and
// spans). `with_translations` = false leaves Digest::translations empty.
// Throws std::runtime_error (with the line number) when the text does not have the layout.
Digest parse_seed_digest(std::string_view text, bool with_translations);

// parse_seed_digest() of the seed file.
Digest load_seed_digest(bool with_translations = true);

inline constexpr std::size_t kSeedAnnouncedCount = 517;

}  // namespace arxiv_digest::testing
