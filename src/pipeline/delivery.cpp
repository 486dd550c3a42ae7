#include "pipeline/delivery.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "core/crash_point.hpp"
#include "core/error.hpp"
#include "core/hash.hpp"

namespace arxiv_digest {

std::string_view to_string(DeliveryState state) noexcept {
  switch (state) {
    case DeliveryState::kSent:
      return "sent";
    case DeliveryState::kAlreadySent:
      return "already sent";
    case DeliveryState::kFailed:
      return "failed";
    case DeliveryState::kSkippedEmpty:
      return "skipped (no paper)";
  }
  return "sent";
}

std::string digest_identity(const RenderedSet& set) {
  std::string hashes;
  for (const RenderedFile& file : set.files) {
    hashes += std::string(to_string(file.format));
    hashes += ':';
    hashes += file.sha256;
    hashes += '\n';
  }
  return sha256_hex(hashes);
}

namespace {

// The log around one send: skip what was sent, record what happens, return the outcome.
template <typename Send>
DeliveryOutcome logged(DigestSink& channel, Date listing_date, std::string identity,
                       std::size_t paper_count, Archive& archive, const std::string& audience,
                       Env& env, bool resend, Send&& send) {
  DeliveryOutcome outcome;
  outcome.audience = audience;
  outcome.channel = channel.name();
  const std::optional<DeliveryRecord> earlier =
      archive.find_delivery(listing_date, audience, outcome.channel);
  if (earlier && earlier->status == DeliveryStatus::kSent && !resend) {
    outcome.state = DeliveryState::kAlreadySent;
    outcome.detail = fmt::format("{} (at {:%Y-%m-%d %H:%M:%S} UTC)", earlier->detail, earlier->at);
    outcome.attempts = earlier->attempts;
    return outcome;
  }

  DeliveryRecord record;
  record.listing_date = listing_date;
  record.audience = audience;
  record.channel = outcome.channel;
  record.attempts = (earlier ? earlier->attempts : 0) + 1;
  record.digest_sha256 = std::move(identity);
  record.paper_count = paper_count;
  try {
    crash_point("deliver");
    const std::vector<Publication> done = send();
    crash_point("deliver");  // test seam: sent, not yet logged (see the file comment)
    std::string targets;
    for (const Publication& p : done) {
      if (!targets.empty()) targets += ", ";
      targets += p.target;
    }
    record.status = DeliveryStatus::kSent;
    record.detail = targets;
    outcome.state = DeliveryState::kSent;
  } catch (const StoreError&) {
    throw;
  } catch (const std::exception& e) {
    record.status = DeliveryStatus::kFailed;
    record.detail = e.what();
    outcome.state = DeliveryState::kFailed;
    outcome.error = std::current_exception();
  }
  record.at = env.now();
  archive.record_delivery(record);
  outcome.detail = record.detail;
  outcome.attempts = record.attempts;
  return outcome;
}

}  // namespace

DeliveryOutcome deliver_logged(DigestSink& channel, const Digest& digest, const RenderedSet& set,
                               Archive& archive, const std::string& audience, Env& env,
                               bool resend) {
  return logged(channel, digest.listing_date, digest_identity(set), digest.papers.size(), archive,
                audience, env, resend, [&] { return channel.publish(digest, set); });
}

DeliveryOutcome deliver_notice_logged(DigestSink& channel, const Notice& notice, Archive& archive,
                                      const std::string& audience, Env& env, bool resend) {
  return logged(channel, notice.listing_date, sha256_hex(notice.title + "\n" + notice.text), 0,
                archive, audience, env, resend, [&] { return channel.publish_notice(notice); });
}

}  // namespace arxiv_digest
