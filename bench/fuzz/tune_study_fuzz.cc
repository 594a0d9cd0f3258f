// Fuzzes what `kiln tune` reads from outside: the study YAML (and, when it
// parses, the search space mapping every sampler relies on) and a trial's
// result JSON.
#include <string>

#include "kiln/tune/command_launcher.h"
#include "kiln/tune/study_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto config = kiln::tune::ParseStudyYaml(text, "fuzz.yaml");
  if (config.ok()) {
    const kiln::tune::SearchSpace& space = config->space;
    for (double u : {0.0, 0.37, 1.0}) {
      std::vector<double> point = space.FromUnit(std::vector<double>(space.size(), u));
      std::vector<std::pair<std::string, std::string>> texts;
      for (size_t i = 0; i < space.size(); ++i) {
        if (point[i] == point[i]) texts.emplace_back(space.parameter(i).name, space.Format(i, point[i]));
      }
      auto parsed = space.Parse(texts);
      (void)parsed;
      (void)space.Feasible(point);
    }
    auto values = kiln::tune::ParseResultJson(text, config->metrics);
    (void)values;
  }
  std::vector<kiln::tune::MetricSpec> metrics(1);
  metrics[0].name = "value";
  auto values = kiln::tune::ParseResultJson(text, metrics);
  (void)values;
  return 0;
}
