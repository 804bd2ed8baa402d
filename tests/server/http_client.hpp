// A tiny blocking HTTP/1.1 client over a loopback socket, so API tests talk real HTTP to the
// real server without any client library in between.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace lifecircle::test {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class Socket {
 public:
  explicit Socket(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket() failed");
    timeval tv{10, 0};  // a hung server fails the test instead of hanging it
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
    }
  }
  ~Socket() { ::close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  void send_all(const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("send() failed");
      sent += static_cast<std::size_t>(n);
    }
  }
  // Appends what arrives; false on EOF, timeout or error.
  bool read_some(std::string& into) {
    char buf[65536];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    into.append(buf, static_cast<std::size_t>(n));
    return true;
  }
  // Ends our sending side (a half-close); the server may still answer.
  void shutdown_write() { ::shutdown(fd_, SHUT_WR); }
  // Reads and drops input until the peer closes: true on EOF or reset, false on timeout.
  bool wait_closed() {
    char buf[65536];
    while (true) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;
    }
  }
  // Everything until the peer closes (or the receive timeout).
  std::string read_all() {
    std::string s;
    while (read_some(s)) {
    }
    return s;
  }

 private:
  int fd_ = -1;
};

// Parses one response from `s`; reads more from `sock` until the body is complete.
inline HttpResponse read_response(Socket& sock, std::string& s) {
  std::size_t head_end;
  while ((head_end = s.find("\r\n\r\n")) == std::string::npos)
    if (!sock.read_some(s)) throw std::runtime_error("connection closed before the headers");
  HttpResponse r;
  const std::string head = s.substr(0, head_end);
  std::size_t line_end = head.find("\r\n");
  const std::string status_line = head.substr(0, line_end);
  if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12)
    throw std::runtime_error("bad status line: " + status_line);
  r.status = std::stoi(status_line.substr(9, 3));
  while (line_end != std::string::npos && line_end < head.size()) {
    const std::size_t next = head.find("\r\n", line_end + 2);
    const std::string line = head.substr(
        line_end + 2, next == std::string::npos ? std::string::npos : next - line_end - 2);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::size_t v = colon + 1;
      while (v < line.size() && line[v] == ' ') ++v;
      r.headers[name] = line.substr(v);
    }
    line_end = next;
  }
  const std::size_t length = std::stoul(
      r.header("content-length").empty() ? std::string("0") : r.header("content-length"));
  while (s.size() < head_end + 4 + length)
    if (!sock.read_some(s)) throw std::runtime_error("connection closed inside the body");
  r.body = s.substr(head_end + 4, length);
  s.erase(0, head_end + 4 + length);
  return r;
}

inline HttpResponse http_request(
    std::uint16_t port, const std::string& method, const std::string& target,
    const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  Socket sock(port);
  std::string req =
      method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  req += "Connection: close\r\n\r\n";
  sock.send_all(req);
  std::string buffer;
  return read_response(sock, buffer);
}

// One request with a body and any headers; `host` empty sends Host: 127.0.0.1:PORT.
inline HttpResponse http_send(std::uint16_t port, const std::string& method,
                              const std::string& target, const std::string& body,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              const std::string& host = "") {
  Socket sock(port);
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: " +
                    (host.empty() ? "127.0.0.1:" + std::to_string(port) : host) + "\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST")
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "Connection: close\r\n\r\n" + body;
  sock.send_all(req);
  std::string buffer;
  return read_response(sock, buffer);
}

inline HttpResponse http_get(std::uint16_t port, const std::string& target) {
  return http_request(port, "GET", target);
}

// "http://127.0.0.1:PORT/x?y" -> "/x?y", so links the server returns can be followed.
inline std::string target_of(const std::string& url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const std::size_t slash = url.find('/', scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

}  // namespace lifecircle::test
