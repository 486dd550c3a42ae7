#include "core/arxiv_id.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "core/error.hpp"

namespace arxiv_digest {
namespace {

struct GoodCase {
  const char* input;
  const char* canonical;
  const char* key;
  int version;
  bool old_style;
};

TEST(ArxivId, ParsesEveryRealShape) {
  const GoodCase cases[] = {
      {"2606.18284", "2606.18284", "2606.18284", 0, false},
      {"2606.18284v1", "2606.18284v1", "2606.18284", 1, false},
      {"0704.0001", "0704.0001", "0704.0001", 0, false},
      {"1412.9999v12", "1412.9999v12", "1412.9999", 12, false},
      {"arXiv:2104.12255v1", "2104.12255v1", "2104.12255", 1, false},
      {"  ARXIV:1707.08567 ", "1707.08567", "1707.08567", 0, false},
      {"hep-th/9901001", "hep-th/9901001", "hep-th/9901001", 0, true},
      {"math.GT/0309136", "math.GT/0309136", "math.GT/0309136", 0, true},
      {"quant-ph/0201082v1", "quant-ph/0201082v1", "quant-ph/0201082", 1, true},
      {"astro-ph/0601001", "astro-ph/0601001", "astro-ph/0601001", 0, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    ArxivId id = ArxivId::parse(c.input);
    EXPECT_EQ(id.str(), c.canonical);
    EXPECT_EQ(id.key(), c.key);
    EXPECT_EQ(id.version(), c.version);
    EXPECT_EQ(id.old_style(), c.old_style);
  }
}

TEST(ArxivId, RejectsJunkAndSaysWhy) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "empty"},
      {"abc", "expected YYMM.NNNNN"},
      {"2613.00001", "month 13"},
      {"0703.0001", "April 2007"},
      {"2606.1828", "5 digits"},
      {"1401.12345", "4 digits"},
      {"2606.18284v0", "v1"},
      {"HEP-TH/9901001", "lower-case"},
      {"math.gt/0309136", "two upper-case"},
      {"hep-th/99010", "7 digits"},
      {"hep-th/0801001", "March 2007"},
      {"2606.00000", "does not exist"},
      {"0000.0000", "month 00"},
  };
  for (const auto& [input, reason] : cases) {
    SCOPED_TRACE(input);
    try {
      (void)ArxivId::parse(input);
      ADD_FAILURE() << "accepted junk";
    } catch (const ParseError& e) {
      EXPECT_NE(std::string(e.what()).find(reason), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(input), std::string::npos) << e.what();
    }
  }
}

TEST(ArxivId, OrdersChronologicallyAndByNumber) {
  std::vector<ArxivId> ids = {ArxivId::parse("2606.19341"), ArxivId::parse("2606.18284v2"),
                              ArxivId::parse("0704.0001"), ArxivId::parse("hep-th/9901001"),
                              ArxivId::parse("2606.18284v1"), ArxivId::parse("1501.00001"),
                              ArxivId::parse("1412.9999")};
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> got;
  for (const auto& id : ids) got.push_back(id.str());
  EXPECT_EQ(got, (std::vector<std::string>{"hep-th/9901001", "0704.0001", "1412.9999",
                                           "1501.00001", "2606.18284v1", "2606.18284v2",
                                           "2606.19341"}));
  EXPECT_EQ(ArxivId::parse("2606.18284v3").key(), ArxivId::parse("2606.18284").key());
  EXPECT_NE(ArxivId::parse("2606.18284v3"), ArxivId::parse("2606.18284"));
  EXPECT_EQ(ArxivId::parse("2606.18284v3").with_version(0), ArxivId::parse("2606.18284"));
}

}  // namespace
}  // namespace arxiv_digest
