#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "divsim/core/atomic_output.h"
#include "expect_error.h"

using namespace divsim;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("divsim_atomic_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream(p) << text;
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST(atomic_output_test, existing_file_is_refused_without_overwrite) {
  const fs::path dir = scratch("refuse");
  write(dir / "run.h5", "precious");
  EXPECT_THROW_MSG(AtomicOutput((dir / "run.h5").string(), false), InputError,
                   (dir / "run.h5").string() + ": output exists (use --force to overwrite it)");
  EXPECT_EQ(read(dir / "run.h5"), "precious");
}

TEST(atomic_output_test, nothing_lands_until_commit_and_temp_is_removed_when_abandoned) {
  const fs::path dir = scratch("abandon");
  std::string temp;
  {
    AtomicOutput out((dir / "sub" / "run.h5").string(), false);
    EXPECT_FALSE(fs::exists(dir / "sub")) << "checking the target touches nothing";
    temp = out.prepare();
    write(temp, "partial");
    EXPECT_FALSE(fs::exists(dir / "sub" / "run.h5"));
  }
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_FALSE(fs::exists(dir / "sub" / "run.h5"));
}

TEST(atomic_output_test, commit_replaces_only_with_overwrite) {
  const fs::path dir = scratch("commit");
  write(dir / "run.h5", "old");
  AtomicOutput out((dir / "run.h5").string(), true);
  write(out.prepare(), "new");
  EXPECT_EQ(read(dir / "run.h5"), "old");
  out.commit();
  EXPECT_EQ(read(dir / "run.h5"), "new");
  EXPECT_FALSE(fs::exists(out.temp_path()));
}

TEST(atomic_output_test, a_file_that_appears_during_the_run_is_not_overwritten) {
  const fs::path dir = scratch("race");
  AtomicOutput out((dir / "run.h5").string(), false);
  write(out.prepare(), "run");
  write(dir / "run.h5", "someone else's");
  EXPECT_THROW_MSG(out.commit(), RuntimeFailure,
                   (dir / "run.h5").string() +
                       " appeared during the run and was not overwritten; " +
                       "the run is kept as " + out.temp_path());
  EXPECT_EQ(read(dir / "run.h5"), "someone else's");
  EXPECT_EQ(read(out.temp_path()), "run");
}
