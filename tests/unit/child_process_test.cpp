#include <catch2/catch.hpp>

#include <signal.h>

#include <cerrno>
#include <system_error>

#include "common/child_process.h"

using namespace pktmask;

namespace {

ChildExit reaped(ChildProcess& child) {
  for (;;)
    if (std::optional<ChildExit> exit = child.try_reap()) return *exit;
}

}  // namespace

TEST_CASE("child_process streams stdout line by line, the last line without its newline too") {
  ChildProcess child({.program = "printf", .arguments = {"one\\n\\ntwo\\nthree"}, .stream_stdout = true});
  std::vector<std::string> lines;
  for (std::string line; child.read_line(line);) lines.push_back(line);
  CHECK(lines == std::vector<std::string>{"one", "", "two", "three"});
  ChildExit exit = child.wait();
  CHECK(!exit.signaled);
  CHECK(exit.number == 0);
}

TEST_CASE("child_process keeps stdout and stderr for after the exit, and its status") {
  ChildProcess child({.program = "sh", .arguments = {"-c", "echo out; echo error >&2; exit 3"}});
  ChildExit exit = reaped(child);
  CHECK(exit.shell_code() == 3);
  CHECK(child.stdout_text() == "out\n");
  CHECK(child.stderr_text() == "error\n");
  CHECK(child.stderr_text(3) == "err");
}

TEST_CASE("child_process passes argv[0] and reports a signal as a shell does") {
  ChildProcess named({.program = "sh", .name = "custom", .arguments = {"-c", "echo $0"}});
  reaped(named);
  CHECK(named.stdout_text() == "custom\n");

  ChildProcess sleeper({.program = "sleep", .arguments = {"60"}});
  sleeper.send_signal(SIGKILL);
  ChildExit exit = sleeper.wait();
  CHECK(exit.signaled);
  CHECK(exit.number == SIGKILL);
  CHECK(exit.shell_code() == 128 + SIGKILL);
}

TEST_CASE("child_process throws the errno of a program that cannot start") {
  try {
    ChildProcess child({.program = "pktmask-no-such-program"});
    FAIL("started a program that does not exist");
  } catch (const std::system_error& e) {
    CHECK(e.code().value() == ENOENT);
  }
}
