// Builds against the installed maillage package: generates a territory,
// ranks one need, and checks the answer is sensible.
#include <iostream>

#include "maillage/maillage.h"

int main() {
  maillage::SynthOptions options;
  options.territories = {"rouen"};
  absl::StatusOr<maillage::Network> net = maillage::Generate(options);
  if (!net.ok()) {
    std::cerr << net.status() << "\n";
    return 1;
  }
  absl::StatusOr<maillage::Ranker> ranker = maillage::Ranker::Create(*net);
  if (!ranker.ok() || net->needs().empty()) return 1;
  std::vector<maillage::Option> top = ranker->Rank(maillage::NeedId(0), 3);
  for (const maillage::Option& o : top) {
    if (o.score < 0 || o.score > 1) return 1;
  }
  std::cout << "consumer: " << net->persons().size() << " people, "
            << top.size() << " options\n";
  return net->persons().size() == 111 ? 0 : 1;
}
