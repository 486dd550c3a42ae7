#include "store/archive.hpp"

namespace arxiv_digest {
namespace {

// Archive::begin_bulk_load()'s default: nothing deferred, each batch saved on its own.
class BatchByBatchLoad final : public BulkLoad {
 public:
  explicit BatchByBatchLoad(Archive& archive) : archive_(archive) {}
  void save_papers(const std::vector<Paper>& papers, std::chrono::sys_seconds fetched_at) override {
    archive_.save_papers(papers, fetched_at);
  }
  void finish() override {}

 private:
  Archive& archive_;
};

}  // namespace

std::unique_ptr<BulkLoad> Archive::begin_bulk_load(std::uint64_t /*expected_papers*/) {
  return std::make_unique<BatchByBatchLoad>(*this);
}

}  // namespace arxiv_digest
