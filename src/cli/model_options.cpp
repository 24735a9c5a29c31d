#include "model_options.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <type_traits>

#include "strider/parallel.hpp"

namespace strider::cli {

namespace {

std::vector<std::string> split_aliases(const char* aliases) {
  std::vector<std::string> out;
  std::stringstream ss(aliases);
  for (std::string a; std::getline(ss, a, ',');)
    if (!a.empty()) out.push_back(a);
  return out;
}

template <class V>
std::string default_text(const V& v) {
  if constexpr (std::is_same_v<V, bool>) {
    return v ? "on" : "off";
  } else {
    return summary_text(v);
  }
}

/// Adds the options of P's rows (recursing into nested params structs); `get` gives the
/// P inside a Root, `prefix` its path.
template <class Root, class P, class Get>
void add_rows(std::vector<ModelOption<Root>>& out, Get get, const P& defaults,
              const std::string& prefix) {
  for_each_param<P>([&](const auto& row) {
    using V = typename std::decay_t<decltype(row)>::value_type;
    if constexpr (ParamStruct<V>) {
      const auto member = row.member;
      auto sub = [get, member](Root& p) -> V& { return get(p).*member; };
      add_rows<Root, V>(out, sub, defaults.*row.member, prefix + row.name + ".");
    } else {
      if (row.flag[0] == '\0') return;
      constexpr bool is_bool = std::is_same_v<V, bool>;
      ModelOption<Root> option;
      option.spec = {
          row.flag, is_bool ? "" : row.metavar,
          std::string(row.help) + " (default " + default_text(defaults.*row.member) + ")",
          split_aliases(row.aliases), is_bool};
      option.field = prefix + row.name;
      option.apply = [get, row](Root& p, const std::string& value, const std::string& typed) {
        V parsed{};
        try {
          parsed = ParamText<V>::parse(value);
        } catch (const std::invalid_argument& e) {
          throw UsageError(typed + " " + value + ": " + e.what());
        }
        if (row.check) {
          const std::string problem = row.check(parsed);
          if (!problem.empty()) throw UsageError(typed + " " + value + ": " + problem);
        }
        get(p).*row.member = parsed;
      };
      out.push_back(std::move(option));
    }
  });
}

/// Root's params from the options given; an option only the other task has is refused.
template <class Root, class Other>
Root params_from(const Options& o, const char* task) {
  Root p;
  p.set_n_jobs(threads(o));
  for (const ModelOption<Other>& other : model_options<Other>()) {
    const auto& mine = model_options<Root>();
    const bool shared = std::any_of(mine.begin(), mine.end(), [&](const ModelOption<Root>& m) {
      return m.spec.name == other.spec.name;
    });
    if (!shared && o.has(other.spec.name)) {
      throw UsageError(o.typed(other.spec.name) + " does not apply to " + task);
    }
  }
  for (const ModelOption<Root>& option : model_options<Root>()) {
    if (o.has(option.spec.name))
      option.apply(p, o.get(option.spec.name), o.typed(option.spec.name));
  }
  try {
    p.validate("options");
  } catch (const std::invalid_argument& e) {
    throw UsageError(cli_words(e.what()));
  }
  return p;
}

}  // namespace

template <class Root>
const std::vector<ModelOption<Root>>& model_options() {
  static const std::vector<ModelOption<Root>> options = [] {
    std::vector<ModelOption<Root>> out;
    add_rows<Root, Root>(
        out, [](Root& p) -> Root& { return p; }, Root{}, "");
    return out;
  }();
  return options;
}

template const std::vector<ModelOption<KernelClassifierParams>>&
model_options<KernelClassifierParams>();
template const std::vector<ModelOption<KernelRegressorParams>>&
model_options<KernelRegressorParams>();

std::vector<OptionSpec> model_option_specs() {
  std::vector<OptionSpec> out;
  for (const auto& m : model_options<KernelClassifierParams>())
    out.push_back(m.spec);
  for (const auto& r : model_options<KernelRegressorParams>()) {
    const auto it = std::find_if(out.begin(), out.end(),
                                 [&](const OptionSpec& s) { return s.name == r.spec.name; });
    if (it == out.end()) {
      out.push_back(r.spec);
    } else if (it->help != r.spec.help) {
      // Same flag, other default: "... (default A)" becomes "... (default A; regression:
      // B)"; other meaning: the regressor's text follows ("...; with --task regression:
      // ...").
      const std::size_t at = r.spec.help.rfind(" (default ");
      const std::size_t mine = it->help.rfind(" (default ");
      if (it->help.compare(0, mine, r.spec.help, 0, at) == 0) {
        it->help.pop_back();
        it->help += "; regression: " + r.spec.help.substr(at + 10);
      } else {
        it->help += "; with --task regression: " + r.spec.help;
      }
    }
  }
  return out;
}

OptionSpec task_option() {
  return {"task", "classification|regression",
          "what the labels are: classes (a KernelClassifier, the default) or numeric targets "
          "(a KernelRegressor)"};
}

bool is_regression(const Options& o) {
  if (!o.has("task")) return false;
  const std::string task = o.get("task");
  if (task != "classification" && task != "regression") {
    throw UsageError(o.typed("task") + " " + task + ": expected classification or regression");
  }
  return task == "regression";
}

OptionSpec threads_option() {
  return {"threads", "N", "threads: -1 all cores (default), k >= 1 exactly k", {"n-jobs"}};
}

int threads(const Options& o) {
  if (!o.has("threads")) return -1;
  const long long n = o.get_int("threads", -1);
  if (n == 0 || n < -1000000 || n > 1000000) {
    throw UsageError(o.typed("threads") + " " + o.get("threads") +
                     ": expected -1 (all cores), -k (all but k - 1) or k >= 1 threads");
  }
  if (n > strider::max_threads()) {
    std::cerr << "strider: warning: " << o.typed("threads") << " " << n << ": this machine has "
              << strider::available_cores() << " core"
              << (strider::available_cores() == 1 ? "" : "s") << "; using "
              << strider::max_threads() << " threads\n";
    return strider::max_threads();
  }
  return static_cast<int>(n);
}

OptionSpec memory_limit_option() {
  return {"memory-limit", "SIZE",
          "refuse work whose memory estimate exceeds SIZE (e.g. 8G, 512M; default: the "
          "physical memory, ulimit -v or the cgroup limit, whichever is smallest)"};
}

std::uint64_t memory_limit(const Options& o) {
  if (!o.has("memory-limit")) return 0;
  const std::string text = o.get("memory-limit");
  const auto fail = [&] {
    throw UsageError(o.typed("memory-limit") + " " + text +
                     ": expected a size such as 8G, 512M or 1000000000 (bytes), at least 1M");
  };
  std::size_t end = 0;
  while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end])))
    ++end;
  if (end == 0 || end > 15) fail();
  std::uint64_t value = std::stoull(text.substr(0, end));
  std::string unit = text.substr(end);
  for (const char* suffix : {"iB", "B"}) {
    if (unit.size() > std::strlen(suffix) && unit.ends_with(suffix)) {
      unit.resize(unit.size() - std::strlen(suffix));
      break;
    }
  }
  if (unit.size() > 1) fail();
  int shift = 0;
  if (unit.size() == 1) {
    switch (std::toupper(static_cast<unsigned char>(unit[0]))) {
      case 'K':
        shift = 10;
        break;
      case 'M':
        shift = 20;
        break;
      case 'G':
        shift = 30;
        break;
      case 'T':
        shift = 40;
        break;
      case 'B':
        shift = 0;
        break;
      default:
        fail();
    }
  }
  if (shift > 0 && value > (std::uint64_t{1} << (63 - shift))) fail();
  value <<= shift;
  if (value < (std::uint64_t{1} << 20)) fail();
  return value;
}

KernelClassifierParams classifier_params(const Options& o) {
  return params_from<KernelClassifierParams, KernelRegressorParams>(o, "classification");
}

KernelRegressorParams regressor_params(const Options& o) {
  return params_from<KernelRegressorParams, KernelClassifierParams>(o,
                                                                    "regression (--task "
                                                                    "regression)");
}

std::string cli_words(std::string message) {
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (std::size_t at = message.find(from); at != std::string::npos;
         at = message.find(from, at + to.size()))
      message.replace(at, from.size(), to);
  };
  for (const auto& option : model_options<KernelClassifierParams>()) {
    const std::string name = option.field.substr(option.field.rfind('.') + 1);
    if (option.spec.negatable) {
      replace_all(name + " = true", "--" + option.spec.name);
      replace_all(name + " = false", "--no-" + option.spec.name);
    } else {
      replace_all(name + " = ", "--" + option.spec.name + " ");
    }
  }
  return message;
}

}  // namespace strider::cli
