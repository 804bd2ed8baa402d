// A small, strict command-line parser shared by every subcommand: `--name value`,
// `--name=value`, boolean `--flag`, and positionals. Unknown options are errors.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace lifecircle::cli {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  // `options` take a value; `flags` do not.
  Args(const std::vector<std::string>& argv, std::set<std::string> options,
       std::set<std::string> flags = {}) {
    for (std::size_t i = 0; i < argv.size(); ++i) {
      const std::string& a = argv[i];
      if (a.rfind("--", 0) != 0 || a == "--") {
        positionals_.push_back(a);
        continue;
      }
      std::string name = a.substr(2), value;
      const auto eq = name.find('=');
      const bool inline_value = eq != std::string::npos;
      if (inline_value) value = name.substr(eq + 1), name = name.substr(0, eq);
      if (flags.count(name)) {
        if (inline_value) throw UsageError("--" + name + " takes no value");
        flags_.insert(name);
      } else if (options.count(name)) {
        if (!inline_value) {
          if (i + 1 >= argv.size()) throw UsageError("--" + name + " needs a value");
          value = argv[++i];
        }
        if (!values_.emplace(name, value).second)
          throw UsageError("--" + name + " is given more than once");
      } else {
        throw UsageError("unknown option --" + name);
      }
    }
  }

  std::optional<std::string> get(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }
  std::string get_or(const std::string& name, const std::string& fallback) const {
    return get(name).value_or(fallback);
  }
  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  const std::vector<std::string>& positionals() const { return positionals_; }

  // Parses a whole number option within [lo, hi]; names the option when it is not.
  long get_long(const std::string& name, long fallback, long lo, long hi) const {
    const auto v = get(name);
    if (!v) return fallback;
    std::size_t used = 0;
    long n = 0;
    try {
      n = std::stol(*v, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != v->size() || n < lo || n > hi)
      throw UsageError("--" + name + " must be a whole number from " + std::to_string(lo) + " to " +
                       std::to_string(hi));
    return n;
  }

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> flags_;
  std::vector<std::string> positionals_;
};

}  // namespace lifecircle::cli
