#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "capture/process_watch.h"
#include "common/errors.h"

using namespace pktmask;

TEST_CASE("process_watch tells when the process exits") {
  pid_t child = ::fork();
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  REQUIRE(child > 0);
  ProcessWatch watch(child);
  CHECK(watch.pid() == child);
  CHECK_FALSE(watch.exited());
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  CHECK(watch.exited());
}

TEST_CASE("process_watch refuses a process that does not exist") {
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  REQUIRE(child > 0);
  ::waitpid(child, nullptr, 0);
  try {
    ProcessWatch watch(child);
    FAIL("watched a process that was gone");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::start_process_not_found);
  }
}
