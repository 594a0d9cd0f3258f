#include "kiln/tune/dlrm_data.h"

#include <simdjson.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "kiln/core/file.h"
#include "kiln/data/column_mapping.h"
#include "kiln/data/data_source.h"
#include "kiln/gen/criteo_writer.h"

namespace kiln::tune {

namespace {

namespace fs = std::filesystem;

// Where a relative input path of the saved pipeline may live: prep resolved
// it against its working directory, which is the prep output's absolute path
// minus the output path as written, when that is relative too; else the
// current directory.
std::vector<fs::path> InputCandidates(const fs::path& prep_directory, const fs::path& input, const fs::path& output) {
  if (input.is_absolute()) return {input};
  std::vector<fs::path> candidates;
  fs::path directory = prep_directory.lexically_normal();
  fs::path written = output.lexically_normal();
  if (!written.empty() && written.is_relative()) {
    std::string full = directory.string(), tail = written.string();
    while (!tail.empty() && tail.back() == '/') tail.pop_back();
    while (full.size() > 1 && full.back() == '/') full.pop_back();
    if (full.size() > tail.size() && full.compare(full.size() - tail.size(), tail.size(), tail) == 0 &&
        full[full.size() - tail.size() - 1] == '/') {
      candidates.push_back(fs::path(full.substr(0, full.size() - tail.size())) / input);
    }
  }
  candidates.push_back(fs::absolute(input));
  return candidates;
}

Result<double> ReadBayesAuc(const std::string& meta_path) {
  auto text = ReadFileToString(meta_path);
  if (!text.ok()) return text.status();
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(*text).get(root)) return Status::Corruption(meta_path + ": not JSON");
  double auc = 0;
  if (root["bayes_auc"].get(auc)) return Status::NotFound(meta_path + ": no number 'bayes_auc'");
  if (!(auc > 0.5 && auc <= 1)) return Status::Corruption(meta_path + ": 'bayes_auc' is not in (0.5, 1]");
  return auc;
}

}  // namespace

Result<double> FindBayesAuc(const std::string& prep_directory) {
  const std::string pipeline_path = prep_directory + "/_state/pipeline.yaml";
  auto text = ReadFileToString(pipeline_path);
  if (!text.ok()) return Status::NotFound(pipeline_path + ": no saved pipeline, so no input to look beside");
  std::string input, output;
  try {
    YAML::Node root = YAML::Load(*text);
    if (root["input"] && root["input"]["path"]) input = root["input"]["path"].as<std::string>();
    if (root["output"] && root["output"]["path"]) output = root["output"]["path"].as<std::string>();
  } catch (const YAML::Exception& error) {
    return Status::Corruption(pipeline_path + ": " + error.what());
  }
  if (input.empty()) return Status::NotFound(pipeline_path + ": no input path");
  std::string looked;
  for (const fs::path& candidate : InputCandidates(fs::absolute(prep_directory), input, output)) {
    const std::string meta = CriteoMetaPath(candidate.string());
    if (!fs::exists(meta)) {
      looked += (looked.empty() ? "" : ", ") + meta;
      continue;
    }
    return ReadBayesAuc(meta);
  }
  return Status::NotFound("no bayes_auc for the input of " + prep_directory + " (looked at " + looked + ")");
}

Result<DlrmData> InspectDlrmData(const std::string& prep_directory) {
  if (prep_directory.empty()) return Status::InvalidArgument("give --data PREP_DIR (a kiln prep --recipe dlrm output)");
  data::SourceOptions options;
  options.paths = {prep_directory};
  options.mapping = data::DlrmColumnMapping();
  auto source = data::DataSource::Open(options);
  if (!source.ok()) return source.status().WithContext(prep_directory + " (a kiln prep --recipe dlrm output?)");
  DlrmData data;
  data.directory = fs::absolute(prep_directory).lexically_normal().string();
  while (data.directory.size() > 1 && data.directory.back() == '/') data.directory.pop_back();
  data.rows = (*source)->num_rows();
  data.dense_width = (*source)->mapping().dense_width;
  auto bayes = FindBayesAuc(prep_directory);
  if (bayes.ok()) data.bayes_auc = *bayes;
  else if (bayes.status().code() != Status::Code::kNotFound) return bayes.status();
  return data;
}

}  // namespace kiln::tune
