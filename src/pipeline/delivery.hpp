// Deliveries: sending a digest through a channel (an email recipient, a webhook) at most once
// per listing date, audience and channel, as the archive's delivery log remembers.
//
// A channel is a DigestSink. What makes it a delivery rather than an output is the log: before
// sending, the log is read; a channel already 'sent' for that day and audience is skipped (unless
// `resend`); after the channel returns, 'sent' is recorded (with the attempt count); when it
// throws, 'failed' is recorded with the error's message (channels never put secrets in
// messages) and the failure is returned, not thrown, so the caller goes on with the other
// channels. The next run of the day retries exactly the channels not recorded as sent.
//
// Crash semantics: the log is written after the channel returns. A process killed between the
// two sends again on the next run: delivery is at-least-once. Email deduplicates it (the
// Message-ID is stable per digest and recipient), the generic webhook carries a stable
// idempotency key (deliver/webhook_sink.hpp), the chat services cannot (see the README).
#pragma once

#include <exception>
#include <string>
#include <vector>

#include "core/env.hpp"
#include "core/topic.hpp"
#include "pipeline/sink.hpp"
#include "store/archive.hpp"

namespace arxiv_digest {

enum class DeliveryState {
  kSent,          // sent now
  kAlreadySent,   // the log says it was sent earlier; nothing sent
  kFailed,        // the channel failed; recorded as failed
  kSkippedEmpty,  // the audience's digest had no paper and it asked for silence
};
std::string_view to_string(DeliveryState state) noexcept;

struct DeliveryOutcome {
  std::string audience;
  std::string channel;  // DigestSink::name()
  DeliveryState state = DeliveryState::kSent;
  std::string detail;   // targets when sent (or earlier sent), the error message when failed
  int attempts = 0;     // attempts recorded so far for this day, audience and channel
  std::exception_ptr error;  // kFailed only
};

// An identity of what `set` carries: SHA-256 over its files' hashes in order.
std::string digest_identity(const RenderedSet& set);

// Sends `set` (rendered from `digest`) through `channel` for `audience`, as the file comment
// describes. Throws only StoreError (the log could not be read or written): a channel's own
// failure is an outcome.
DeliveryOutcome deliver_logged(DigestSink& channel, const Digest& digest, const RenderedSet& set,
                               Archive& archive, const std::string& audience, Env& env,
                               bool resend);

// The same for a notice (a day without an announcement): logged under the same key, so a
// re-run of that day sends the notice once.
DeliveryOutcome deliver_notice_logged(DigestSink& channel, const Notice& notice, Archive& archive,
                                      const std::string& audience, Env& env, bool resend);

}  // namespace arxiv_digest
