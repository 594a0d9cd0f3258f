// WorkflowConfig: a WORKFLOW.yaml read and checked as a whole before any
// stage runs. Unknown keys, values of the wrong type, unknown stages, stages
// out of order and stages missing what they read fail with file:line:column.
//
//   name: dlrm_synthetic            # optional; default: the file's stem
//   out: runs/dlrm_synthetic        # optional run directory; default: runs/NAME
//   stages:                         # in the order gen, prep, train, evaluate, predict
//     gen:      {rows: 2000000, seed: 7}
//     prep:     {recipe: dlrm, min_freq: 3}
//     train:    {emb_dim: 16, batch_size: 2048, eval_fraction: 0.1}
//     evaluate: {}
//     predict:  {precision: bf16}
//
// Overrides ("gen.rows=300000", from `kiln run --set`) replace or add one
// stage key before the checks, so they are checked the same way.
#pragma once

#include <string>
#include <vector>

#include "kiln/core/status.h"
#include "kiln/workflow/stage_spec.h"

namespace kiln::workflow {

struct StageSetting {
  std::string key;       // As written.
  std::string value;     // The scalar's text.
  std::string location;  // "file:line:column" of the key, or "--set stage.key=value".
};

struct StageConfig {
  std::string name;                    // A StageSpecs() name.
  std::string location;                // Where the stage's key is, for messages.
  std::vector<StageSetting> settings;  // Sorted by key.

  // The value of `key`, or nullptr when it is not set.
  const StageSetting* Find(const std::string& key) const;
  // "key: value" lines in key order: what the stage's fingerprint hashes.
  std::string CanonicalText() const;
};

struct WorkflowConfig {
  std::string path;                    // The workflow file.
  std::string text;                    // Its text, as read.
  std::string name;                    // `name`, or the file's stem.
  std::string out;                     // `out`, or "" for runs/NAME.
  std::vector<std::string> overrides;  // As given ("stage.key=value").
  std::vector<StageConfig> stages;     // In run order.

  // The stage called `name`, or nullptr when the workflow has none.
  const StageConfig* Find(const std::string& name) const;
};

Result<WorkflowConfig> ReadWorkflow(const std::string& path, const std::vector<std::string>& overrides);
// The same from text; `path` names it in messages.
Result<WorkflowConfig> ParseWorkflow(const std::string& text, const std::string& path,
                                     const std::vector<std::string>& overrides);

}  // namespace kiln::workflow
