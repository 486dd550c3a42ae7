#include "core/taxonomy.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

TEST(AllCategories, SortedUniqueAndComplete) {
  const auto all = all_categories();
  // data/arxiv_category_def.json: 184 categories, 162 of them active.
  EXPECT_EQ(all.size(), 184u);
  EXPECT_EQ(std::ranges::count_if(all, [](const CategoryInfo& c) { return c.active; }), 162);
  EXPECT_TRUE(std::ranges::is_sorted(all, {}, &CategoryInfo::code));
  EXPECT_EQ(std::ranges::adjacent_find(all, {}, &CategoryInfo::code), all.end());
  for (const CategoryInfo& c : all) {
    SCOPED_TRACE(c.code);
    EXPECT_FALSE(c.name.empty());
    ASSERT_TRUE(find_category(c.code).has_value());
    EXPECT_EQ(find_category(c.code)->name, c.name);
  }
}

TEST(FindCategory, CurrentNamesOfTheSeedsCategories) {
  const std::pair<const char*, const char*> cases[] = {
      {"cs.LG", "Machine Learning"},
      {"cs.AI", "Artificial Intelligence"},
      {"cs.CL", "Computation and Language"},
      {"cs.CV", "Computer Vision and Pattern Recognition"},
      {"cs.RO", "Robotics"},
      {"cs.DC", "Distributed, Parallel, and Cluster Computing"},
      {"cs.SD", "Sound"},
      {"stat.ML", "Machine Learning"},
      {"math.IT", "Information Theory"},
      {"hep-th", "High Energy Physics - Theory"},
      {"astro-ph.CO", "Cosmology and Nongalactic Astrophysics"},
  };
  for (const auto& [code, name] : cases) {
    SCOPED_TRACE(code);
    const auto info = find_category(code);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->code, code);
    EXPECT_EQ(info->name, name);
    EXPECT_TRUE(info->active);
  }
}

TEST(FindCategory, RetiredUnknownAndCaseSensitive) {
  const auto retired = find_category("acc-phys");
  ASSERT_TRUE(retired.has_value());
  EXPECT_EQ(retired->name, "Accelerator Physics");
  EXPECT_FALSE(retired->active);
  for (const char* unknown : {"cs.lg", "CS.LG", "cs.XX", "cs", "", "cs.LG ", "zzz"}) {
    SCOPED_TRACE(unknown);
    EXPECT_FALSE(find_category(unknown).has_value());
  }
  // First and last in code order (edges of the binary search).
  EXPECT_TRUE(find_category(all_categories().front().code).has_value());
  EXPECT_TRUE(find_category(all_categories().back().code).has_value());
}

TEST(SubjectLabel, NameThenCodeOrJustTheCode) {
  EXPECT_EQ(subject_label("cs.LG"), "Machine Learning (cs.LG)");
  EXPECT_EQ(subject_label("cs.DC"), "Distributed, Parallel, and Cluster Computing (cs.DC)");
  EXPECT_EQ(subject_label("acc-phys"), "Accelerator Physics (acc-phys)");
  EXPECT_EQ(subject_label("cs.XX"), "cs.XX");
  EXPECT_EQ(subject_label("cs.lg"), "cs.lg");
  EXPECT_EQ(subject_label(""), "");
}

TEST(SuggestCategory, ClosestCodeOrNothing) {
  const std::pair<const char*, const char*> cases[] = {
      {"cs.lg", "cs.LG"},
      {"CS.LG", "cs.LG"},
      {"cs.LG", "cs.LG"},
      {"cs.LGG", "cs.LG"},
      {"cs.Ai", "cs.AI"},
      {"STAT.ML", "stat.ML"},
      {"hepth", "hep-th"},
      {"quantph", "quant-ph"},
      {"physics.optic", "physics.optics"},
      {"mathAG", "math.AG"},
      {"zzz", ""},
      {"", ""},
      {"x", ""},
      {"cs", ""},     // three away from every cs.* code
      {"cs.XX", ""},  // two away from dozens of cs.* codes: no arbitrary pick
      {"cs.L", ""},   // one away from cs.CL, cs.DL, cs.FL, ...: ambiguous
      {"machine learning", ""},
  };
  for (const auto& [input, expected] : cases) {
    SCOPED_TRACE(input);
    EXPECT_EQ(suggest_category(input), expected);
  }
}

// Every "Name (code)" on the reference digest's subject lines is exactly subject_label(code).
TEST(SeedDigest, EverySubjectLabelMatchesTheTaxonomy) {
  const std::string seed = testing::read_file(testing::data_path("seed/seed-2026-06-18.txt"));
  ASSERT_FALSE(seed.empty());
  std::istringstream lines(seed);
  const std::regex label(R"(^(.+) \(([a-z-]+(?:\.[A-Za-z-]+)?)\)$)");
  std::set<std::string> codes;
  int subject_lines = 0;
  bool next_is_subjects = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("- Subjects:", 0) == 0) {
      next_is_subjects = true;
      continue;
    }
    if (!next_is_subjects) continue;
    next_is_subjects = false;
    ++subject_lines;
    std::size_t start = 0;
    while (start <= line.size()) {
      const std::size_t end = std::min(line.find("; ", start), line.size());
      const std::string part = line.substr(start, end - start);
      std::smatch m;
      ASSERT_TRUE(std::regex_match(part, m, label)) << part;
      EXPECT_EQ(subject_label(m[2].str()), part);
      codes.insert(m[2].str());
      start = end + 2;
    }
  }
  EXPECT_EQ(subject_lines, 30);  // "今天共有 30 篇相关文章"
  EXPECT_EQ(codes,
            (std::set<std::string>{"cs.AI", "cs.CL", "cs.CV", "cs.DC", "cs.LG", "cs.RO", "cs.SD"}));
}

// Every category term in a real arXiv API response resolves.
TEST(ApiFixture, EveryCategoryTermResolves) {
  const std::string feed = testing::read_file(
      testing::data_path("core/api2026_q_testing_s20_m10_348a237fecab_http200.xml"));
  const std::regex term(R"re(<(?:arxiv:primary_category|category) term="([^"]+)")re");
  std::set<std::string> codes;
  for (auto it = std::sregex_iterator(feed.begin(), feed.end(), term); it != std::sregex_iterator();
       ++it) {
    codes.insert((*it)[1].str());
  }
  EXPECT_EQ(codes.size(), 12u);
  for (const std::string& code : codes) {
    SCOPED_TRACE(code);
    EXPECT_TRUE(find_category(code).has_value());
    EXPECT_NE(subject_label(code), code);
  }
}

}  // namespace
}  // namespace arxiv_digest
