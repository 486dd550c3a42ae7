// Helpers shared by the parser tests: fixture loading, body surgery, ParseError capture.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest::testing {

inline std::string fixture(std::string_view relative) { return read_file(data_path(relative)); }

// `body` with the first occurrence of `from` replaced by `to`; fails the test if absent.
inline std::string replace_once(std::string body, std::string_view from, std::string_view to) {
  auto at = body.find(from);
  if (at == std::string::npos) {
    ADD_FAILURE() << "fixture does not contain '" << from << "'";
    return body;
  }
  body.replace(at, from.size(), to);
  return body;
}

// `body` with the text from the first `begin` through the following `end` (inclusive) removed.
inline std::string remove_span(std::string body, std::string_view begin, std::string_view end) {
  auto a = body.find(begin);
  auto b = a == std::string::npos ? a : body.find(end, a);
  if (b == std::string::npos) {
    ADD_FAILURE() << "fixture does not contain '" << begin << "'...'" << end << "'";
    return body;
  }
  body.erase(a, b + end.size() - a);
  return body;
}

// Runs `parse` and returns the ParseError it throws (nullopt + test failure if none).
inline std::optional<ParseError> parse_error(const std::function<void()>& parse) {
  try {
    parse();
  } catch (const ParseError& e) {
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected ParseError, got another exception: " << e.what();
    return std::nullopt;
  }
  ADD_FAILURE() << "expected ParseError, parse succeeded";
  return std::nullopt;
}

// Line/column of byte `offset` (what the parsers must report for an error there).
inline TextPosition at(std::string_view body, std::size_t offset) {
  return position_of(body, offset);
}

// A truncation test: the body ends right after the first occurrence of `after`, and the parser
// must report a ParseError naming `field`.
struct TruncationCut {
  std::string after;
  std::string field;
};
struct TruncationError {
  std::string truncated;  // the body as cut
  ParseError error;
};

// Parses `body` cut at each of `cuts` with `parse`; checks that each cut throws a ParseError for
// the cut's field whose message says "truncated", and returns the errors for position checks.
inline std::vector<TruncationError> truncation_errors(
    const std::string& body, const std::vector<TruncationCut>& cuts,
    const std::function<void(const std::string&)>& parse) {
  std::vector<TruncationError> errors;
  for (const TruncationCut& cut : cuts) {
    const auto end = body.find(cut.after);
    if (end == std::string::npos) {
      ADD_FAILURE() << "fixture does not contain '" << cut.after << "'";
      continue;
    }
    std::string truncated = body.substr(0, end + cut.after.size());
    auto e = parse_error([&] { parse(truncated); });
    if (!e) continue;
    EXPECT_EQ(e->field(), cut.field) << cut.after << ": " << e->what();
    EXPECT_NE(std::string(e->what()).find("truncated"), std::string::npos) << e->what();
    errors.push_back({std::move(truncated), *e});
  }
  EXPECT_EQ(errors.size(), cuts.size());
  return errors;
}

}  // namespace arxiv_digest::testing
