// Topics by example (see topic_examples.hpp).
#include "pipeline/topic_examples.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>

#include "core/error.hpp"

namespace arxiv_digest {
namespace {

// One example before lookup: the text the user gave, and the id to complete it from.
struct Wanted {
  std::string title;
  std::string abstract;
  std::optional<ArxivId> id;
  bool from_config = false;  // listed in `examples` (an unknown id is then an error)
  std::string where;         // "examples_file 'lib.bib' line 12", for notes
};

}  // namespace

ReferenceLibrary load_examples_file(const Topic& topic) {
  std::ifstream in(topic.examples_file, std::ios::binary);
  if (!in)
    throw ConfigError(
        fmt::format("topic '{}': cannot read examples_file '{}'", topic.name, topic.examples_file));
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  try {
    return parse_reference_library(text, topic.examples_file);
  } catch (const ParseError& e) {
    throw ConfigError(fmt::format("topic '{}': examples_file: {}", topic.name, e.what()));
  }
}

std::vector<std::vector<ExampleText>> resolve_examples(const std::vector<Topic>& topics,
                                                       ExampleLookup& lookup) {
  std::vector<std::vector<Wanted>> wanted(topics.size());
  for (std::size_t t = 0; t < topics.size(); ++t) {
    const Topic& topic = topics[t];
    for (const std::string& id : topic.example_ids)
      wanted[t].push_back(Wanted{{}, {}, ArxivId::parse(id), true, "examples"});
    if (topic.examples_file.empty()) continue;
    const ReferenceLibrary library = load_examples_file(topic);
    if (library.entries.empty())
      throw ConfigError(fmt::format("topic '{}': examples_file '{}' has no entries", topic.name,
                                    topic.examples_file));
    for (const ReferenceEntry& e : library.entries)
      wanted[t].push_back(Wanted{e.title, e.abstract, e.arxiv_id, false,
                                 fmt::format("{}:{}", topic.examples_file, e.line)});
  }

  // Ids whose text is missing or incomplete: the archive first, then one batch to arXiv.
  std::map<std::string, Paper> known;  // by version-less key
  std::vector<ArxivId> missing;
  std::set<std::string> asked;
  for (const auto& list : wanted) {
    for (const Wanted& w : list) {
      if (!w.id || (!w.title.empty() && !w.abstract.empty())) continue;
      const std::string key = w.id->key();
      if (!asked.insert(key).second) continue;
      if (lookup.day != nullptr) {
        const auto it = std::find_if(lookup.day->begin(), lookup.day->end(),
                                     [&key](const Paper& p) { return p.id.key() == key; });
        if (it != lookup.day->end()) {
          known.emplace(key, *it);
          continue;
        }
      }
      if (lookup.archive != nullptr) {
        if (std::optional<Paper> p = lookup.archive->find_paper(key)) {
          known.emplace(key, std::move(*p));
          continue;
        }
      }
      missing.push_back(*w.id);
    }
  }
  if (!missing.empty() && lookup.fetch) {
    std::vector<Paper> fetched = lookup.fetch(missing);
    if (lookup.on_note)
      lookup.on_note(fmt::format("looked up {} of {} example papers at arXiv", fetched.size(),
                                 missing.size()));
    if (lookup.archive != nullptr && !fetched.empty())
      lookup.archive->save_papers(fetched, lookup.now);
    for (Paper& p : fetched) known.emplace(p.id.key(), std::move(p));
  }

  std::vector<std::vector<ExampleText>> examples(topics.size());
  for (std::size_t t = 0; t < topics.size(); ++t) {
    for (const Wanted& w : wanted[t]) {
      ExampleText text{w.title, w.abstract};
      if (w.id) {
        if (auto it = known.find(w.id->key()); it != known.end()) {
          if (text.title.empty()) text.title = it->second.title;
          if (text.abstract.empty()) text.abstract = it->second.abstract;
        } else if (w.from_config) {
          throw ConfigError(fmt::format(
              "topic '{}': example {} is {}", topics[t].name, w.id->str(),
              lookup.fetch ? "unknown to arXiv" : "not in the archive (and lookups are off)"));
        }
      }
      if (text.title.empty()) {
        // Only file entries get here (a configured id that is not found is an error above), and
        // only with an id: the parser rejects entries with neither a title nor an id.
        if (lookup.on_note)
          lookup.on_note(fmt::format("topic '{}': {}: example {} skipped ({})", topics[t].name,
                                     w.where, w.id ? w.id->str() : "without an id",
                                     lookup.fetch ? "arXiv does not know it"
                                                  : "not in the archive, and lookups are off"));
        continue;
      }
      examples[t].push_back(std::move(text));
    }
  }
  return examples;
}

}  // namespace arxiv_digest
