#include "cli/init_command.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "cli/app.hpp"
#include "cli/config.hpp"
#include "cli/online_check.hpp"
#include "core/calendar.hpp"
#include "core/error.hpp"
#include "core/taxonomy.hpp"
#include "core/text.hpp"
#include "deliver/email_message.hpp"
#include "match/topic_selector.hpp"
#include "net/smtp_client.hpp"

#ifndef ARXIV_DIGEST_VERSION
#define ARXIV_DIGEST_VERSION "0.0.0"
#endif

namespace arxiv_digest {
namespace {

// An answer (or a flag) init cannot use, or no answer at all: a usage error, nothing written.
class Refused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Checks one answer: nullopt when it is usable, else what is wrong (shown, then asked again).
using Check = std::function<std::optional<std::string>(const std::string&)>;

std::optional<std::string> any(const std::string&) { return std::nullopt; }

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  std::string current;
  for (const char c : text) {
    if (c == ',' || c == ' ' || c == '\t') {
      if (!current.empty()) items.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) items.push_back(std::move(current));
  return items;
}

bool is_known_category_or_archive(std::string_view code) {
  if (find_category(code)) return true;
  const auto categories = all_categories();
  return std::any_of(categories.begin(), categories.end(), [code](const CategoryInfo& c) {
    return c.code.size() > code.size() && c.code.starts_with(code) && c.code[code.size()] == '.';
  });
}

// "cs.LG (Machine Learning)" for a category, the archive's first category's prefix for an archive.
std::string with_name(std::string_view code) {
  if (const auto info = find_category(code)) return fmt::format("{} ({})", code, info->name);
  return fmt::format("{} (every {}.* category)", code, code);
}

// The active categories whose code starts with `prefix`, one per line, for "cs?" answers.
std::string list_categories(std::string_view prefix) {
  std::string list;
  for (const CategoryInfo& c : all_categories())
    if (c.active && c.code.starts_with(prefix)) list += fmt::format("    {:<18} {}\n", c.code, c.name);
  if (list.empty()) return fmt::format("no arXiv category starts with '{}'", prefix);
  return "categories:\n" + list.substr(0, list.size() - 1);
}

std::optional<std::string> check_categories(const std::string& answer) {
  if (answer.ends_with('?')) return list_categories(std::string_view(answer).substr(0, answer.size() - 1));
  const std::vector<std::string> codes = split_list(answer);
  if (codes.empty()) return "name at least one category, e.g. cs.LG (type cs? to list cs.*)";
  for (const std::string& code : codes) {
    if (is_known_category_or_archive(code)) continue;
    const std::string hint = suggest_category(code);
    return hint.empty()
               ? fmt::format("unknown arXiv category '{}' (type cs? to list cs.*)", code)
               : fmt::format("unknown arXiv category '{}'; did you mean {}?", code, with_name(hint));
  }
  return std::nullopt;
}

std::optional<std::string> check_topic(const std::string& name) {
  if (trim(name).empty()) return "a topic needs a name";
  try {
    Topic topic;
    topic.name = name;
    topic.query = name;  // as the reader makes it of a topic without a query
    check_topic_queries({topic});
  } catch (const ConfigError& e) {
    return e.what();
  }
  return std::nullopt;
}

std::optional<std::string> check_provider(const std::string& answer) {
  for (const char* p : {"openai", "deepl", "libretranslate", "none"})
    if (answer == p) return std::nullopt;
  return fmt::format("'{}': expected openai, deepl, libretranslate or none", answer);
}

bool is_variable_name(std::string_view name) {
  if (name.empty() || (std::isdigit(static_cast<unsigned char>(name.front())) != 0)) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  });
}

std::optional<std::string> check_variable(const std::string& answer) {
  if (answer == "none" || is_variable_name(answer)) return std::nullopt;
  return fmt::format("'{}' is not an environment variable name (letters, digits, _; or none). "
                     "Name the variable, never paste the key itself",
                     answer);
}

std::optional<std::string> check_address_or_none(const std::string& answer) {
  if (answer == "none" || is_plain_address(answer)) return std::nullopt;
  return fmt::format("'{}' is not an e-mail address (or none)", answer);
}

std::optional<std::string> check_smtp_url(const std::string& answer) {
  try {
    (void)parse_smtp_url(answer);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return std::nullopt;
}

std::optional<std::string> check_formats(const std::string& answer) {
  const std::vector<std::string> names = split_list(answer);
  if (names.empty()) return "name at least one format";
  for (const std::string& name : names)
    if (std::find(known_formats().begin(), known_formats().end(), name) == known_formats().end())
      return fmt::format("unknown format '{}' (valid: text, markdown, json, html, atom)", name);
  return std::nullopt;
}

std::optional<std::string> check_timezone(const std::string& answer) {
  if (is_known_time_zone(answer)) return std::nullopt;
  return fmt::format("'{}' is not a time zone of the tz database (e.g. Asia/Shanghai, "
                     "Europe/Berlin, UTC)",
                     answer);
}

// Asks on `out`, reads from `in`; or, when not asking, takes flags and defaults.
class Asker {
 public:
  Asker(std::istream& in, std::ostream& out, bool asking) : in_(in), out_(out), asking_(asking) {}
  bool asking() const { return asking_; }

  // `flag` (named `flag_name`) when given, else the answer, else `fallback`. An empty result is
  // refused when `required`.
  std::string ask(std::string_view question, std::string_view flag_name, const std::string& flag,
                  const std::string& fallback, const Check& check, bool required = true) {
    if (!flag.empty()) {
      if (auto problem = check(flag)) throw Refused(fmt::format("{}: {}", flag_name, *problem));
      return flag;
    }
    if (!asking_) {
      if (fallback.empty() && required) throw Refused(fmt::format("{} is required with --yes", flag_name));
      return fallback;
    }
    for (;;) {
      out_ << question;
      if (!fallback.empty()) out_ << " [" << fallback << "]";
      out_ << ": " << std::flush;
      std::string line;
      if (!std::getline(in_, line))
        throw Refused(fmt::format("no answer to \"{}\" (end of input; or pass {})", question, flag_name));
      std::string answer(trim(line));
      if (answer.empty()) answer = fallback;
      if (answer.empty()) {
        if (!required) return answer;
        out_ << "  an answer is needed\n";
        continue;
      }
      if (auto problem = check(answer)) {
        out_ << "  " << *problem << "\n";
        continue;
      }
      return answer;
    }
  }

  // Answers until an empty line (at least one).
  std::vector<std::string> ask_many(std::string_view question, const Check& check) {
    std::vector<std::string> answers;
    for (;;) {
      std::string answer = ask(answers.empty() ? question : std::string_view("Another topic (empty line: done)"),
                               "--topic", "", "", check, answers.empty());
      if (answer.empty()) return answers;
      answers.push_back(std::move(answer));
    }
  }

  // A yes/no question; no answer (the end of the input) is no.
  bool confirm(std::string_view question) {
    if (!asking_) return false;
    try {
      const std::string answer = ask(question, "--check-key", "", "n", [](const std::string& a) {
        return a == "y" || a == "n" || a == "yes" || a == "no"
                   ? std::nullopt
                   : std::optional<std::string>("answer y or n");
      });
      return answer.starts_with('y');
    } catch (const Refused&) {
      return false;
    }
  }

 private:
  std::istream& in_;
  std::ostream& out_;
  bool asking_;
};

struct Answers {
  std::vector<std::string> categories;
  std::vector<std::string> topics;
  TranslateConfig translate;
  std::string email;  // "" = no [email]
  std::string smtp_url;
  std::string from;
  std::string user_env;
  std::string password_env;
  std::string out_dir;  // "" = the default
  std::vector<std::string> formats;
  std::string timezone;
};

std::string default_key_env(const std::string& provider) {
  if (provider == "openai") return "OPENAI_API_KEY";
  if (provider == "deepl") return "DEEPL_AUTH_KEY";
  return "none";
}

Answers gather(const InitOptions& o, Asker& asker, std::ostream& out) {
  Answers a;
  if (asker.asking())
    out << "arxiv-digest init: a few questions (Enter takes the [default]).\n"
           "Categories: arXiv codes such as cs.LG, or an archive such as cs; type cs? to list.\n";
  a.categories = split_list(
      asker.ask("Categories (comma-separated)", "--categories", o.categories, "", check_categories));
  for (const std::string& code : a.categories) out << "  " << with_name(code) << "\n";

  for (const std::string& topic : o.topics)
    if (auto problem = check_topic(topic)) throw Refused(fmt::format("--topic '{}': {}", topic, *problem));
  a.topics = o.topics;
  if (a.topics.empty()) {
    if (!asker.asking()) throw Refused("at least one --topic is required with --yes");
    a.topics = asker.ask_many("Topic (words or a query, see README \"Topic queries\")", check_topic);
  }

  TranslateConfig& t = a.translate;
  t.provider = asker.ask("Translation (openai, deepl, libretranslate, none)", "--translate",
                         o.translate, "none", check_provider);
  if (t.provider != "none") {
    if (t.provider == "openai")
      t.model = asker.ask("Model", "--model", o.model, "gpt-4o-mini", any);
    const std::string base = asker.ask("Server URL (Enter: the provider's public one)", "--base-url",
                                       o.base_url, "", any, false);
    t.base_url = base;
    const std::string key = asker.ask(
        "Environment variable holding the API key (the key is never written to the file)",
        "--key-env", o.key_env, default_key_env(t.provider), check_variable);
    t.api_key_env = key == "none" ? "" : key;
    if (t.provider == "deepl" && t.api_key_env.empty())
      throw Refused("--key-env: DeepL needs a key: name the variable holding it");
  }

  a.out_dir = asker.ask("Output folder (Enter: ~/.local/share/arxiv-digest/digests)", "--out",
                        o.out_dir, "", any, false);
  a.formats = split_list(asker.ask("Formats (text, markdown, json, html, atom)", "--formats",
                                   o.formats, "text,markdown,json", check_formats));
  a.timezone = asker.ask("Your time zone, for the digest's header", "--timezone", o.timezone,
                         "Asia/Shanghai", check_timezone);

  const std::string email = asker.ask("E-mail the digest to (an address, or none)", "--email",
                                      o.email, "none", check_address_or_none);
  if (email != "none") {
    a.email = email;
    a.smtp_url = asker.ask("SMTP server (smtp://host:587 with STARTTLS, smtps://host:465)",
                           "--smtp-url", o.smtp_url, "smtp://localhost:25", check_smtp_url);
    a.from = asker.ask("From address", "--from", o.from, email, [](const std::string& v) {
      return is_plain_address(v) ? std::nullopt
                                 : std::optional<std::string>(
                                       fmt::format("'{}' is not an e-mail address", v));
    });
    const std::string user = asker.ask("Environment variable holding the SMTP user name (or none)",
                                       "--smtp-user-env", o.smtp_user_env, "none", check_variable);
    if (user != "none") {
      a.user_env = user;
      a.password_env = asker.ask("Environment variable holding the SMTP password",
                                 "--smtp-password-env", o.smtp_password_env, "SMTP_PASSWORD",
                                 [](const std::string& v) {
                                   return v == "none" ? std::optional<std::string>("a password variable is needed with a user name")
                                                      : check_variable(v);
                                 });
    }
  }
  return a;
}

// A TOML basic string.
std::string toml_string(std::string_view text) {
  std::string q = "\"";
  for (const char c : text) {
    switch (c) {
      case '"': q += "\\\""; break;
      case '\\': q += "\\\\"; break;
      case '\n': q += "\\n"; break;
      case '\t': q += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          q += fmt::format("\\u{:04X}", static_cast<unsigned char>(c));
        } else {
          q += c;
        }
    }
  }
  return q + "\"";
}

std::string toml_list(const std::vector<std::string>& items) {
  std::vector<std::string> q;
  for (const auto& item : items) q.push_back(toml_string(item));
  return fmt::format("[{}]", fmt::join(q, ", "));
}

bool is_local_host(const std::string& smtp_url) {
  const std::string host = parse_smtp_url(smtp_url).host;
  return host == "localhost" || host == "127.0.0.1" || host == "[::1]";
}

std::string render(const Answers& a) {
  std::string t;
  t += fmt::format(
      "# arxiv-digest configuration, written by `arxiv-digest init` ({}).\n"
      "# Every key is described in README.md, \"Configuration reference\". Check the file with\n"
      "# `arxiv-digest config check` (add --online to reach arXiv, the translator and the mail\n"
      "# server once). Secrets never go in this file: it names the environment variables.\n\n",
      ARXIV_DIGEST_VERSION);
  t += "[arxiv]\n# The categories whose announcements are read:\n";
  for (const auto& code : a.categories) t += fmt::format("#   {}\n", with_name(code));
  t += fmt::format("categories = {}\n", toml_list(a.categories));
  t += "# Which entries to keep: new, cross, replace, replace-cross.\n"
       "announce_types = [\"new\", \"cross\"]\n"
       "# \"rss\" (rebuilt around midnight ET), \"listing\" (the pages, at 20:00 ET, count-checked)\n"
       "# or \"api\" (past dates).\nsource = \"rss\"\n"
       "# arXiv asks automated clients for a way to reach their operator (sent in the User-Agent).\n";
  t += a.email.empty() ? "# contact = \"you@example.org\"\n"
                       : fmt::format("contact = {}\n", toml_string(a.email));

  t += "\n# One [[topics]] block per topic. Without a `query` the name is the query: its words in\n"
       "# titles and abstracts (plurals too), \"a phrase\" in quotes, OR, -word, ti:, au:, ... (README\n"
       "# \"Topic queries\"). `examples = [\"<arXiv id>\", ...]` selects papers like yours instead.\n";
  for (const auto& topic : a.topics) t += fmt::format("[[topics]]\nname = {}\n\n", toml_string(topic));

  t += "[output]\n# Where <listing-date>.<ext> files go.\n";
  t += a.out_dir.empty() ? "# dir = \"~/.local/share/arxiv-digest/digests\"\n"
                         : fmt::format("dir = {}\n", toml_string(a.out_dir));
  t += fmt::format("# Any of text, markdown, json, html, atom.\nformats = {}\n", toml_list(a.formats));
  t += fmt::format("# The reader's time zone, for the digest's header.\ntimezone = {}\n\n",
                   toml_string(a.timezone));

  const TranslateConfig& tr = a.translate;
  t += "[translate]\n# openai (any OpenAI-compatible server), deepl, libretranslate, or none.\n";
  t += fmt::format("provider = {}\n", toml_string(tr.provider));
  if (tr.provider == "none") {
    t += "# model = \"deepseek-chat\"\n# base_url = \"https://api.deepseek.com\"\n"
         "# api_key_env = \"DEEPSEEK_API_KEY\"\n";
  } else {
    if (!tr.model.empty()) t += fmt::format("model = {}\n", toml_string(tr.model));
    t += tr.base_url.empty() ? "# base_url = \"\"  # the provider's public server\n"
                             : fmt::format("base_url = {}\n", toml_string(tr.base_url));
    t += tr.api_key_env.empty()
             ? "# api_key_env = \"\"  # no key is sent\n"
             : fmt::format("# Export the key in this variable; the key itself is never written "
                           "here.\napi_key_env = {}\n",
                           toml_string(tr.api_key_env));
    t += "# zh-CN, or zh-TW (converted with OpenCC).\ntarget = \"zh-CN\"\n";
  }

  if (!a.email.empty()) {
    const bool local = is_local_host(a.smtp_url);
    t += "\n[email]\n";
    t += fmt::format("smtp_url = {}\n", toml_string(a.smtp_url));
    t += fmt::format("from = {}\n", toml_string(a.from));
    t += fmt::format("to = {}\n", toml_list({a.email}));
    if (!a.smtp_url.starts_with("smtps"))
      t += local ? "# A local relay: no TLS needed. Set true for a server elsewhere.\nstarttls = false\n"
                 : "# Refuse to send unless the session upgrades to TLS.\nstarttls = true\n";
    if (!a.user_env.empty()) {
      t += "# The credentials are read from these environment variables, never from this file.\n";
      t += fmt::format("username_env = {}\npassword_env = {}\n", toml_string(a.user_env),
                       toml_string(a.password_env));
    }
  }
  return t;
}

// Writes `text` to `path` through a temporary file in the same folder and a rename: `path` is
// either the whole new file or untouched.
void write_whole(const std::filesystem::path& path, const std::string& text) {
  std::error_code ec;
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec)
      throw OutputError(fmt::format("{}: cannot create the folder: {}", path.parent_path().string(),
                                    ec.message()));
  }
  const std::filesystem::path temporary = path.string() + fmt::format(".init-{}.tmp", ::getpid());
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    file << text;
    file.flush();
    if (!file) {
      std::filesystem::remove(temporary, ec);
      throw OutputError(fmt::format("{}: cannot write", temporary.string()));
    }
  }
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw OutputError(fmt::format("{}: cannot write: {}", path.string(), ec.message()));
  }
}

}  // namespace

CLI::App* add_init_command(CLI::App& app, InitOptions& o) {
  CLI::App* cmd = app.add_subcommand("init", "Write a first configuration file (asks, or takes flags)");
  cmd->add_option("-c,--config", o.config_path,
                  "Where to write it (default: $XDG_CONFIG_HOME/arxiv-digest/config.toml)");
  cmd->add_option("--categories", o.categories, "Categories, comma-separated: cs.LG,cs.AI");
  cmd->add_option("--topic", o.topics, "A topic (repeatable)");
  cmd->add_option("--translate", o.translate, "openai, deepl, libretranslate or none");
  cmd->add_option("--model", o.model, "The model (openai; default gpt-4o-mini)");
  cmd->add_option("--base-url", o.base_url, "The translation server (default: the provider's)");
  cmd->add_option("--key-env", o.key_env,
                  "The variable holding the translation key (default OPENAI_API_KEY, "
                  "DEEPL_AUTH_KEY; none for no key)");
  cmd->add_flag("--check-key", o.check_key, "Check the key with one tiny translation request");
  cmd->add_option("--out", o.out_dir, "Output folder (default: $XDG_DATA_HOME/arxiv-digest/digests)");
  cmd->add_option("--formats", o.formats, "Output formats, comma-separated (default text,markdown,json)");
  cmd->add_option("--timezone", o.timezone, "Your time zone (default Asia/Shanghai)");
  cmd->add_option("--email", o.email, "Send the digest to this address ([email] block)");
  cmd->add_option("--smtp-url", o.smtp_url, "SMTP server (default smtp://localhost:25)");
  cmd->add_option("--from", o.from, "From address (default: --email)");
  cmd->add_option("--smtp-user-env", o.smtp_user_env, "The variable holding the SMTP user name");
  cmd->add_option("--smtp-password-env", o.smtp_password_env,
                  "The variable holding the SMTP password (default SMTP_PASSWORD)");
  cmd->add_flag("-y,--yes", o.yes, "Ask nothing: flags and defaults (--categories, --topic needed)");
  cmd->add_flag("--force", o.force, "Replace an existing file");
  cmd->footer(
      "Without --yes every setting no flag gave is asked for, one answer per line from standard\n"
      "input (a terminal or a pipe). Exit: 0 written, 2 a refused answer or an existing file\n"
      "without --force (nothing written), 10 written but the --check-key request failed.");
  return cmd;
}

int command_init(const InitOptions& options, std::istream& in, std::ostream& out,
                 std::ostream& err) {
  const std::filesystem::path path =
      options.config_path.empty() ? default_config_path() : std::filesystem::path(options.config_path);
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && !options.force) {
    err << fmt::format("arxiv-digest: error: {} already exists; pass --force to replace it, or "
                       "--config PATH to write elsewhere\n",
                       path.string());
    return kExitUsage;
  }
  InitOptions given = options;
  // A relative --out is meant from here, not from the configuration file's folder.
  if (!given.out_dir.empty() && !given.out_dir.starts_with('~'))
    given.out_dir = std::filesystem::absolute(given.out_dir).lexically_normal().string();

  Asker asker(in, out, !options.yes);
  Answers answers;
  try {
    answers = gather(given, asker, out);
  } catch (const Refused& e) {
    err << "arxiv-digest: error: " << e.what() << "\n";
    return kExitUsage;
  }
  const std::string text = render(answers);
  // The real reader, before anything is written (a bug here must not leave a broken file).
  const Config parsed = parse_config(text, path.string(), path.parent_path());
  check_topic_queries(parsed.topics);

  bool check = options.check_key;
  if (!check && answers.translate.provider != "none" && !answers.translate.api_key_env.empty())
    check = asker.confirm("Check the key now with one tiny translation request? (y/n)");

  write_whole(path, text);
  (void)load_config(path);  // read back from the disk, as `run` will
  out << fmt::format("wrote {}\n", path.string());
  int code = kExitOk;
  if (check && answers.translate.provider != "none") {
    const ProbeResult probe = probe_translator(parsed.translate, fmt::format("arxiv-digest/{}", ARXIV_DIGEST_VERSION));
    out << fmt::format("{}: {}\n", probe.endpoint, describe(probe));
    if (!probe.ok) code = kExitTranslation;
  }
  out << fmt::format("next: arxiv-digest config check{}, then arxiv-digest run --stdout\n",
                     options.config_path.empty() ? std::string() : " --config " + path.string());
  return code;
}

}  // namespace arxiv_digest
