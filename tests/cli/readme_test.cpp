// The README's tables are a contract: every row of the commands, configuration keys and exit
// codes tables is checked against the binary and the configuration reader, in both directions
// (nothing documented that does not exist, nothing that exists left undocumented).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "cli/config.hpp"
#include "core/error.hpp"
#include "support/process.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;

std::string readme() {
  return testing::read_file(fs::path(ARXIV_DIGEST_SOURCE_DIR) / "README.md");
}

// The rows of the table whose header line is `header`, each split into its cells.
std::vector<std::vector<std::string>> table_rows(const std::string& text, const std::string& header) {
  std::vector<std::vector<std::string>> rows;
  std::size_t at = text.find("\n" + header + "\n");
  EXPECT_NE(at, std::string::npos) << "README table missing: " << header;
  if (at == std::string::npos) return rows;
  at = text.find('\n', at + 1);        // end of the header line
  at = text.find('\n', at + 1);        // end of the |---| line
  while (at != std::string::npos && text.compare(at + 1, 1, "|") == 0) {
    const std::size_t end = text.find('\n', at + 1);
    const std::string line = text.substr(at + 1, end - at - 1);
    std::vector<std::string> cells;
    std::string cell;
    bool in_code = false;
    for (std::size_t i = 1; i < line.size(); ++i) {
      const char c = line[i];
      if (c == '`') in_code = !in_code;
      if (c == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
        cell += '|';
        ++i;
      } else if (c == '|' && !in_code) {
        cells.push_back(cell);
        cell.clear();
      } else {
        cell += c;
      }
    }
    rows.push_back(cells);
    at = end;
  }
  return rows;
}

// `arxiv-digest completions list`: command path -> its option names.
std::map<std::string, std::set<std::string>> binary_commands() {
  const auto listing = testing::run_process(ARXIV_DIGEST_BINARY, {"completions", "list"});
  EXPECT_EQ(listing.exit_code, 0) << listing.err;
  std::map<std::string, std::set<std::string>> commands;
  std::istringstream lines(listing.out);
  for (std::string line; std::getline(lines, line);) {
    const std::size_t tab = line.find('\t');
    std::set<std::string>& names = commands[line.substr(0, tab)];
    std::istringstream words(line.substr(tab + 1));
    for (std::string word; words >> word;) names.insert(word);
  }
  return commands;
}

TEST(Readme, CommandsTableMatchesTheBinary) {
  const auto commands = binary_commands();
  std::set<std::string> documented;
  const std::regex flag(R"((^|[\s\[|(])(--[a-z][a-z0-9-]*))");
  for (const auto& row : table_rows(readme(), "| command | what it does |")) {
    ASSERT_GE(row.size(), 2u);
    const std::string& usage = row[0];
    // `arxiv-digest config check [--config FILE]` -> "config check"
    std::istringstream words(usage.substr(usage.find("arxiv-digest") + 12));
    std::string path;
    for (std::string word; words >> word;) {
      if (word.empty() || !std::islower(static_cast<unsigned char>(word[0]))) break;
      if (word.back() == '`') word.pop_back();
      path += (path.empty() ? "" : " ") + word;
      if (commands.count(path) && !commands.count(path + " ")) {
        // keep going only while a longer command path exists
        bool longer = false;
        for (const auto& [name, options] : commands)
          if (name.starts_with(path + " ")) longer = true;
        if (!longer) break;
      }
    }
    ASSERT_TRUE(commands.count(path)) << "README documents a command the binary lacks: " << usage;
    documented.insert(path);
    for (auto it = std::sregex_iterator(usage.begin(), usage.end(), flag);
         it != std::sregex_iterator(); ++it)
      EXPECT_TRUE(commands.at(path).count((*it)[2].str()))
          << "README documents " << (*it)[2].str() << " for '" << path << "', the binary has no such option";
  }
  for (const auto& [path, options] : commands) {
    if (path == "-") continue;
    bool has_children = false;
    for (const auto& [other, unused] : commands)
      if (other.starts_with(path + " ")) has_children = true;
    if (has_children) continue;  // "config": its subcommands have the rows
    EXPECT_TRUE(documented.count(path)) << "command '" << path << "' has no row in the README's commands table";
  }
}

TEST(Readme, ExitCodesTableMatchesTheProgram) {
  std::set<int> documented;
  for (const auto& row : table_rows(readme(), "| code | meaning |"))
    documented.insert(std::stoi(row.at(0)));
  const std::set<int> codes = {kExitOk,          kExitInternal,  kExitUsage,  kExitConfig,
                               kExitNoAnnouncement, kExitNetwork, kExitBadData, kExitIncomplete,
                               kExitStore,       kExitOutput,    kExitTranslation, kExitDelivery};
  EXPECT_EQ(documented, codes);
  // --help's footer lists each code too.
  const auto help = testing::run_process(ARXIV_DIGEST_BINARY, {"--help"});
  for (const int code : codes)
    EXPECT_NE(help.out.find(std::to_string(code) + " "), std::string::npos) << code;
}

// Minimal valid content of each configuration table, so that an unknown key is the only error.
const std::map<std::string, std::string>& minimal_tables() {
  static const std::map<std::string, std::string> tables = {
      {"[arxiv]", "categories = [\"cs.LG\"]\n"},
      {"[[topics]]", "name = \"t\"\n"},
      {"[email]", "smtp_url = \"smtp://127.0.0.1:2525\"\nfrom = \"a@example.org\"\n"},
      {"[[webhooks]]", "name = \"w\"\nkind = \"generic\"\nurl = \"http://127.0.0.1:1/\"\n"},
      {"[[subscribers]]", "name = \"s\"\n"},
  };
  return tables;
}

// The keys the configuration reader accepts in `table` (its "valid keys" list for a bogus key).
std::set<std::string> accepted_keys(const std::string& table) {
  const auto& minimal = minimal_tables();
  std::string text;
  if (table != "[arxiv]") text += "[arxiv]\n" + minimal.at("[arxiv]");
  if (table != "[[topics]]") text += "[[topics]]\n" + minimal.at("[[topics]]");
  text += table + "\n";
  if (const auto it = minimal.find(table); it != minimal.end()) text += it->second;
  text += "zzzz_not_a_key = 1\n";
  std::set<std::string> keys;
  try {
    (void)parse_config(text, "contract.toml", fs::path(ARXIV_DIGEST_SOURCE_DIR));
    ADD_FAILURE() << table << ": an unknown key was accepted";
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    const std::string marker = "(valid keys: ";
    const std::size_t at = message.find(marker);
    EXPECT_NE(at, std::string::npos) << table << ": " << message;
    if (at == std::string::npos) return keys;
    std::istringstream list(message.substr(at + marker.size(), message.find(')', at) - at - marker.size()));
    for (std::string key; std::getline(list, key, ',');) {
      key.erase(0, key.find_first_not_of(' '));
      keys.insert(key);
    }
  }
  return keys;
}

TEST(Readme, ConfigurationKeysTableMatchesTheReader) {
  // "[arxiv]" -> {"categories", ...} from rows like `[arxiv] categories` or
  // `[translate] price_input_per_million`, `price_output_per_million`.
  std::map<std::string, std::set<std::string>> documented;
  for (const auto& row : table_rows(readme(), "| key | default | meaning |")) {
    std::string section;
    const std::regex code("`([^`]+)`");
    const std::string& cell = row.at(0);
    for (auto it = std::sregex_iterator(cell.begin(), cell.end(), code); it != std::sregex_iterator(); ++it) {
      std::string text = (*it)[1].str();
      if (text.starts_with("[")) {
        const std::size_t space = text.rfind("] ");
        section = text.substr(0, space + 1);
        text = text.substr(space + 2);
      }
      ASSERT_FALSE(section.empty()) << cell;
      documented[section].insert(text);
    }
  }
  ASSERT_GE(documented.size(), 5u);
  for (const auto& [section, keys] : documented)
    EXPECT_EQ(keys, accepted_keys(section)) << section << ": README rows vs the keys the reader accepts";
}

}  // namespace
}  // namespace arxiv_digest
