// What the dlrm advisor needs to know about a `kiln prep --recipe dlrm`
// output before it plans trials: its row count and dense width (the first
// width of every bottom MLP), and the Bayes AUC of the synthetic data it was
// prepared from, when there is one.
//
// `kiln gen criteo` writes the Bayes AUC into the meta file beside its TSV
// (gen/criteo_writer.h); prep records its input's path in
// PREP_DIR/_state/pipeline.yaml. So the figure is found by following that
// path; nothing is copied into the prep output.
#pragma once

#include <cstdint>
#include <string>

#include "kiln/core/status.h"

namespace kiln::tune {

struct DlrmData {
  std::string directory;  // The prep output, absolute.
  int64_t rows = 0;       // Rows over all parts.
  int dense_width = 0;    // Dense feature columns.
  double bayes_auc = 0;   // 0: unknown.
};

// Opens the dataset as the trainer will (every column of the DLRM mapping
// must be there) and looks for the Bayes AUC. A dataset that is not a dlrm
// prep output fails naming the file; a missing Bayes AUC is not an error.
Result<DlrmData> InspectDlrmData(const std::string& prep_directory);

// The Bayes AUC recorded beside the prep input of `prep_directory`.
// NotFound, saying where it looked, when there is none; Corruption for a
// meta file that is not JSON.
Result<double> FindBayesAuc(const std::string& prep_directory);

}  // namespace kiln::tune
