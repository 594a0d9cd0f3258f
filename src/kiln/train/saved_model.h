// A saved model directory, what `kiln train` leaves in RUN_DIR/model and
// `kiln predict` reads:
//
//   model.json     architecture and the column mapping (JSON)
//   weights.kckp   the weights (checkpoint_file.h format)
//   _state/        the prep artifact the inputs went through (a copy of the
//                  data's _state), so new raw data can be prepared the same
//                  way with `kiln prep apply MODEL/_state`
#pragma once

#include <string>

#include "kiln/core/status.h"
#include "kiln/data/column_mapping.h"
#include "kiln/models/dlrm_config.h"

namespace kiln::train {

struct SavedModelInfo {
  models::DlrmConfig config;  // Architecture, table rows included.
  data::ColumnMapping mapping;  // Columns the model reads.
};

Status WriteModelInfo(const std::string& directory, const SavedModelInfo& info);
// Fails naming the file and key on a missing or malformed entry.
Result<SavedModelInfo> ReadModelInfo(const std::string& directory);

// Copies every file of `state_directory` into `directory`/_state.
Status CopyPrepState(const std::string& state_directory, const std::string& directory);

std::string WeightsPath(const std::string& model_directory);

}  // namespace kiln::train
