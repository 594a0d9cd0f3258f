#include "testing/static_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace kiln::testing {

namespace {

void SendAll(int connection, const std::string& bytes) {
  for (size_t sent = 0; sent < bytes.size();) {
    ssize_t n = ::send(connection, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
}

// Reads up to the end of the request headers.
std::string ReadRequest(int connection) {
  std::string request;
  char buffer[4096];
  while (request.find("\r\n\r\n") == std::string::npos && request.size() < 65536) {
    pollfd ready{connection, POLLIN, 0};
    if (::poll(&ready, 1, 5000) <= 0) break;
    ssize_t n = ::recv(connection, buffer, sizeof(buffer), 0);
    if (n <= 0) break;
    request.append(buffer, n);
  }
  return request;
}

std::string Header(const std::string& request, const std::string& name) {
  std::istringstream lines(request);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() > name.size() && strncasecmp(line.c_str(), name.c_str(), name.size()) == 0 &&
        line[name.size()] == ':') {
      std::string value = line.substr(name.size() + 1);
      value.erase(0, value.find_first_not_of(' '));
      while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.pop_back();
      return value;
    }
  }
  return "";
}

std::string StatusLine(int status) {
  const char* reason = status == 200 ? "OK" : status == 206 ? "Partial Content" : status == 404 ? "Not Found" : "Error";
  return "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n";
}

std::string Index(const std::string& directory) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& item : std::filesystem::directory_iterator(directory, error)) {
    names.push_back(item.path().filename().string() + (item.is_directory() ? "/" : ""));
  }
  std::sort(names.begin(), names.end());
  std::string html = "<html><body><ul>\n";
  for (const std::string& name : names) html += "<li><a href=\"" + name + "\">" + name + "</a></li>\n";
  return html + "</ul></body></html>\n";
}

}  // namespace

StaticHttpServer::StaticHttpServer(std::string root) : root_(std::move(root)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) throw std::runtime_error("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(listen_fd_, 64) != 0 || ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("cannot listen on 127.0.0.1");
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

StaticHttpServer::~StaticHttpServer() {
  stopping_ = true;
  thread_.join();
  ::close(listen_fd_);
}

std::string StaticHttpServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

void StaticHttpServer::Serve() {
  while (!stopping_) {
    pollfd ready{listen_fd_, POLLIN, 0};
    if (::poll(&ready, 1, 50) <= 0) continue;
    int connection = ::accept(listen_fd_, nullptr, nullptr);
    if (connection < 0) continue;
    Handle(connection);
    ::close(connection);
  }
}

void StaticHttpServer::Handle(int connection) {
  const std::string request = ReadRequest(connection);
  std::istringstream first_line(request);
  std::string method, target;
  first_line >> method >> target;
  ++requests_;
  if (fail_count_ > 0) {
    --fail_count_;
    SendAll(connection, StatusLine(fail_status_) + "Content-Length: 0\r\nConnection: close\r\n\r\n");
    return;
  }
  const std::string path = root_ + target;
  std::string body;
  std::string etag;
  bool is_directory = !target.empty() && target.back() == '/' && std::filesystem::is_directory(path);
  struct stat info;
  if (is_directory) {
    body = Index(path);
  } else if (target.find("..") == std::string::npos && ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
    std::ifstream in(path, std::ios::binary);
    body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    etag = "\"" + std::to_string(info.st_size) + "-" + std::to_string(info.st_mtim.tv_sec) + "." +
           std::to_string(info.st_mtim.tv_nsec) + "\"";
  } else {
    SendAll(connection, StatusLine(404) + "Content-Length: 0\r\nConnection: close\r\n\r\n");
    return;
  }
  int status = 200;
  std::string extra;
  const std::string range = Header(request, "Range");
  int64_t total = static_cast<int64_t>(body.size());
  if (!range.empty() && !is_directory) {
    ++range_requests_;
    long long first = 0, last = -1;
    if (std::sscanf(range.c_str(), "bytes=%lld-%lld", &first, &last) >= 1) {
      if (last < 0 || last >= total) last = total - 1;
      status = 206;
      extra = "Content-Range: bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" +
              std::to_string(total) + "\r\n";
      body = body.substr(first, last - first + 1);
    }
  }
  std::string headers = StatusLine(status) + "Content-Length: " + std::to_string(body.size()) + "\r\n" + extra +
                        (etag.empty() ? "" : "ETag: " + etag + "\r\n") + "Accept-Ranges: bytes\r\n" +
                        "Connection: close\r\n\r\n";
  SendAll(connection, headers);
  if (method == "HEAD") return;
  if (status == 200 && !is_directory && truncate_count_ > 0) {
    --truncate_count_;
    body.resize(body.size() / 2);
  }
  SendAll(connection, body);
  if (!is_directory) file_bytes_ += static_cast<int64_t>(body.size());
}

}  // namespace kiln::testing
