// A throwaway PostgreSQL + PostGIS cluster in a temporary directory, listening on 127.0.0.1 on a
// free port, for independent cross-checks. initdb refuses to run as root, so as root the
// cluster belongs to the `postgres` system user (through runuser).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace lifecircle::fixtures {

inline const char* kPgBin = "/usr/lib/postgresql/15/bin";

inline bool postgres_available() {
  return std::filesystem::exists(std::string(kPgBin) + "/initdb") &&
         std::filesystem::exists(std::string(kPgBin) + "/pg_ctl") &&
         std::filesystem::exists(std::string(kPgBin) + "/psql");
}

inline int free_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(s);
    throw std::runtime_error("no free port");
  }
  ::close(s);
  return ntohs(a.sin_port);
}

// Runs a shell command, returning its standard output; throws with the output on failure.
inline std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p) throw std::runtime_error("cannot run: " + cmd);
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int rc = ::pclose(p);
  if (rc != 0)
    throw std::runtime_error("command failed (" + std::to_string(rc) + "): " + cmd + "\n" + out);
  return out;
}

class PgCluster {
 public:
  PgCluster() {
    char tmpl[] = "/tmp/lifecircle-pg-XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    as_ = ::geteuid() == 0 ? "runuser -u postgres -- " : "";
    if (::geteuid() == 0) run("chown postgres: " + dir_);
    port_ = free_port();
    run(as_ + kPgBin + "/initdb --username=postgres --auth=trust --encoding=UTF8 -D " + dir_ +
        "/data");
    run(as_ + kPgBin + "/pg_ctl -D " + dir_ + "/data -l " + dir_ + "/log -w -o \"-p " +
        std::to_string(port_) + " -k " + dir_ +
        " -c listen_addresses=127.0.0.1 -c fsync=off\" start");
    started_ = true;
    psql("CREATE EXTENSION postgis;");
  }
  ~PgCluster() {
    try {
      if (started_) run(as_ + kPgBin + "/pg_ctl -D " + dir_ + "/data -m immediate -w stop");
    } catch (...) {
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  const std::string& dir() const { return dir_; }
  int port() const { return port_; }

  // Runs SQL (from a file, so quoting never matters); returns unaligned tuples-only output.
  std::string psql(const std::string& sql) const {
    const std::string file = dir_ + "/q" + std::to_string(counter_++) + ".sql";
    std::ofstream(file) << sql;
    return run(std::string(kPgBin) + "/psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p " +
               std::to_string(port_) + " -U postgres -d postgres -f " + file);
  }

 private:
  std::string dir_, as_;
  int port_ = 0;
  bool started_ = false;
  mutable int counter_ = 0;
};

}  // namespace lifecircle::fixtures
