// Bad scenario input: syntax errors, text that is not UTF-8, bad --set and
// --policy arguments, garbage and mutated files, presets with errors; and
// InputError is the only exception bad input can raise.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>

#include "detsim/load.hpp"
#include "scenario_errors_support.hpp"
#include "scenario/scenario_yaml.hpp"

using namespace detsim;
using namespace detsim::testing;

TEST_CASE("scenario syntax errors and text that is not UTF-8 are reported where they are") {
  check({
      {"unclosed list", edit("name: t\n", "name: [t\n"), "s.yaml:", "YAML syntax error"},
      {"bad indentation", edit("  - id: b\n", " - id: b\n"), "s.yaml:", "YAML syntax error"},
      {"invalid UTF-8", edit("name: t", "name: t\xC3("),
       "s.yaml:1:8: the text is not valid UTF-8 (byte 0xC3)", ""},
      {"invalid UTF-8 later", append("# caf\xE9\n"),
       "s.yaml:27:6: the text is not valid UTF-8 (byte 0xE9)", ""},
      {"overlong UTF-8", append("# \xC0\xAF\n"), "s.yaml:27:3: the text is not valid UTF-8", ""},
      {"NUL byte", append(std::string("# a\0b\n", 6)), "s.yaml:27:4: a control character (0x00)",
       ""},
      {"two documents", kBase + "---\nname: u\n", "s.yaml:", "only one YAML document is allowed"},
      {"alias of its own container", edit("name: t", "name: &x [1, *x]"),
       "s.yaml:1:14:", "an alias (*) may not refer to a node that contains it"},
      {"undefined alias", edit("name: t", "name: *nope"), "s.yaml:1:", "YAML syntax error"},
  });
  CHECK(error_of(append("description: café – ünïcödé ✓\n")) == "");
  std::string unclosed = error_of(edit("name: t\n", "name: [t\n"));
  CHECK_THAT(unclosed, StartsWith("s.yaml:2:"));
}

TEST_CASE("a bad --set reports the segment it cannot follow, and values in error at --set:1:COL") {
  const auto set = [](const std::string& argument) {
    return error_of(kBase, LoadOptions{{argument}, "", ""});
  };
  CHECK(set("facilities.nope.policy=sanctuary") ==
        "--set:1:1: facilities.nope.policy: no list item with id 'nope' (ids: jail, prison)");
  CHECK(set("facilities.jail.bookings_per_day=-3") ==
        "--set:1:34: facilities[0].bookings_per_day: expected a number >= 0 and <= 1000000, found "
        "-3");
  CHECK(set("horizon_days") == "--set:1:1: expected PATH=VALUE, found 'horizon_days'");
  CHECK(set("name.first=x") ==
        "--set:1:1: name.first: 'name' is a value (t), not a mapping or a list");
  CHECK(set("offenses.5.share=1") ==
        "--set:1:1: offenses.5.share: index 5 is past the end of the list (2 items)");
  CHECK(set("ice..teams=1") ==
        "--set:1:1: ice..teams: expected a path of names separated by single dots");
  CHECK(set("ice.pickup.temas=3") ==
        "--set:1:12: ice.pickup.temas: unknown key 'temas' (did you mean 'teams'?)");
  CHECK_THAT(set("ice.pickup.delay={dist: fixed"), StartsWith("--set:1:"));
  CHECK_THAT(set("ice.pickup.delay={dist: fixed"), Contains("YAML syntax error"));
  CHECK_THAT(set("offenses.a.pretrial_stay={dist: fixed, hours: -1}"),
             StartsWith("--set:1:47: offenses[0].pretrial_stay.hours: expected a number >= 0"));
  YamlNode tree = parse_yaml("a: [1, 2]\n", "t.yaml");
  try {
    apply_set(tree, "a.x", YamlNode::scalar("3"));
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) ==
          "--set:1:1: a.x: no list item 'x' (the list has 2 items: use an index from 0)");
  }
}

TEST_CASE("a --policy override of a scenario must name a known policy that can preempt") {
  CHECK_THAT(error_of(kBase, LoadOptions{{}, "local-option", ""}),
             StartsWith("--policy:1:1: state.policy: 'local-option' leaves each facility its own "
                        "policy, so it cannot preempt"));
  CHECK_THAT(error_of(kBase, LoadOptions{{}, "sanctuery", ""}),
             StartsWith("--policy:1:1: state.policy: unknown policy 'sanctuery' (did you mean "
                        "'sanctuary'?); known policies: 287g-jail, "));
}

TEST_CASE("garbage scenario input raises InputError and nothing else") {
  std::string bomb = "name: t\n";
  bomb += "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 8; ++i) {
    bomb += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) bomb += (k ? ", *l" : "*l") + std::to_string(i - 1);
    bomb += "]\n";
  }
  check({
      {"empty file", "", "s.yaml:1:1: the scenario is empty", ""},
      {"only a comment", "# nothing\n", "s.yaml:1:1: the scenario is empty", ""},
      {"a list", "- a\n- b\n", "s.yaml:1:1: expected a mapping of scenario keys", "found a list"},
      {"a scalar", "hello\n", "s.yaml:1:1: expected a mapping of scenario keys", "found hello"},
      {"binary bytes", std::string("\x01\x02garbage\xff\x00", 11),
       "s.yaml:1:1: a control character (0x01)", ""},
      {"a huge integer", edit("horizon_days: 30", "horizon_days: 99999999999999999999999"),
       "s.yaml:3:15: horizon_days: expected an integer from 1 to 36500", ""},
      {"1e400", edit("horizon_days: 30", "horizon_days: 1e400"),
       "s.yaml:3:15: horizon_days: expected an integer from 1 to 36500, found 1e400", ""},
      {"1e400 bookings", edit("bookings_per_day: 10", "bookings_per_day: 1e400"),
       "s.yaml:23:23: facilities[0].bookings_per_day:", "found 1e400 (too large for a number)"},
      {"nan", edit("bookings_per_day: 10", "bookings_per_day: .nan"),
       "s.yaml:23:23: facilities[0].bookings_per_day: expected a number", "found .nan"},
      {"inf", edit("bookings_per_day: 10", "bookings_per_day: .inf"),
       "s.yaml:23:23: facilities[0].bookings_per_day: expected a number", "found .inf"},
      {"hex", edit("bookings_per_day: 10", "bookings_per_day: 0x10"),
       "s.yaml:23:23: facilities[0].bookings_per_day: expected a number", "found 0x10"},
      {"deep nesting", "name: " + std::string(5000, '['), "s.yaml:1:", "YAML nested more than"},
      {"an alias bomb", bomb, "s.yaml:", "too many YAML nodes"},
  });
  CHECK_THAT(error_of(kBase, LoadOptions{{}, "", ""}), Catch::Matchers::Equals(""));
  try {
    load_scenario("/nonexistent/scenario.yaml");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) ==
          "/nonexistent/scenario.yaml:1:1: cannot read the file: No such file or directory");
  }
}

TEST_CASE("truncated and mutated scenarios raise InputError and nothing else") {
  std::string example;
  REQUIRE(read_file_text(DETSIM_SOURCE_DIR "/tests/data/loader/example.yaml", &example));
  for (std::size_t n = 0; n < example.size(); n += 11) {
    const std::string message = error_of(example.substr(0, n));
    INFO(n << ": " << message);
    CHECK_THAT(message, !StartsWith("not an InputError"));
  }
  std::mt19937 rng(12345);  // fixed: the same mutations on every run
  const std::string bytes = " :-[]{},#&*!|>'\"%@`\n\t0123456789.eE+abcxyz\xC3\xA9\xFF";
  for (int i = 0; i < 300; ++i) {
    std::string text = example;
    for (int k = 0; k < 3; ++k) {
      text[rng() % text.size()] = bytes[rng() % bytes.size()];
    }
    const std::string message = error_of(text);
    INFO(i << ": " << message);
    CHECK_THAT(message, !StartsWith("not an InputError"));
  }
}

TEST_CASE("preset files with errors are reported with their file and line") {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("detsim-bad-presets-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "bad.yaml") << "name: other-name\ndefault: honor\n";
  std::ofstream(dir / "off.yaml") << "name: off\ndefault: honor\nrules:\n  - when: {offense: [a]}\n"
                                     "    action: honor\n";
  std::ofstream(dir / "good.yaml") << "name: good\ndefault: notify\n";
  try {
    load_presets(dir.string());
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) ==
          (dir / "bad.yaml").string() +
              ":1:7: name: expected 'bad' (the file's name), found other-name");
  }
  std::filesystem::remove(dir / "bad.yaml");
  const std::string off_dir = dir.string() + "/.";  // another folder name: read afresh
  try {
    load_presets(off_dir);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK_THAT(e.what(), StartsWith(off_dir + "/off.yaml:4:21: rules[0].when.offense: a preset "
                                              "cannot name offenses"));
  }
  // The good preset stays usable; an unknown name mentions the broken file.
  LoadOptions options{{}, "", off_dir};
  CHECK(error_of(edit("{policy: cooperative}", "{policy: good}"), options) == "");
  CHECK_THAT(error_of(kBase, options), Contains("off.yaml:4:21"));
  CHECK_THAT(error_of(kBase, options), StartsWith("s.yaml:20:17: state.policy: unknown policy"));
  CHECK_THAT(error_of(kBase, LoadOptions{{}, "", "/nonexistent/presets"}),
             Contains("cannot read the preset folder"));
  CHECK_THROWS_AS(load_presets("/nonexistent/presets"), InputError);
  std::filesystem::remove_all(dir);
}
