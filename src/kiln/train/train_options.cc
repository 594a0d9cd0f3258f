#include "kiln/train/train_options.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <sstream>
#include <variant>

#include "kiln/models/dlrm_config.h"
#include "kiln/train/row_optimizer.h"

namespace kiln::train {

namespace {

using Field = std::variant<std::string TrainOptions::*, int64_t TrainOptions::*, double TrainOptions::*,
                           bool TrainOptions::*>;

struct OptionSpec {
  const char* key;   // snake_case key.
  Field field;       // Member it sets.
  const char* help;  // For --help.
};

const std::vector<OptionSpec>& Specs() {
  static const std::vector<OptionSpec> specs = {
      {"data", &TrainOptions::data, "prep output directory (a kiln prep --recipe dlrm output)"},
      {"out", &TrainOptions::out, "run directory (metrics, checkpoint, model)"},
      {"arch_mlp_bot", &TrainOptions::arch_mlp_bot, "bottom MLP widths, e.g. 13-512-256-64-16"},
      {"arch_mlp_top", &TrainOptions::arch_mlp_top, "top MLP widths, e.g. 512-256-1"},
      {"emb_dim", &TrainOptions::emb_dim, "embedding dimension"},
      {"interaction", &TrainOptions::interaction, "dot or cat"},
      {"table_cap", &TrainOptions::table_cap, "most rows per embedding table, larger ids hashed (0: no cap)"},
      {"batch_size", &TrainOptions::batch_size, "global batch size"},
      {"epochs", &TrainOptions::epochs, "passes over the training rows"},
      {"max_steps", &TrainOptions::max_steps, "stop after this many steps (0: no limit)"},
      {"eval_fraction", &TrainOptions::eval_fraction, "share of rows, the last ones, held out for evaluation"},
      {"eval_every", &TrainOptions::eval_every, "evaluate every N steps and at the end (0: at the end)"},
      {"target_auc", &TrainOptions::target_auc, "stop once the held-out AUC reaches this (0: never)"},
      {"precision", &TrainOptions::precision, "fp32 or bf16"},
      {"optimizer", &TrainOptions::optimizer, "sgd, adagrad, adam or lamb"},
      {"learning_rate", &TrainOptions::learning_rate, "peak learning rate"},
      {"warmup_steps", &TrainOptions::warmup_steps, "linear warm-up steps"},
      {"decay_start", &TrainOptions::decay_start, "polynomial decay starts after this step"},
      {"decay_steps", &TrainOptions::decay_steps, "steps of decay to 0 (0: no decay)"},
      {"decay_power", &TrainOptions::decay_power, "power of the polynomial decay"},
      {"beta1", &TrainOptions::beta1, "adam, lamb: first moment decay"},
      {"beta2", &TrainOptions::beta2, "adam, lamb: second moment decay"},
      {"epsilon", &TrainOptions::epsilon, "adagrad, adam, lamb: denominator guard"},
      {"weight_decay", &TrainOptions::weight_decay, "adam: L2 term in the gradient; lamb: decay in the trust ratio"},
      {"clip_norm", &TrainOptions::clip_norm, "clip the global gradient norm (0: off)"},
      {"threads", &TrainOptions::threads, "intra-op threads (0: the cores)"},
      {"seed", &TrainOptions::seed, "seed of initialisation and shuffling"},
      {"shuffle", &TrainOptions::shuffle, "shuffle the training rows"},
      {"shuffle_buffer_rows", &TrainOptions::shuffle_buffer_rows, "rows mixed in memory"},
      {"checkpoint_every", &TrainOptions::checkpoint_every, "checkpoint every N steps and at the end (0: at the end)"},
      {"resume", &TrainOptions::resume, "continue from OUT/checkpoint.kckp"},
      {"log_every", &TrainOptions::log_every, "metrics line every N steps"},
  };
  return specs;
}

const OptionSpec* FindSpec(const std::string& key) {
  for (const OptionSpec& spec : Specs()) {
    if (key == spec.key) return &spec;
  }
  return nullptr;
}

template <typename T>
bool ParseNumber(const std::string& text, T* value) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

bool ParseBool(const std::string& text, bool* value) {
  if (text == "true" || text == "1" || text == "yes" || text == "on") return *value = true, true;
  if (text == "false" || text == "0" || text == "no" || text == "off") return *value = false, true;
  return false;
}

Status Check(bool ok, const std::string& key, const std::string& message) {
  return ok ? Status::OK() : Status::InvalidArgument("'" + key + "': " + message);
}

}  // namespace

std::vector<std::string> TrainOptionKeys() {
  std::vector<std::string> keys;
  for (const OptionSpec& spec : Specs()) keys.push_back(spec.key);
  return keys;
}

bool IsBoolTrainOption(const std::string& key) {
  const OptionSpec* spec = FindSpec(key);
  return spec != nullptr && std::holds_alternative<bool TrainOptions::*>(spec->field);
}

std::string TrainOptionHelp(const std::string& key) {
  const OptionSpec* spec = FindSpec(key);
  return spec ? spec->help : "";
}

Status SetTrainOption(const std::string& key, const std::string& value, const std::string& where,
                      TrainOptions* options) {
  const OptionSpec* spec = FindSpec(key);
  if (spec == nullptr) {
    std::string known;
    for (const OptionSpec& s : Specs()) known += (known.empty() ? "" : ", ") + std::string(s.key);
    return Status::InvalidArgument(where + ": unknown key '" + key + "' (known: " + known + ")");
  }
  const Field& field = spec->field;
  bool ok = true;
  const char* expected = "";
  if (auto text = std::get_if<std::string TrainOptions::*>(&field)) {
    options->**text = value;
  } else if (auto integer = std::get_if<int64_t TrainOptions::*>(&field)) {
    ok = ParseNumber(value, &(options->**integer));
    expected = "an integer";
  } else if (auto real = std::get_if<double TrainOptions::*>(&field)) {
    ok = ParseNumber(value, &(options->**real));
    expected = "a number";
  } else if (auto flag = std::get_if<bool TrainOptions::*>(&field)) {
    ok = ParseBool(value, &(options->**flag));
    expected = "true or false";
  }
  if (!ok) return Status::InvalidArgument(where + ": '" + key + "': expected " + expected + ", not '" + value + "'");
  return Status::OK();
}

Status ApplyTrainYaml(const std::string& text, const std::string& source, TrainOptions* options) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    return Status::InvalidArgument(source + ": " + error.what());
  }
  if (root.IsNull()) return Status::OK();
  if (!root.IsMap()) return Status::InvalidArgument(source + ": expected a mapping of option keys to values");
  for (const auto& entry : root) {
    const YAML::Mark mark = entry.first.Mark();
    const std::string where = source + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
    const std::string key = entry.first.as<std::string>();
    if (!entry.second.IsScalar()) {
      return Status::InvalidArgument(where + ": '" + key + "': expected a single value");
    }
    Status status = SetTrainOption(key, entry.second.as<std::string>(), where, options);
    if (!status.ok()) return status;
  }
  return Status::OK();
}

Status ValidateTrainOptions(const TrainOptions& o) {
  const Status checks[] = {
      Check(!o.data.empty(), "data", "required (a prep output directory)"),
      Check(!o.out.empty(), "out", "required (the run directory)"),
      models::ParseLayerSizes(o.arch_mlp_bot, "arch_mlp_bot").status(),
      models::ParseLayerSizes(o.arch_mlp_top, "arch_mlp_top").status(),
      models::ParseInteraction(o.interaction, "interaction").status(),
      ParseOptimizerKind(o.optimizer, "optimizer").status(),
      Check(o.emb_dim >= 1, "emb_dim", "must be at least 1"),
      Check(o.table_cap >= 0, "table_cap", "must be 0 or more"),
      Check(o.batch_size >= 1, "batch_size", "must be at least 1"),
      Check(o.epochs >= 1, "epochs", "must be at least 1"),
      Check(o.max_steps >= 0, "max_steps", "must be 0 or more"),
      Check(o.eval_fraction >= 0 && o.eval_fraction < 1, "eval_fraction", "must be in [0, 1)"),
      Check(o.eval_every >= 0, "eval_every", "must be 0 or more"),
      Check(o.precision == "fp32" || o.precision == "bf16", "precision", "expected fp32 or bf16"),
      Check(o.learning_rate > 0, "learning_rate", "must be positive"),
      Check(o.warmup_steps >= 0 && o.decay_start >= 0 && o.decay_steps >= 0, "warmup_steps",
            "warm-up and decay steps must be 0 or more"),
      Check(o.beta1 >= 0 && o.beta1 < 1, "beta1", "must be in [0, 1)"),
      Check(o.beta2 >= 0 && o.beta2 < 1, "beta2", "must be in [0, 1)"),
      Check(o.epsilon > 0, "epsilon", "must be positive"),
      Check(o.clip_norm >= 0, "clip_norm", "must be 0 or more"),
      Check(o.threads >= 0, "threads", "must be 0 or more"),
      Check(o.checkpoint_every >= 0, "checkpoint_every", "must be 0 or more"),
      Check(o.log_every >= 1, "log_every", "must be at least 1"),
      Check(o.shuffle_buffer_rows >= 0, "shuffle_buffer_rows", "must be 0 or more"),
  };
  for (const Status& status : checks) {
    if (!status.ok()) return status;
  }
  return Status::OK();
}

std::string TrainOptionsYaml(const TrainOptions& options) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  for (const OptionSpec& spec : Specs()) {
    out << YAML::Key << spec.key << YAML::Value;
    std::visit([&](auto member) { out << options.*member; }, spec.field);
  }
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace kiln::train
