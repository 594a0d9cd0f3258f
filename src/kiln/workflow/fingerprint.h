// Stage fingerprints: what a stage's result depends on, hashed, so that a
// re-run can skip a stage whose inputs did not change.
//
// A fingerprint covers the kiln build (the version and the stamp of the
// executable that runs the stage), the stage's name and canonical
// config, the fingerprints of the earlier stages it reads, and each outside
// file it reads: a content hash for files up to 1 MiB, size and
// modification time for larger ones (directories: every file in them). It
// is recorded in RUN_DIR/stages/STAGE.json only after the stage succeeded.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kiln/core/status.h"

namespace kiln::workflow {

struct FileStamp {
  std::string path;   // As the workflow names it (a file inside a named directory: joined).
  std::string stamp;  // "fnv1a64:HEX" or "size:N mtime_ns:T".
};

struct StageFingerprint {
  std::string stage;                                          // Its name.
  std::string kiln_version;                                   // Version and executable stamp of what ran it.
  std::string config;                                         // Canonical config text.
  std::vector<std::pair<std::string, std::string>> upstream;  // (stage, fingerprint) of what it reads.
  std::vector<FileStamp> files;                               // Outside inputs.
  std::string hash;                                           // 16 hex digits over all of the above.
};

// A file's stamp: "fnv1a64:HEX" up to 1 MiB, else "size:N mtime_ns:T".
Result<std::string> StampFile(const std::string& path);

// Stamps `paths` and computes the hash. Fails naming a path that is missing.
Result<StageFingerprint> ComputeFingerprint(std::string stage, std::string kiln_version, std::string config,
                                            std::vector<std::pair<std::string, std::string>> upstream,
                                            const std::vector<std::string>& paths);

// The record's JSON: the fingerprint's parts and hash, and the seconds the stage took.
std::string FingerprintJson(const StageFingerprint& fingerprint, double seconds);

// The hash recorded at `record_path`, or "" when there is no readable record.
std::string RecordedHash(const std::string& record_path);

}  // namespace kiln::workflow
