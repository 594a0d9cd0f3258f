// StudyConfig: a study as the user writes it in YAML (see docs/architecture.md):
//
//   study: branin
//   metrics: [{name: value, goal: minimize, threshold: 5}]
//   budget: 60
//   sampler: default                  # random | grid | sobol | tpe | gp | default
//   seed: 0
//   parameters:
//     - {name: x1, type: float, low: -5, high: 10}
//     - {name: lr, type: float, low: 1e-4, high: 1, log: true}
//     - {name: layers, type: int, low: 1, high: 8, step: 1}
//     - {name: opt, type: categorical, choices: [adam, lamb]}
//     - {name: beta, type: float, low: 0.8, high: 0.99, condition: {parent: opt, values: [adam]}}
//   constraints:                      # sum(coefficient * value) <= max
//     - {coefficients: {x1: 1, layers: 2}, max: 12}
//   pruner: {type: median, startup_trials: 5, warmup_steps: 0}   # or {type: asha, min_resource: 1, reduction_factor: 3}
//   trial:
//     command: python3 branin.py
//     timeout_s: 600
//
// Parsing reports unknown keys and bad values with file:line:column.
#pragma once

#include <string>
#include <vector>

#include "kiln/core/status.h"
#include "kiln/tune/metric.h"
#include "kiln/tune/pruner.h"
#include "kiln/tune/search_space.h"

namespace kiln::tune {

struct CommandTrialOptions {
  std::string command;    // Run by /bin/sh with "--name value" flags appended.
  double timeout_s = 0;   // 0: no limit.
};

struct StudyConfig {
  std::string name;                 // Identifies the study inside its database.
  std::vector<MetricSpec> metrics;  // At least one objective.
  int64_t budget = 0;               // Trials that count (complete, pruned, running).
  std::string sampler = "default";
  uint64_t seed = 0;
  SearchSpace space;
  PrunerOptions pruner;
  CommandTrialOptions trial;
  std::string definition;           // The YAML text, stored with the study.
};

// `path` only names the file in messages.
Result<StudyConfig> ParseStudyYaml(const std::string& text, const std::string& path);

// Checks what every study needs whatever its source: a name, a positive
// budget, unique metric names, at least one objective, thresholds on
// constraint metrics.
Status ValidateStudy(const StudyConfig& config, const std::string& where);

}  // namespace kiln::tune
