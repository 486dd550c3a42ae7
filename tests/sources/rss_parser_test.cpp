#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "sources/parsed_source.hpp"
#include "sources/parser_test_support.hpp"

namespace arxiv_digest {
namespace {

using namespace std::chrono;
using testing::fixture;
using testing::parse_error;
using testing::remove_span;
using testing::replace_once;

constexpr const char* kDay = "rss/cs.LG+cs.AI_2026-06-18.xml";
constexpr const char* kSource = "https://rss.arxiv.org/rss/cs.LG+cs.AI";

const Paper* find_paper(const ParsedListing& listing, std::string_view key) {
  for (const auto& p : listing.papers) {
    if (p.id.key() == key) return &p;
  }
  return nullptr;
}

TEST(ParseRss, ReadsADayOfAnnouncements) {
  const std::string body = fixture(kDay);
  ParsedListing day = parse_rss(body, kSource);

  EXPECT_EQ(day.feed_title, "cs.LG, cs.AI updates on arXiv.org");
  ASSERT_TRUE(day.listing_date.has_value());
  EXPECT_EQ(*day.listing_date, Date{year{2026} / 6 / 18});
  EXPECT_FALSE(day.declared_total.has_value());
  ASSERT_EQ(day.papers.size(), 8u);

  std::vector<std::string> ids;
  for (const auto& p : day.papers) ids.push_back(p.id.str());
  EXPECT_EQ(ids, (std::vector<std::string>{"2606.18284v1", "2606.18327v1", "2606.18521v1",
                                           "2606.18786v1", "2606.18514v1", "2606.19004v1",
                                           "2405.11454v2", "2005.14124v2"}));

  const Paper& first = day.papers[0];
  EXPECT_EQ(first.title,
            "Breaking the Solver Bottleneck: Training Task Generators at the Learnable Frontier");
  ASSERT_EQ(first.authors.size(), 7u);
  EXPECT_EQ(first.authors.front(), "Lorenz Wolf");
  EXPECT_EQ(first.authors[5], "Augustine N. Mavor-Parker");
  EXPECT_EQ(first.authors.back(), "Matthew Daborn-Sargent");
  EXPECT_EQ(first.primary_category, "cs.LG");
  EXPECT_EQ(first.categories, (std::vector<std::string>{"cs.LG", "cs.AI", "cs.CL"}));
  EXPECT_EQ(first.announce_type, AnnounceType::kNew);
  EXPECT_EQ(first.license, "http://arxiv.org/licenses/nonexclusive-distrib/1.0/");
  // The abstract is what follows "Abstract:", TeX verbatim, no "arXiv:... Announce Type" head.
  EXPECT_EQ(first.abstract.rfind("The limiting resource for training agents", 0), 0u);
  EXPECT_NE(first.abstract.find("from $10.1\\% \\rightarrow 20.0\\%$ for a Qwen2.5-3B"),
            std::string::npos);
  EXPECT_EQ(first.abstract.substr(first.abstract.size() - 32), "training of probe and generator.");
  EXPECT_FALSE(first.submitted.has_value());  // RSS dates are announcement dates
  EXPECT_TRUE(first.doi.empty());
  EXPECT_TRUE(first.comments.empty());

  const Paper* cross = find_paper(day, "2606.18514");
  ASSERT_NE(cross, nullptr);
  EXPECT_EQ(cross->announce_type, AnnounceType::kCross);
  EXPECT_EQ(cross->title,
            "N(CO)$^2$: Neural Combinatorial Optimization with Chance Constraints to Solve "
            "Stochastic Orienteering");
  EXPECT_EQ(cross->authors,
            (std::vector<std::string>{"Anas Saeed", "Marcos Abel Zuzuárregui", "Stefano Carpin"}));
  EXPECT_EQ(cross->primary_category, "cs.RO");

  const Paper* replaced = find_paper(day, "2405.11454");
  ASSERT_NE(replaced, nullptr);
  EXPECT_EQ(replaced->announce_type, AnnounceType::kReplace);
  EXPECT_EQ(replaced->id.version(), 2);
  // "&gt;" decoded.
  EXPECT_NE(replaced->abstract.find("and $\\varepsilon>0$, we design"), std::string::npos);

  const Paper* replace_cross = find_paper(day, "2005.14124");
  ASSERT_NE(replace_cross, nullptr);
  EXPECT_EQ(replace_cross->announce_type, AnnounceType::kReplaceCross);
  EXPECT_EQ(replace_cross->doi, "10.1145/3395363.3397376");
  EXPECT_EQ(replace_cross->journal_ref,
            "In Proc. ACM SIGSOFT International Symposium on Software Testing and Analysis "
            "(ISSTA 2020), pages 14-26. ACM, 2020");
  EXPECT_EQ(replace_cross->categories, (std::vector<std::string>{"cs.SE", "cs.CR", "cs.LG"}));

  std::map<AnnounceType, int> per_type;
  for (const auto& p : day.papers) ++per_type[p.announce_type];
  EXPECT_EQ(per_type[AnnounceType::kNew], 4);
  EXPECT_EQ(per_type[AnnounceType::kCross], 2);
  EXPECT_EQ(per_type[AnnounceType::kReplace], 1);
  EXPECT_EQ(per_type[AnnounceType::kReplaceCross], 1);
}

TEST(ParseRss, AgreesWithTheApiOnTheSamePapers) {
  // The replacements in the hand-built feed carry the real API metadata: both parsers must
  // produce the same title, abstract, authors and categories from the two formats.
  ParsedListing rss = parse_rss(fixture(kDay), kSource);
  ParsedApiPage api =
      parse_api_atom(fixture("api/api2026_q_testing_s0_m100_cfe7536492ca_http200.xml"), "api.xml");
  int compared = 0;
  for (const auto& a : api.listing.papers) {
    const Paper* r = find_paper(rss, a.id.key());
    if (r == nullptr) continue;
    ++compared;
    EXPECT_EQ(r->id, a.id);
    EXPECT_EQ(r->title, a.title);
    EXPECT_EQ(r->abstract, a.abstract);
    EXPECT_EQ(r->authors, a.authors);
    EXPECT_EQ(r->categories, a.categories);
    EXPECT_EQ(r->doi, a.doi);
    EXPECT_EQ(r->journal_ref, a.journal_ref);
  }
  EXPECT_EQ(compared, 2);
}

TEST(ParseRss, EmptyChannelIsAQuietDayNotAnError) {
  ParsedListing day = parse_rss(fixture("rss/cs.LG_empty_2026-06-20.xml"), kSource);
  EXPECT_TRUE(day.papers.empty());
  ASSERT_TRUE(day.listing_date.has_value());
  EXPECT_EQ(*day.listing_date, Date{year{2026} / 6 / 20});
  EXPECT_EQ(day.feed_title, "cs.LG updates on arXiv.org");
}

TEST(ParseRss, ReadsTheSpecificationExample) {
  ParsedListing day = parse_rss(fixture("rss/math.OC_spec_example.xml"), "spec");
  ASSERT_EQ(day.papers.size(), 1u);
  const Paper& p = day.papers[0];
  EXPECT_EQ(p.id.str(), "2203.01250v3");
  EXPECT_EQ(p.title, "Mass concentration in rescaled first order integral functionals");
  EXPECT_EQ(p.announce_type, AnnounceType::kReplaceCross);
  EXPECT_EQ(p.authors, (std::vector<std::string>{"Antonin Monteil", "Paul Pegon"}));
  EXPECT_EQ(p.categories, (std::vector<std::string>{"math.AP", "math.OC"}));
  EXPECT_EQ(p.doi, "10.5802/jep.257");
  EXPECT_EQ(p.license, "http://creativecommons.org/licenses/by/4.0/");
  EXPECT_EQ(p.journal_ref,
            "Journal de l'\\'Ecole polytechnique - Math\\'ematiques, Tome 11 (2024), pp. 431-472");
  EXPECT_EQ(p.abstract.rfind("We consider first order local minimization problems of the form "
                             "$\\min \\int_{\\mathbb{R}^N}f(u,\\nabla u)$",
                             0),
            0u);
  EXPECT_EQ(*day.listing_date, Date{year{2024} / 8 / 23});
}

TEST(ParseRss, FeedErrorQuotesArxivsMessage) {
  const std::string body = fixture("rss/cs.XX_feed_error_http400.xml");
  auto e = parse_error([&] { parse_rss(body, "https://rss.arxiv.org/rss/cs.XX"); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field(), "title");
  EXPECT_EQ(e->source(), "https://rss.arxiv.org/rss/cs.XX");
  EXPECT_EQ(e->line(), 4u);
  EXPECT_EQ(e->column(), 5u);
  std::string what = e->what();
  EXPECT_NE(what.find("'Feed error for query: https://rss.arxiv.org/rss/cs.XX'"), std::string::npos)
      << what;
  EXPECT_NE(what.find("Bad subject class 'XX'"), std::string::npos) << what;
}

TEST(ParseRss, HtmlPageInsteadOfFeedIsNamedAsSuch) {
  auto e = parse_error([] { parse_rss(fixture("listing/cs.LG_new_2026-06-18.html"), "x"); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field(), "html");
  EXPECT_NE(std::string(e->what()).find("HTML page"), std::string::npos) << e->what();
  EXPECT_NE(std::string(e->what()).find("Machine Learning"), std::string::npos) << e->what();
}

TEST(ParseRss, AtomDocumentIsNotRss) {
  auto e = parse_error([] {
    parse_rss(fixture("api/api2026_id_1707.08567_s0_m100_6a1afebfc6a3_http200.xml"), "x");
  });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field(), "feed");
  EXPECT_EQ(e->line(), 2u);
}

// Truncating the real feed anywhere must fail, naming the element the cut falls in.
TEST(ParseRss, TruncatedFeedsAreErrorsAtTheCut) {
  const auto errors = testing::truncation_errors(
      fixture(kDay),
      {{"<channel>", "channel"},
       {"Abstract: The limiting resource for training", "description"},
       {"<category>cs.A", "category"},
       {"<dc:creator>Itamar Pres, ", "dc:creator"},
       {"</item>", "channel"},
       {"<item>\n      <tit", "tit"},
       {"  </channel>\n", "rss"}},
      [](const std::string& body) { (void)parse_rss(body, kSource); });
  for (const auto& [truncated, e] : errors)
    EXPECT_EQ(e.line(), testing::at(truncated, truncated.size() - 1).line) << e.what();
}

TEST(ParseRss, BrokenVariantsAreErrorsWithLineAndField) {
  const std::string body = fixture(kDay);
  struct Case {
    std::string name;
    std::string mutated;
    std::string field;
    std::string at_text;  // the error must be reported at the first occurrence of this text
    std::string message;  // substring of what()
  };
  const std::string second_title = "<title>Self-CTRL: Self-Consistency";
  std::vector<Case> cases = {
      {"bad byte in a title", replace_once(body, "Self-CTRL: Self-", "Self-CTRL:\xFF Self-"),
       "title", "\xFF", "not valid UTF-8"},
      {"mismatched end tag", replace_once(body, "Learning</title>", "Learning</titel>"), "title",
       "", "not well-formed"},
      {"missing title", remove_span(body, second_title, "</title>"), "title",
       "<item>\n      \n      <link>https://arxiv.org/abs/2606.18327", "has no <title>"},
      {"empty title",
       replace_once(body,
                    "Self-CTRL: Self-Consistency Training with Reinforcement "
                    "Learning</title>",
                    " \n </title>"),
       "title", "<title> \n </title>", "empty <title>"},
      {"bad guid", replace_once(body, "oai:arXiv.org:2606.18327v1", "oai:arXiv.org:2606.183"),
       "guid", "<guid isPermaLink=\"false\">oai:arXiv.org:2606.183<", "'oai:arXiv.org:2606.183'"},
      {"unknown announce type",
       replace_once(body, "<arxiv:announce_type>cross<", "<arxiv:announce_type>absonly<"),
       "announce_type", "<arxiv:announce_type>absonly", "'absonly'"},
      {"bad channel date",
       replace_once(body, "<pubDate>Thu, 18 Jun 2026 00:00:00 -0400</pubDate>",
                    "<pubDate>Thursday 18th June</pubDate>"),
       "pubDate", "<pubDate>Thursday", "'Thursday 18th June'"},
      {"no channel",
       replace_once(replace_once(body, "<channel>", "<chanel>"), "</channel>", "</chanel>"),
       "channel", "<rss", "no <channel>"},
  };
  // No id anywhere: drop guid, link and the "arXiv:" head of the description of item 2.
  {
    std::string m =
        remove_span(body, "<guid isPermaLink=\"false\">oai:arXiv.org:2606.18327v1", "</guid>");
    m = remove_span(m, "<link>https://arxiv.org/abs/2606.18327", "</link>");
    m = replace_once(m, "arXiv:2606.18327v1 Announce Type: new", "Announce Type: new");
    cases.push_back({"no id", m, "guid", second_title, "no arXiv identifier"});
  }
  for (const auto& c : cases) {
    auto e = parse_error([&] { parse_rss(c.mutated, kSource); });
    ASSERT_TRUE(e) << c.name;
    EXPECT_EQ(e->field(), c.field) << c.name << ": " << e->what();
    EXPECT_EQ(e->source(), kSource) << c.name;
    EXPECT_NE(std::string(e->what()).find(c.message), std::string::npos)
        << c.name << ": " << e->what();
    if (!c.at_text.empty()) {
      auto offset = c.mutated.find(c.at_text);
      ASSERT_NE(offset, std::string::npos) << c.name;
      // "no id"/"missing title" errors point at the <item>; others at the element itself.
      if (c.name == "no id") offset = c.mutated.rfind("<item>", offset);
      if (c.name == "missing title") offset = c.mutated.find("<item>", offset);
      auto pos = testing::at(c.mutated, offset);
      EXPECT_EQ(e->line(), pos.line) << c.name << ": " << e->what();
      EXPECT_EQ(e->column(), pos.column) << c.name << ": " << e->what();
    } else {
      EXPECT_GT(e->line(), 1u) << c.name;
    }
  }
}

TEST(ParseRss, FallsBackToDescriptionAndLinkForTheId) {
  const std::string body = fixture(kDay);
  std::string no_guid =
      remove_span(body, "<guid isPermaLink=\"false\">oai:arXiv.org:2606.18327v1", "</guid>");
  EXPECT_EQ(parse_rss(no_guid, kSource).papers[1].id.str(), "2606.18327v1");
  std::string link_only = replace_once(no_guid, "arXiv:2606.18327v1 Announce", "Announce");
  EXPECT_EQ(parse_rss(link_only, kSource).papers[1].id.str(), "2606.18327");
}

TEST(ParseRss, RejectsEmptyAndOversizedBodies) {
  auto empty = parse_error([] { parse_rss("", "x"); });
  ASSERT_TRUE(empty);
  EXPECT_NE(std::string(empty->what()).find("empty"), std::string::npos);
  std::string huge(kMaxSourceBytes + 1, ' ');
  auto big = parse_error([&] { parse_rss(huge, "x"); });
  ASSERT_TRUE(big);
  EXPECT_NE(std::string(big->what()).find("limit"), std::string::npos) << big->what();
}

}  // namespace
}  // namespace arxiv_digest
