#include "sources/parse_util.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace arxiv_digest::parse_detail {
namespace {

using namespace std::chrono;

sys_seconds utc(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  return sys_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm} + seconds{ss};
}

TEST(ParseRfc822, ReadsArxivChannelDatesAsWrittenAndAsInstants) {
  struct Case {
    std::string text;
    Date date;
    sys_seconds instant;
  };
  const std::vector<Case> cases = {
      // Channel pubDate of the spec (EST) and of a summer day (EDT).
      {"Fri, 23 Feb 2024 00:00:00 -0500", year{2024} / 2 / 23, utc(2024, 2, 23, 5, 0, 0)},
      {"Thu, 18 Jun 2026 00:00:00 -0400", year{2026} / 6 / 18, utc(2026, 6, 18, 4, 0, 0)},
      // lastBuildDate of the spec, in UTC.
      {"Fri, 23 Feb 2024 05:00:11 +0000", year{2024} / 2 / 23, utc(2024, 2, 23, 5, 0, 11)},
      {"  3 Jan 2025 20:00 EST ", year{2025} / 1 / 3, utc(2025, 1, 4, 1, 0, 0)},
      {"Mon, 01 Jul 2024 12:30:00 GMT", year{2024} / 7 / 1, utc(2024, 7, 1, 12, 30, 0)},
  };
  for (const auto& c : cases) {
    auto got = parse_rfc822(c.text);
    ASSERT_TRUE(got.has_value()) << c.text;
    EXPECT_EQ(got->local_date, c.date) << c.text;
    EXPECT_EQ(got->instant, c.instant) << c.text;
  }
}

TEST(ParseRfc822, RejectsMalformedDates) {
  for (const char* bad : {"", "Thu 18 Jun 2026 00:00:00 -0400", "Thu, 31 Jun 2026 00:00:00 -0400",
                          "Thu, 18 Jum 2026 00:00:00 -0400", "Thu, 18 Jun 2026 25:00:00 -0400",
                          "Thu, 18 Jun 2026 00:00:00 XYZ", "2026-06-18T00:00:00Z",
                          "Thu, 18 Jun 2026 00:00:00 -0400 trailing"}) {
    EXPECT_FALSE(parse_rfc822(bad).has_value()) << bad;
  }
}

TEST(ParseRfc3339, ReadsBothApiLayouts) {
  // 2026 layout (Z) and the 2016 feed <updated> with an offset.
  auto a = parse_rfc3339("2017-07-27T08:18:33Z");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->instant, utc(2017, 7, 27, 8, 18, 33));
  auto b = parse_rfc3339("2016-10-09T00:00:00-04:00");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->local_date, year{2016} / 10 / 9);
  EXPECT_EQ(b->instant, utc(2016, 10, 9, 4, 0, 0));
  auto c = parse_rfc3339("2026-04-12T22:09:26.123456Z");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->instant, utc(2026, 4, 12, 22, 9, 26));
  for (const char* bad :
       {"", "2017-07-27", "2017-13-01T00:00:00Z", "2017-02-30T00:00:00Z", "2017-07-27T08:18:33",
        "2017-07-27T08:18:33+5", "x2017-07-27T08:18:33Z"}) {
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
  }
}

TEST(ParseLongDate, ReadsListingHeadings) {
  EXPECT_EQ(parse_long_date("Thursday, 18 June 2026"), Date{year{2026} / 6 / 18});
  EXPECT_EQ(parse_long_date("Tuesday, 25 February 2025"), Date{year{2025} / 2 / 25});
  EXPECT_EQ(parse_long_date("1 Sep 2026"), Date{year{2026} / 9 / 1});
  EXPECT_FALSE(parse_long_date("Thursday, 31 June 2026"));
  EXPECT_FALSE(parse_long_date("Thursday 18 Juno 2026"));
  EXPECT_FALSE(parse_long_date(""));
}

TEST(IsArxivCategory, KeepsArxivCodesDropsAcmAndMsc) {
  for (const char* good : {"cs.LG", "hep-th", "quant-ph", "cond-mat.str-el", "math.GT", "astro-ph",
                           "q-bio.NC", "physics.data-an", "cs", "stat.ML", "cond-mat.stat-mech"}) {
    EXPECT_TRUE(is_arxiv_category(good)) << good;
  }
  for (const char* bad : {"68T05", "I.2.6", "F.2.2; G.2.1", "", ".LG", "cs.", "cs.LG ", "CS.LG",
                          "35Q30", "cs.L5", "math.GT/0309136"}) {
    EXPECT_FALSE(is_arxiv_category(bad)) << bad;
  }
}

TEST(SplitAuthors, HandlesCommasAndAffiliationsAndAnd) {
  struct Case {
    std::string line;
    std::vector<std::string> names;
  };
  const std::vector<Case> cases = {
      // The RSS specification's example.
      {"Antonin Monteil, Paul Pegon", {"Antonin Monteil", "Paul Pegon"}},
      // arxiv-feed appends affiliations in parentheses; names from the API fixture
      // api2026_id_astro-ph_0601001 (affiliations there: Ohio State, CfA).
      {"Andrew Gould (Ohio State), Susan Dorsher (Ohio State), B. Scott Gaudi (CfA, Harvard)",
       {"Andrew Gould", "Susan Dorsher", "B. Scott Gaudi"}},
      {"Yuqi Chen, Bohan Xuan, and Christopher M. Poskitt",
       {"Yuqi Chen", "Bohan Xuan", "Christopher M. Poskitt"}},
      {"Jun Sun and Fan Zhang", {"Jun Sun", "Fan Zhang"}},
      {"Marcos Abel Zuzuárregui", {"Marcos Abel Zuzuárregui"}},
      {"  Anas  Saeed ,\n Stefano Carpin ,", {"Anas Saeed", "Stefano Carpin"}},
      {"Alexander Anderson", {"Alexander Anderson"}},  // "and" inside a word is not a join
      {"", {}},
  };
  for (const auto& c : cases) EXPECT_EQ(split_authors(c.line), c.names) << c.line;
}

TEST(OpenElementAt, NamesTheInnermostOpenElement) {
  const std::string xml =
      "<?xml version='1.0'?>\n<rss><channel><!-- <x> --><item><title>T</title>"
      "<description><![CDATA[<b>]]>abc";
  EXPECT_EQ(open_element_at(xml, xml.size()), "description");
  EXPECT_EQ(open_element_at(xml, xml.find("T</title>")), "title");
  EXPECT_EQ(open_element_at(xml, xml.find("<description")), "item");
  EXPECT_EQ(open_element_at(xml, xml.find("<item") + 3), "item");  // inside the tag itself
  EXPECT_EQ(open_element_at(xml, 0), "");
  const std::string html = "<html><body><br><img src='x>y'><p class=\"a\">text";
  EXPECT_EQ(open_element_at(html, html.size()), "p");
}

TEST(CheckBody, RejectsEmptyOversizedAndNonUtf8) {
  EXPECT_THROW(check_body("", "s", "feed"), ParseError);
  EXPECT_THROW(check_body(" \n ", "s", "feed"), ParseError);
  EXPECT_NO_THROW(check_body("<a>ü</a>", "s", "feed"));
  try {
    check_body("<a>\n<b>ok\xFF</b></a>", "file.xml", "feed");
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.source(), "file.xml");
    EXPECT_EQ(e.line(), 2u);
    EXPECT_EQ(e.column(), 6u);
    EXPECT_EQ(e.field(), "b");
    EXPECT_NE(std::string(e.what()).find("0xFF"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace arxiv_digest::parse_detail
