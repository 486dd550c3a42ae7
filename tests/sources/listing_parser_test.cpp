#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "sources/parsed_source.hpp"
#include "sources/parser_test_support.hpp"

namespace arxiv_digest {
namespace {

using namespace std::chrono;
using testing::fixture;
using testing::parse_error;
using testing::remove_span;
using testing::replace_once;

constexpr const char* kDay = "listing/cs.LG_new_2026-06-18.html";
constexpr const char* kSource = "https://arxiv.org/list/cs.LG/new";

const Paper* find_paper(const ParsedListing& listing, std::string_view key) {
  for (const auto& p : listing.papers) {
    if (p.id.key() == key) return &p;
  }
  return nullptr;
}

TEST(ParseListingPage, ReadsADayWithAllThreeSections) {
  ParsedListing day = parse_listing_page(fixture(kDay), kSource);
  ASSERT_TRUE(day.listing_date.has_value());
  EXPECT_EQ(*day.listing_date, Date{year{2026} / 6 / 18});
  ASSERT_TRUE(day.declared_total.has_value());
  EXPECT_EQ(*day.declared_total, 7u);
  EXPECT_EQ(day.feed_title, "Machine Learning (cs.LG)");
  ASSERT_EQ(day.papers.size(), 7u);

  std::vector<std::pair<std::string, AnnounceType>> got;
  for (const auto& p : day.papers) got.emplace_back(p.id.str(), p.announce_type);
  const std::vector<std::pair<std::string, AnnounceType>> want = {
      {"2606.18284", AnnounceType::kNew},          {"2606.18327", AnnounceType::kNew},
      {"2606.18521", AnnounceType::kNew},          {"2606.18514", AnnounceType::kCross},
      {"2606.19004", AnnounceType::kCross},        {"2405.11454", AnnounceType::kReplace},
      {"2005.14124", AnnounceType::kReplaceCross},  // primary cs.SE is not the page's cs.LG
  };
  EXPECT_EQ(got, want);

  const Paper& first = day.papers[0];
  EXPECT_FALSE(first.id.has_version());  // listing pages show version-less ids
  EXPECT_EQ(first.title,
            "Breaking the Solver Bottleneck: Training Task Generators at the Learnable Frontier");
  EXPECT_EQ(first.authors.size(), 7u);
  EXPECT_EQ(first.authors.front(), "Lorenz Wolf");
  EXPECT_EQ(first.categories, (std::vector<std::string>{"cs.LG", "cs.AI", "cs.CL"}));
  EXPECT_NE(first.abstract.find("$10.1\\% \\rightarrow 20.0\\%$"), std::string::npos);

  // A subject name with commas: "Distributed, Parallel, and Cluster Computing (cs.DC)".
  const Paper* dc = find_paper(day, "2606.19004");
  ASSERT_NE(dc, nullptr);
  EXPECT_EQ(dc->primary_category, "cs.DC");
  EXPECT_EQ(dc->categories, (std::vector<std::string>{"cs.DC", "cs.AI", "cs.LG"}));

  const Paper* rep = find_paper(day, "2005.14124");
  ASSERT_NE(rep, nullptr);
  EXPECT_EQ(rep->comments,
            "Accepted by the ACM SIGSOFT International Symposium on Software Testing and "
            "Analysis (ISSTA 2020)");
  EXPECT_EQ(rep->journal_ref,
            "In Proc. ACM SIGSOFT International Symposium on Software Testing and Analysis "
            "(ISSTA 2020), pages 14-26. ACM, 2020");
  EXPECT_TRUE(first.comments.empty());
}

TEST(ParseListingPage, AgreesWithTheRssFeedOfTheSameDay) {
  ParsedListing page = parse_listing_page(fixture(kDay), kSource);
  ParsedListing rss = parse_rss(fixture("rss/cs.LG+cs.AI_2026-06-18.xml"), "rss");
  for (const auto& p : page.papers) {
    const Paper* r = find_paper(rss, p.id.key());
    ASSERT_NE(r, nullptr) << p.id.str();
    EXPECT_EQ(p.title, r->title) << p.id.str();
    EXPECT_EQ(p.authors, r->authors) << p.id.str();
    EXPECT_EQ(p.categories, r->categories) << p.id.str();
    EXPECT_EQ(p.abstract, r->abstract) << p.id.str();
    EXPECT_EQ(p.announce_type, r->announce_type) << p.id.str();
  }
}

TEST(ParseListingPage, NoUpdatesTodayIsAnEmptyDay) {
  ParsedListing day = parse_listing_page(fixture("listing/cs.LG_new_no_updates.html"), kSource);
  EXPECT_TRUE(day.papers.empty());
  EXPECT_FALSE(day.declared_total.has_value());
  ASSERT_TRUE(day.listing_date.has_value());
  EXPECT_EQ(*day.listing_date, Date{year{2026} / 6 / 22});
}

TEST(ParseListingPage, AcceptsTheOlderHeadingWording) {
  // controllers/list_page before 2024: "New submissions for <date> (showing first n of N entries )"
  std::string body = fixture(kDay);
  body = replace_once(body, "<h3>Showing new listings for Thursday, 18 June 2026</h3>", "");
  body = replace_once(body, "New submissions (showing 3 of 3 entries)",
                      "New submissions for Thursday, 18 June 2026 (showing 3 of 3 entries )");
  ParsedListing day = parse_listing_page(body, kSource);
  EXPECT_EQ(day.papers.size(), 7u);
  ASSERT_TRUE(day.listing_date.has_value());
  EXPECT_EQ(*day.listing_date, Date{year{2026} / 6 / 18});
}

TEST(ParseListingPage, PagedViewReportsTheDeclaredTotalForTheCaller) {
  // ?skip=0&show=2 style: the section says "showing first 2 of 3"; the page is consistent, so
  // the parser accepts it and the caller sees declared_total (7) > papers (6).
  std::string body = fixture(kDay);
  body = replace_once(body, "New submissions (showing 3 of 3 entries)",
                      "New submissions (showing first 2 of 3 entries)");
  body = remove_span(body, "<dt>\n      <a name='item3'>", "</dd>");
  ParsedListing day = parse_listing_page(body, kSource);
  EXPECT_EQ(day.papers.size(), 6u);
  EXPECT_EQ(day.declared_total, std::optional<std::size_t>(7));
}

TEST(ParseListingPage, TruncatedPagesAreErrors) {
  const auto errors = testing::truncation_errors(
      fixture(kDay),
      {{"<p class='mathjax'>\n          The limiting resource", "p"},
       {"<div class='list-title mathjax'><span class='descriptor'>Title:</span>", "div"},
       {"(cross-list from cs.RO)", "dt"},
       {"</dl>", "div"},
       {"</body>", "html"}},
      [](const std::string& body) { (void)parse_listing_page(body, kSource); });
  for (const auto& [truncated, e] : errors) {
    const auto last = testing::at(truncated, truncated.size());
    EXPECT_EQ(e.line(), last.line) << e.what();
    EXPECT_EQ(e.column(), last.column) << e.what();
  }
}

TEST(ParseListingPage, BrokenVariantsAreErrorsWithLineAndField) {
  const std::string body = fixture(kDay);
  struct Case {
    std::string name;
    std::string mutated;
    std::string field;
    std::string at_text;  // error position: first occurrence of this text in `mutated`
    std::string message;
  };
  const std::vector<Case> cases = {
      {"bad byte in an abstract",
       replace_once(body, "Language models (LMs)", "Language \xC3 models"), "p", "\xC3",
       "not valid UTF-8"},
      {"entry without an abstract link",
       replace_once(body, "title=\"Abstract\" id=\"2606.18327\"", "id=\"2606.18327\""), "dt",
       "<dt>\n      <a name='item2'>", "no abstract link"},
      {"bad id",
       replace_once(body, "title=\"Abstract\" id=\"2606.18327\"",
                    "title=\"Abstract\" id=\"2606.1832\""),
       "dt", "<a href =\"/abs/2606.18327\" title=\"Abstract\" id=\"2606.1832\"", "'2606.1832'"},
      {"empty title",
       replace_once(body, "Self-CTRL: Self-Consistency Training with Reinforcement Learning\n",
                    "\n"),
       "list-title",
       "<div class='list-title mathjax'><span class='descriptor'>Title:</span>\n          \n",
       "empty title"},
      {"unknown section", replace_once(body, "Cross submissions (", "Other submissions ("), "h3",
       "<h3>Other submissions", "unknown listing section"},
      {"entries but no total",
       remove_span(remove_span(body, "<div class='paging'>", "</div>"), "<div class='paging'>",
                   "</div>"),
       "paging", "<dl id='articles'>", "no 'Total of N entries'"},
  };
  for (const auto& c : cases) {
    auto e = parse_error([&] { parse_listing_page(c.mutated, kSource); });
    ASSERT_TRUE(e) << c.name;
    EXPECT_EQ(e->field(), c.field) << c.name << ": " << e->what();
    EXPECT_EQ(e->source(), kSource);
    EXPECT_NE(std::string(e->what()).find(c.message), std::string::npos)
        << c.name << ": " << e->what();
    auto offset = c.mutated.find(c.at_text);
    ASSERT_NE(offset, std::string::npos) << c.name;
    auto pos = testing::at(c.mutated, offset);
    EXPECT_EQ(e->line(), pos.line) << c.name << ": " << e->what();
    EXPECT_EQ(e->column(), pos.column) << c.name << ": " << e->what();
  }
}

// A readable page whose own counts disagree with its entries is incomplete (exit 7), not
// unreadable (exit 6); the message still points at the count.
TEST(ParseListingPage, CountMismatchesAreIncompleteWithThePosition) {
  const std::string body = fixture(kDay);
  struct Case {
    std::string name;
    std::string mutated;
    std::string at_text;  // position named in the message: first occurrence of this text
    std::string message;
  };
  const std::vector<Case> cases = {
      {"entry missing from a complete page",
       remove_span(body, "<dt>\n      <a name='item2'>", "</dd>"), "<dl id='articles'>",
       "announces 3 entries but the page holds 2"},
      {"total does not match the sections",
       replace_once(body, "Total of 7 entries", "Total of 8 entries"), "<div class='paging'>",
       "'Total of 8 entries' but its sections add up to 7"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto pos = testing::at(c.mutated, c.mutated.find(c.at_text));
    try {
      (void)parse_listing_page(c.mutated, kSource);
      ADD_FAILURE() << "no IncompleteFetchError";
    } catch (const IncompleteFetchError& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind(fmt::format("{}:{}:{}: ", kSource, pos.line, pos.column), 0), 0u)
          << what;
      EXPECT_NE(what.find(c.message), std::string::npos) << what;
    }
  }
}

TEST(ParseListingPage, OtherDocumentsAreNotListingPages) {
  auto rss =
      parse_error([] { parse_listing_page(fixture("rss/cs.LG+cs.AI_2026-06-18.xml"), kSource); });
  ASSERT_TRUE(rss);
  EXPECT_NE(std::string(rss->what()).find("XML document"), std::string::npos) << rss->what();
  const std::string error_page =
      "<!DOCTYPE html><html><head><title>Bad Request</title></head><body><h1>Bad "
      "Request</h1><p>The browser (or proxy) sent a request that this server could not "
      "understand.</p></body></html>\n";
  auto html = parse_error([&] { parse_listing_page(error_page, kSource); });
  ASSERT_TRUE(html);
  EXPECT_EQ(html->field(), "h3");
  EXPECT_NE(std::string(html->what()).find("'Bad Request'"), std::string::npos) << html->what();
}

}  // namespace
}  // namespace arxiv_digest
