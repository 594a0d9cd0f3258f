// kiln gen criteo: synthetic Criteo-format click logs.
#include <cstdio>

#include "cli/command.h"
#include "kiln/gen/criteo_writer.h"

namespace kiln::cli {

namespace {

struct GenCriteoFlags {
  int64_t rows = 1000000;
  uint64_t seed = 0;
  std::string out;
};

Status RunGenCriteo(const GenCriteoFlags& flags) {
  CriteoOptions options;
  options.rows = flags.rows;
  options.seed = flags.seed;
  options.show_progress = true;
  auto summary = WriteCriteoTsv(flags.out, options);
  if (!summary.ok()) return summary.status();
  std::printf("wrote %s: %lld rows, %.1f MB, positive rate %.4f, bayes_auc %.4f (meta: %s)\n", flags.out.c_str(),
              static_cast<long long>(summary->rows), summary->bytes / 1e6, summary->positive_rate,
              summary->bayes_auc, CriteoMetaPath(flags.out).c_str());
  return Status::OK();
}

}  // namespace

void AddGenCommand(CLI::App* app, Action* action) {
  CLI::App* gen = app->add_subcommand("gen", "Generate synthetic datasets");
  gen->require_subcommand(1);
  CLI::App* criteo = gen->add_subcommand(
      "criteo", "Criteo-format click logs (label, I1..I13, C1..C26; TSV, no header) and FILE.meta.json");
  auto flags = std::make_shared<GenCriteoFlags>();
  criteo->add_option("--rows", flags->rows, "Rows to write")->check(CLI::NonNegativeNumber);
  criteo->add_option("--seed", flags->seed, "Seed; the output depends only on rows and seed");
  criteo->add_option("--out", flags->out, "Output TSV file")->required();
  criteo->callback([action, flags] { *action = [flags] { return RunGenCriteo(*flags); }; });
}

}  // namespace kiln::cli
