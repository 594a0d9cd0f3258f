#include "kiln/core/child_process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

extern char** environ;

namespace kiln {

namespace {

std::vector<char*> Pointers(std::vector<std::string>* texts) {
  std::vector<char*> pointers;
  for (std::string& text : *texts) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Writes all of `bytes` to `fd`, retrying short writes and interruptions.
bool WriteAll(int fd, const char* bytes, size_t size) {
  while (size > 0) {
    ssize_t written = write(fd, bytes, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes += written;
    size -= static_cast<size_t>(written);
  }
  return true;
}

}  // namespace

Result<ChildProcess> StartChild(const ChildOptions& options) {
  std::vector<std::string> arguments = options.argv;
  std::vector<std::string> environment = options.environment;
  std::vector<char*> argv = Pointers(&arguments);
  std::vector<char*> envp = Pointers(&environment);
  int stdin_pipe[2];
  if (pipe2(stdin_pipe, O_CLOEXEC) != 0) return Status::FromErrno("cannot create a pipe", errno);
  int output_pipe[2] = {-1, -1};
  if (options.output_path.empty() && pipe2(output_pipe, O_CLOEXEC) != 0) {
    close(stdin_pipe[0]);
    close(stdin_pipe[1]);
    return Status::FromErrno("cannot create a pipe", errno);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, stdin_pipe[0], 0);
  if (options.output_path.empty()) {
    posix_spawn_file_actions_adddup2(&actions, output_pipe[1], 1);
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, options.output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  if (options.new_process_group) {
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
  }
  ChildProcess child;
  int spawned = posix_spawn(&child.pid, argv[0], &actions, &attributes, argv.data(),
                            options.environment.empty() ? environ : envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close(stdin_pipe[0]);
  if (output_pipe[1] >= 0) close(output_pipe[1]);
  // A child that never reads stdin costs nothing here once SIGPIPE is ignored.
  if (spawned == 0) WriteAll(stdin_pipe[1], options.stdin_text.data(), options.stdin_text.size());
  close(stdin_pipe[1]);
  if (spawned != 0) {
    if (output_pipe[0] >= 0) close(output_pipe[0]);
    return Status::FromErrno("cannot start " + options.argv[0], spawned);
  }
  child.output_fd = output_pipe[0];
  return child;
}

Result<int> WaitForChild(pid_t pid) {
  int wait_status = 0;
  while (waitpid(pid, &wait_status, 0) < 0) {
    if (errno != EINTR) return Status::FromErrno("waitpid", errno);
  }
  return wait_status;
}

std::string DescribeExit(int wait_status) {
  if (WIFSIGNALED(wait_status)) return "killed by signal " + std::to_string(WTERMSIG(wait_status));
  if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) != 0) {
    return "exit code " + std::to_string(WEXITSTATUS(wait_status));
  }
  return "";
}

std::string LastLineOf(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last.size() > 200 ? last.substr(0, 200) + "..." : last;
}

Result<int> RunChildTeed(const ChildOptions& options, const std::string& log_path, int echo_fd) {
  int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) return Status::FromErrno("cannot create " + log_path, errno);
  Result<ChildProcess> child = StartChild(options);
  if (!child.ok()) {
    close(log_fd);
    return child.status();
  }
  Status status;
  char buffer[1 << 16];
  while (true) {
    ssize_t got = read(child->output_fd, buffer, sizeof(buffer));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;  // End of output: the child and everything it started closed the pipe.
    if (status.ok() && !WriteAll(log_fd, buffer, static_cast<size_t>(got))) {
      status = Status::FromErrno("cannot write " + log_path, errno);
    }
    if (echo_fd >= 0) WriteAll(echo_fd, buffer, static_cast<size_t>(got));
  }
  close(child->output_fd);
  if (close(log_fd) != 0 && status.ok()) status = Status::FromErrno("cannot write " + log_path, errno);
  Result<int> wait_status = WaitForChild(child->pid);
  if (!status.ok()) return status;
  return wait_status;
}

}  // namespace kiln
