// Paper: one arXiv article (one version of it) as announced, and Announcement: one listing day.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/arxiv_id.hpp"

namespace arxiv_digest {

// How a paper appears in a listing. Order = arXiv's priority when one paper qualifies twice.
enum class AnnounceType { kNew, kCross, kReplace, kReplaceCross };

// "new", "cross", "replace", "replace-cross" (arXiv's RSS spelling).
std::string_view to_string(AnnounceType type) noexcept;
// Parses arXiv's spelling; returns nullopt for anything else (e.g. "absonly").
std::optional<AnnounceType> announce_type_from_string(std::string_view text) noexcept;

struct Paper {
  ArxivId id;                          // with version when the source gives one
  std::string title;                   // whitespace-normalised, TeX verbatim
  std::vector<std::string> authors;    // display names, in order
  std::string primary_category;        // e.g. "cs.LG"
  std::vector<std::string> categories; // every category, primary first, no duplicates
  std::string abstract;                // whitespace-normalised, TeX verbatim
  std::string comments;                // may be empty
  std::string journal_ref;             // may be empty
  std::string doi;                     // may be empty
  std::string license;                 // URL, may be empty
  AnnounceType announce_type = AnnounceType::kNew;
  std::optional<std::chrono::sys_seconds> submitted;  // v1 submission, when known
  std::optional<std::chrono::sys_seconds> updated;    // this version's submission, when known

  // Adds `category` to `categories` unless present (keeps primary first).
  void add_category(std::string_view category);
};

// Which source an announcement came from.
// Where an announcement came from. A new kind adds an enumerator, a row in kSourceKinds, a line
// in the archive schema's CHECK (source IN (...)) and a line in sources' make_source(); nothing
// else names the kinds.
enum class SourceKind { kRss, kListing, kApi };
inline constexpr std::pair<SourceKind, std::string_view> kSourceKinds[] = {
    {SourceKind::kRss, "rss"},
    {SourceKind::kListing, "listing"},
    {SourceKind::kApi, "api"},
};
std::string_view to_string(SourceKind kind) noexcept;
std::optional<SourceKind> source_kind_from_string(std::string_view text) noexcept;

// One listing day for a set of categories: what arXiv announced, de-duplicated by version-less id.
struct Announcement {
  std::chrono::year_month_day listing_date{};  // arXiv's "new listings for <date>"
  std::vector<std::string> categories;         // as configured (the query)
  SourceKind source = SourceKind::kRss;
  std::string source_url;                      // what was fetched (first URL for multi-fetches)
  std::vector<Paper> papers;                   // sorted by id, one per version-less id
  // Count the source itself declared (listing "Total of N entries", API totalResults); nullopt
  // when the source declares none (RSS).
  std::optional<std::size_t> declared_count;
  bool complete = true;                        // every declared paper was received
  std::chrono::sys_seconds fetched_at{};
};

}  // namespace arxiv_digest
