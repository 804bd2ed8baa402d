// `lifecircle serve` as a process: it loads real files through the loader, refuses to start on
// errors, prints where it listens, answers over HTTP and stops cleanly on SIGTERM.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "lifecircle/crs.hpp"
#include "server/http_client.hpp"
#include "support/temp_dir.hpp"

extern char** environ;

namespace lifecircle {
namespace {

using nlohmann::json;

const std::string kFixture = std::string(LIFECIRCLE_TEST_DATA) + "/server/manifest.json";
const std::string kBadFixture = std::string(LIFECIRCLE_TEST_DATA) + "/server/bad/manifest.json";

// The binary with its stdout on a pipe; stderr goes to the test's stderr.
class ServeProcess {
 public:
  explicit ServeProcess(std::vector<std::string> args) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    args.insert(args.begin(), {LIFECIRCLE_BINARY, "serve"});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = posix_spawn(&pid_, LIFECIRCLE_BINARY, &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    out_ = fds[0];
    if (rc != 0) throw std::runtime_error("cannot start " + std::string(LIFECIRCLE_BINARY));
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(out_);
  }

  // Reads stdout until a line starts with `prefix`; returns the rest of that line, or nullopt
  // when the stream ends or the timeout passes first.
  std::optional<std::string> wait_for_line(const std::string& prefix,
                                           std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      std::size_t nl;
      while ((nl = buffer_.find('\n')) != std::string::npos) {
        const std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        output_ += line + "\n";
        if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd p{out_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
      char buf[4096];
      const ssize_t n = read(out_, buf, sizeof buf);
      if (n <= 0) return std::nullopt;
      buffer_.append(buf, static_cast<std::size_t>(n));
    }
  }

  // Exit status, or -1 when it did not exit within the timeout.
  int wait_exit(std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      usleep(20000);
    }
    return -1;
  }

  void signal(int sig) { kill(pid_, sig); }
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string buffer_, output_;
};

const std::string kListening = "listening on http://127.0.0.1:";

TEST(ServeCli, RefusesToServeAManifestWithErrors) {
  ServeProcess p({"--data", kBadFixture, "--port", "0", "--quiet"});
  EXPECT_FALSE(p.wait_for_line(kListening, std::chrono::seconds(60)))
      << "it listened: " << p.output();
  EXPECT_EQ(p.wait_exit(std::chrono::seconds(60)), 1);
}

TEST(ServeCli, RefusesAMissingManifest) {
  ServeProcess p({"--data", "/nonexistent/manifest.json", "--port", "0"});
  EXPECT_EQ(p.wait_exit(std::chrono::seconds(60)), 1);
  EXPECT_EQ(p.output().find("listening"), std::string::npos);
}

TEST(ServeCli, ServesTheFixtureFilesAndStopsOnSigterm) {
  ServeProcess p({"--data", kFixture, "--port", "0", "--threads", "2", "--quiet"});
  const auto port_text = p.wait_for_line(kListening, std::chrono::seconds(60));
  ASSERT_TRUE(port_text) << "no 'listening on' line; output: " << p.output();
  const auto port = static_cast<std::uint16_t>(std::stoi(*port_text));

  const json landing = json::parse(test::http_get(port, "/").body);
  EXPECT_EQ(landing["title"], "Server test fixture");
  EXPECT_NE(landing["description"].get<std::string>().find("23 facilities"), std::string::npos);

  // 23 facilities from the GeoJSON plus 4 canteens from the GCJ-02 CSV.
  const json all = json::parse(test::http_get(port, "/collections/facilities/items").body);
  EXPECT_EQ(all["numberMatched"], 23 + 4);
  EXPECT_EQ(
      json::parse(
          test::http_get(port, "/collections/facilities/items?type=canteen").body)["numberMatched"],
      4);

  // The canteen C1 was written in GCJ-02 from WGS84 (121.44, 31.27): stored and served in WGS84,
  // and asking for GCJ-02 gives back the CSV's numbers (to the loader's inverse, < 0.5 m).
  const json c1 = json::parse(test::http_get(port, "/collections/facilities/items/C1").body);
  EXPECT_NEAR(c1["geometry"]["coordinates"][0].get<double>(), 121.44, 5e-6);
  EXPECT_NEAR(c1["geometry"]["coordinates"][1].get<double>(), 31.27, 5e-6);
  const json g1 = json::parse(
      test::http_get(port, "/collections/facilities/items/C1?crs=urn:lifecircle:crs:GCJ-02").body);
  EXPECT_NEAR(g1["geometry"]["coordinates"][0].get<double>(), 121.4446169, 5e-6);
  EXPECT_NEAR(g1["geometry"]["coordinates"][1].get<double>(), 31.2681509, 5e-6);
  EXPECT_EQ(c1["properties"]["meal_capacity_per_day"], 200);
  EXPECT_EQ(c1["properties"]["family"], "meal");

  const json districts = json::parse(test::http_get(port, "/collections/districts/items").body);
  EXPECT_EQ(districts["numberMatched"], 2);
  EXPECT_EQ(
      json::parse(test::http_get(port, "/collections/plan_indicators/items").body)["numberMatched"],
      2);

  p.signal(SIGTERM);
  EXPECT_EQ(p.wait_exit(std::chrono::seconds(20)), 0);
}

// SIGHUP reloads the manifest's files and swaps the new data in; a reload that finds errors
// keeps the old data; the process survives both and still stops on SIGTERM.
TEST(ServeCli, SighupReloadsTheDataOrKeepsTheOldOnErrors) {
  testing::TempDir dir;
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(LIFECIRCLE_TEST_DATA) + "/server"))
    if (e.is_regular_file()) std::filesystem::copy_file(e.path(), dir.path() / e.path().filename());
  ServeProcess p({"--data", dir.file("manifest.json"), "--port", "0", "--quiet"});
  const auto port_text = p.wait_for_line(kListening, std::chrono::seconds(60));
  ASSERT_TRUE(port_text) << p.output();
  const auto port = static_cast<std::uint16_t>(std::stoi(*port_text));
  const auto matched = [port] {
    return json::parse(test::http_get(port, "/collections/facilities/items").body)["numberMatched"]
        .get<int>();
  };
  ASSERT_EQ(matched(), 23 + 4);

  // Two of the four canteens leave the CSV.
  std::ifstream in(dir.file("canteens_gcj02.csv"));
  std::string header, c0, c1;
  std::getline(in, header), std::getline(in, c0), std::getline(in, c1);
  in.close();
  dir.write("canteens_gcj02.csv", header + "\n" + c0 + "\n" + c1 + "\n");
  p.signal(SIGHUP);
  ASSERT_TRUE(p.wait_for_line("reloaded ", std::chrono::seconds(60))) << p.output();
  EXPECT_EQ(matched(), 23 + 2);

  // A broken manifest: the reload is refused and the last good data stays served.
  dir.write("manifest.json", "{ not json");
  p.signal(SIGHUP);
  ASSERT_TRUE(p.wait_for_line("not reloaded: ", std::chrono::seconds(60))) << p.output();
  EXPECT_EQ(matched(), 23 + 2);
  EXPECT_EQ(test::http_get(port, "/health").status, 200);

  p.signal(SIGTERM);
  EXPECT_EQ(p.wait_exit(std::chrono::seconds(20)), 0);
}

}  // namespace
}  // namespace lifecircle
