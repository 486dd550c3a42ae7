// Topic and Digest: what the user asked for and what a run selected.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "core/paper.hpp"

namespace arxiv_digest {

// One `[[topics]]` entry of the config.
struct Topic {
  std::string name;   // shown as "Keyword: <name>"
  std::string query;  // what is matched; defaults to `name` as a phrase
};

// The papers one topic selected, as indices into Digest::papers (in id order).
struct TopicResult {
  Topic topic;
  std::vector<std::size_t> papers;
};

// A paper's title and abstract in the reader's language. Empty optional = not translated (the
// digest leaves those lines out). Failure markers come with the translate stage.
struct PaperTranslation {
  std::string title;
  std::string abstract;
};

// Everything a renderer needs for one digest. Built by the cli; immutable afterwards.
struct Digest {
  Date listing_date{};
  std::chrono::sys_seconds generated_at{};
  std::chrono::sys_seconds announced_at{};
  std::string time_zone = "Asia/Shanghai";  // the reader's zone for the header
  std::vector<std::string> categories;      // configured categories
  SourceKind source = SourceKind::kRss;
  std::size_t announced_count = 0;          // papers in the announcement (all, before matching)
  std::vector<Paper> papers;                // distinct selected papers, id order
  // Parallel to `papers` (same size, or empty when the run translates nothing).
  std::vector<std::optional<PaperTranslation>> translations;
  std::vector<TopicResult> topics;          // config order
};

}  // namespace arxiv_digest
