#include "config/toml_section.hpp"

#include <gtest/gtest.h>

#include <array>
#include <functional>

#include "core/error.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

TomlDocument parse(std::string_view text) { return TomlDocument(text, "test.toml", "/base"); }

// The ConfigError message of `action`, or "no error".
std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

// The message of reading `text`'s [t] table with `read`.
std::string error_in_t(std::string_view text, const std::function<void(const TomlSection&)>& read) {
  const TomlDocument doc = parse(text);
  return error_of([&] { read(*doc.root().table("t")); });
}

constexpr std::array<std::string_view, 3> kColours = {"red", "green", "blue"};

TEST(TomlSection, ReadsEveryTypeAndAbsentKeysAreNullopt) {
  testing::EnvVar home("HOME", "/home/me");
  const TomlDocument doc = parse(R"(
[t]
s = "text"
b = true
i = 42
f = 0.5
n = 3
list = ["a", "b"]
colour = "green"
colours = ["red", "blue", "red"]
relative = "data/../archive.sqlite"
absolute = "/var/lib/x"
home = "~/digests"
headers = { X-Title = "arxiv-digest", Accept = "text/plain" }
)");
  const TomlSection t = *doc.root().table("t");
  EXPECT_EQ(t.label(), "[t]");
  EXPECT_EQ(t.string("s"), "text");
  EXPECT_EQ(t.non_empty_string("s"), "text");
  EXPECT_EQ(t.boolean("b"), true);
  const std::optional<int> i = t.integer("i", 0, 100);
  EXPECT_EQ(i, 42);
  EXPECT_EQ(t.integer<std::size_t>("i", 1, 100), 42u);
  EXPECT_EQ(t.number("f", 0, 1), 0.5);
  EXPECT_EQ(t.number("n"), 3.0);  // an integer is a number too
  const auto list = t.string_list("list");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].value, "b");
  EXPECT_EQ((*list)[1].where.line, 8u);
  EXPECT_EQ((*list)[1].where.column, 14u);
  EXPECT_EQ(t.one_of("colour", kColours), "green");
  EXPECT_EQ(t.one_of_list("colours", kColours), (std::vector<std::string>{"red", "blue", "red"}));
  EXPECT_EQ(t.path("relative"), std::filesystem::path("/base/archive.sqlite"));
  EXPECT_EQ(t.path("absolute"), std::filesystem::path("/var/lib/x"));
  EXPECT_EQ(t.path("home"), std::filesystem::path("/home/me/digests"));
  const auto headers = t.string_table("headers");
  ASSERT_TRUE(headers);
  ASSERT_EQ(headers->size(), 2u);
  EXPECT_EQ((*headers)[0].key, "X-Title");  // the file's order
  EXPECT_EQ((*headers)[0].value, "arxiv-digest");
  EXPECT_EQ((*headers)[0].key_at.line, 14u);

  EXPECT_EQ(t.string("missing"), std::nullopt);
  EXPECT_EQ(t.boolean("missing"), std::nullopt);
  EXPECT_EQ(t.integer("missing", 0, 1), std::nullopt);
  EXPECT_EQ(t.number("missing"), std::nullopt);
  EXPECT_EQ(t.string_list("missing"), std::nullopt);
  EXPECT_EQ(t.path("missing"), std::nullopt);
  EXPECT_FALSE(t.table("missing"));
  EXPECT_TRUE(t.array_of_tables("missing").empty());
  EXPECT_EQ(t.position("missing").line, t.position().line);
  EXPECT_NO_THROW(t.reject_unknown_keys());  // every key was asked for
}

TEST(TomlSection, BadValuesNameFileLineColumnSectionKeyAndValue) {
  struct Case {
    std::string_view toml;
    std::function<void(const TomlSection&)> read;
    std::string_view message;
  };
  const Case cases[] = {
      {"[t]\nk = 1\n", [](auto& t) { (void)t.string("k"); },
       "test.toml:2:5: [t] 'k' must be a string"},
      {"[t]\nk = \"  \"\n", [](auto& t) { (void)t.non_empty_string("k"); },
       "test.toml:2:5: [t] 'k' must not be empty"},
      {"[t]\nk = \"yes\"\n", [](auto& t) { (void)t.boolean("k"); },
       "test.toml:2:5: [t] 'k' must be true or false"},
      {"[t]\nk = 1.5\n", [](auto& t) { (void)t.integer("k", 0, 10); },
       "test.toml:2:5: [t] 'k' must be an integer"},
      {"[t]\nk = 99\n", [](auto& t) { (void)t.integer("k", 0, 10); },
       "test.toml:2:5: [t] 'k' = 99 is out of range (0..10)"},
      {"[t]\nk = \"1\"\n", [](auto& t) { (void)t.number("k"); },
       "test.toml:2:5: [t] 'k' must be a number"},
      {"[t]\nk = 2.5\n", [](auto& t) { (void)t.number("k", 0, 2); },
       "test.toml:2:5: [t] 'k' = 2.5 is out of range (0..2)"},
      {"[t]\nk = -1\n", [](auto& t) { (void)t.number("k", 0); },
       "test.toml:2:5: [t] 'k' = -1 is out of range (at least 0)"},
      {"[t]\nk = nan\n", [](auto& t) { (void)t.number("k"); },
       "test.toml:2:5: [t] 'k' = nan is not a finite number"},
      {"[t]\nk = inf\n", [](auto& t) { (void)t.number("k", 0, 1e9); },
       "test.toml:2:5: [t] 'k' = inf is not a finite number"},
      {"[t]\nk = \"a\"\n", [](auto& t) { (void)t.string_list("k"); },
       "test.toml:2:5: [t] 'k' must be an array of strings"},
      {"[t]\nk = [\"a\", 2]\n", [](auto& t) { (void)t.string_list("k"); },
       "test.toml:2:11: [t] 'k' must contain only strings"},
      {"[t]\nk = \"gren\"\n", [](auto& t) { (void)t.one_of("k", kColours); },
       "test.toml:2:5: [t] 'k' = 'gren' is not one of: red, green, blue; did you mean 'green'?"},
      {"[t]\nk = \"purple\"\n", [](auto& t) { (void)t.one_of("k", kColours); },
       "test.toml:2:5: [t] 'k' = 'purple' is not one of: red, green, blue"},
      {"[t]\nk = [\"red\", \"Blue\"]\n", [](auto& t) { (void)t.one_of_list("k", kColours); },
       "test.toml:2:13: [t] 'k' = 'Blue' is not one of: red, green, blue; did you mean 'blue'?"},
      {"[t]\nk = \"\"\n", [](auto& t) { (void)t.path("k"); },
       "test.toml:2:5: [t] 'k' must not be empty"},
      {"[t]\nk = [1]\n", [](auto& t) { (void)t.string_table("k"); },
       "test.toml:2:5: [t] 'k' must be a table of strings"},
      {"[t]\nk = { A = 1 }\n", [](auto& t) { (void)t.string_table("k"); },
       "test.toml:2:11: [t] 'k.A' must be a string"},
      {"[t]\nk = 1\n", [](auto& t) { (void)t.table("k"); },
       "test.toml:2:5: [t] 'k' must be a table ([t.k])"},
      {"[t]\nk = [1, 2]\n", [](auto& t) { (void)t.array_of_tables("k"); },
       "test.toml:2:5: [t] 'k' must be an array of tables ([[t.k]])"},
      {"[t]\nother = 1\n", [](auto& t) { t.require("k", "k = 3"); },
       "test.toml:1:1: [t] 'k' is required, e.g. k = 3"},
      {"[t]\nsecret = \"x\"\n", [](auto& t) { t.forbid("secret", "not here"); },
       "test.toml:2:10: [t] not here"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.toml));
    EXPECT_EQ(error_in_t(c.toml, c.read), c.message);
  }
}

TEST(TomlSection, UnknownKeysAreRejectedFromOnePlaceWithASuggestion) {
  // The first unknown key in file order; the suggestion comes from the keys asked for.
  EXPECT_EQ(error_in_t("[t]\ncolour = \"red\"\nsise = 3\nother = 1\n",
                       [](const TomlSection& t) {
                         (void)t.string("colour");
                         (void)t.integer("size", 0, 10);
                         t.reject_unknown_keys();
                       }),
            "test.toml:3:1: [t] unknown key 'sise'; did you mean 'size'?");
  // Nothing close: the valid keys, in the order they were asked for.
  EXPECT_EQ(error_in_t("[t]\nzzzzzz = 1\n",
                       [](const TomlSection& t) {
                         (void)t.string("colour");
                         (void)t.has("size");
                         t.reject_unknown_keys();
                       }),
            "test.toml:2:1: [t] unknown key 'zzzzzz' (valid keys: colour, size)");
  // allow() declares keys another reader handles; forbid() never makes a key known.
  EXPECT_EQ(error_in_t("[t]\nlater = 1\napi_ky = 1\n",
                       [](const TomlSection& t) {
                         t.allow({"later"});
                         t.forbid("api_key", "never in the file");
                         t.reject_unknown_keys();
                       }),
            "test.toml:3:1: [t] unknown key 'api_ky' (valid keys: later)");
  // Top level, and the entries of an array of tables.
  const TomlDocument doc = parse("[outptu]\n[[topics]]\nname = \"x\"\n[[topics]]\nnmae = \"y\"\n");
  const TomlSection root = doc.root();
  const auto topics = root.array_of_tables("topics");
  ASSERT_EQ(topics.size(), 2u);
  EXPECT_EQ(topics[1].label(), "[[topics]]");
  for (const TomlSection& topic : topics) (void)topic.string("name");
  EXPECT_NO_THROW(topics[0].reject_unknown_keys());
  EXPECT_EQ(error_of([&] { topics[1].reject_unknown_keys(); }),
            "test.toml:5:1: [[topics]] unknown key 'nmae'; did you mean 'name'?");
  (void)root.table("output");
  EXPECT_EQ(error_of([&] { root.reject_unknown_keys(); }),
            "test.toml:1:2: unknown key 'outptu' at the top level; did you mean 'output'?");
}

TEST(TomlSection, TheSameTableSharesItsKnownKeys) {
  const TomlDocument doc = parse("[a]\nx = 1\ny = 2\n[a.b]\nz = 3\n");
  (void)doc.root().table("a")->integer("x", 0, 9);
  const TomlSection a = *doc.root().table("a");
  (void)a.integer("y", 0, 9);
  const TomlSection b = *a.table("b");
  EXPECT_EQ(b.label(), "[a.b]");
  EXPECT_EQ(error_of([&] { b.reject_unknown_keys(); }),
            "test.toml:5:1: [a.b] unknown key 'z' (no keys are valid here)");
  EXPECT_NO_THROW(a.reject_unknown_keys());
}

TEST(TomlSection, PathsExpandHomeAndFailWithoutIt) {
  const TomlDocument doc = parse("[t]\np = \"~/x\"\nq = \"~\"\n");
  const TomlSection t = *doc.root().table("t");
  {
    testing::EnvVar home("HOME", "/h");
    EXPECT_EQ(t.path("p"), std::filesystem::path("/h/x"));
    EXPECT_EQ(t.path("q"), std::filesystem::path("/h"));
  }
  testing::EnvVar no_home("HOME", std::nullopt);
  EXPECT_EQ(error_of([&] { (void)t.path("p"); }),
            "test.toml:2:5: [t] '~/x': cannot expand '~', HOME is not set");
}

TEST(TomlDocument, UnreadableTextIsAConfigErrorWithItsPosition) {
  EXPECT_EQ(error_of([] { (void)parse("a = 1\nb = \"x\xff\"\n"); }),
            "test.toml:2:7: the file is not valid UTF-8");
  const std::string syntax = error_of([] { (void)parse("[t\nk = 1\n"); });
  EXPECT_EQ(syntax.rfind("test.toml:1:", 0), 0u) << syntax;
  EXPECT_NE(error_of([] { (void)parse("k = 1\nk = 2\n"); }).find("test.toml:2:"),
            std::string::npos);
  EXPECT_EQ(error_of([] { (void)parse(""); }), "no error");
}

TEST(TomlDocument, FailuresWithoutAPositionNameTheFile) {
  const TomlDocument doc = parse("");
  EXPECT_EQ(error_of([&] { doc.root().fail(TomlPosition{}, "something"); }),
            "test.toml: something");
}

}  // namespace
}  // namespace arxiv_digest
