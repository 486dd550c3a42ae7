// Topics by example: turning each topic's `examples` (arXiv ids) and `examples_file` (a BibTeX,
// RIS or CSL-JSON export) into the titles and abstracts the similarity scorer compares with.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "core/arxiv_id.hpp"
#include "core/paper.hpp"
#include "core/topic.hpp"
#include "match/similarity.hpp"
#include "references/reference_library.hpp"
#include "store/archive.hpp"

namespace arxiv_digest {

struct ExampleLookup {
  // The day being built: an example that is one of its papers needs no lookup at all.
  const std::vector<Paper>* day = nullptr;
  Archive* archive = nullptr;  // papers looked up before, and where new lookups are kept
  // Looks ids up at arXiv (the query API); empty = offline: only the archive is consulted.
  std::function<std::vector<Paper>(const std::vector<ArxivId>&)> fetch;
  std::function<void(const std::string&)> on_note;
  std::chrono::sys_seconds now{};  // recorded as when looked-up papers were first seen
};

// Reads and parses `topic.examples_file`. Throws ConfigError naming the topic and the file (with
// the line and field for a malformed file).
ReferenceLibrary load_examples_file(const Topic& topic);

// Per topic (parallel to `topics`; empty for a query topic): the examples' texts, in the order
// configured (`examples` first, then the file's entries). File entries with a title are used as
// written; ids without a title or abstract are looked up (the day's papers first, then the
// archive, then arXiv, and the answers saved in the archive so later runs stay offline).
//
// Throws ConfigError when an `examples` id is unknown to arXiv or the file cannot be read or is
// malformed (see load_examples_file), and what `fetch` throws.
// A file entry whose id arXiv does not know is skipped with a note, unless the file has its title.
std::vector<std::vector<ExampleText>> resolve_examples(const std::vector<Topic>& topics,
                                                       ExampleLookup& lookup);

}  // namespace arxiv_digest
