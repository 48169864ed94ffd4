#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "divsim/calibration/calibration.h"
#include "expect_error.h"

using namespace divsim;

namespace {

/** Writes `text` to a calibration file in the build's temp folder and returns its path. */
std::string write(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

const std::string kTables =
    "[calibration]\n"
    "scenario = \"" DIVSIM_SOURCE_DIR
    "/scenarios/history-2015.toml\"\n"
    "targets = \"" DIVSIM_SOURCE_DIR
    "/calibration/calibration_targets.csv\"\n"
    "calibrated = \"out/calibrated.toml\"\nposterior = \"out/posterior.csv\"\nreport = \"out\"\n";

}  // namespace

TEST(calibration_config_test, reads_parameters_with_their_ranges) {
  const auto c =
      load_calibration_config(write("good.toml", kTables + "[[parameters]]\nname = "
                                                           "\"adoption.innovation\"\nmin = "
                                                           "0.001\nmax = 0.01\n"));
  ASSERT_EQ(c.parameters.size(), 1u);
  EXPECT_EQ(c.parameters[0].name, "adoption.innovation");
  EXPECT_EQ(c.parameters[0].min, 0.001);
  EXPECT_EQ(c.parameters[0].max, 0.01);
  EXPECT_EQ(c.calibrated_file, ::testing::TempDir() + "out/calibrated.toml");
}

TEST(calibration_config_test, errors_name_the_line_and_key) {
  const std::string path =
      write("bad.toml", kTables +
                            "[[parameters]]\nname = \"adoption.moon\"\nmin = 0\nmax = 1\n"
                            "[[parameters]]\nname = \"adoption.imitation\"\nmin = 0.2\nmax = 0.1\n"
                            "[[parameters]]\nname = \"adoption.innovation\"\nmin = 0\nmax = 7\n");
  try {
    load_calibration_config(path);
    FAIL() << "expected InputErrors";
  } catch (const InputErrors& e) {
    ASSERT_EQ(e.errors().size(), 3u) << e.what();
    EXPECT_EQ(std::string(e.errors()[0].what()),
              path +
                  ":8:8: parameters[0].name: expected a parameter from the table (see divsim "
                  "params), found \"adoption.moon\"");
    EXPECT_EQ(std::string(e.errors()[1].what()),
              path + ":14:7: parameters[1].max: expected more than min (0.2), found 0.1");
    EXPECT_EQ(std::string(e.errors()[2].what()),
              path + ":18:7: parameters[2].max: expected a number in [0, 1], found 7");
  }
}

TEST(calibration_config_test, targets_must_be_known_figures) {
  const std::string path = write("targets.csv",
                                 "indicator,group,year,value,unit,sigma,source\n"
                                 "internet_use,moon,2020,50,percent,1,x\n"
                                 "internet_use,world,2020,150,percent,1,x\n"
                                 "internet_use,world,2020,50,percent,-1,x\n");
  try {
    load_targets(path);
    FAIL() << "expected InputErrors";
  } catch (const InputErrors& e) {
    ASSERT_EQ(e.errors().size(), 3u) << e.what();
    EXPECT_EQ(std::string(e.errors()[0].what()),
              path +
                  ":2: group: expected one of world, high_income, upper_middle_income, "
                  "lower_middle_income, low_income, urban, rural, female, male, found \"moon\"");
    EXPECT_EQ(std::string(e.errors()[1].what()),
              path + ":3: value: expected a percent in [0, 100], found 150");
    EXPECT_EQ(std::string(e.errors()[2].what()),
              path +
                  ":4: sigma: expected a positive number of percentage points (or nothing "
                  "for a check), found -1");
  }
}

TEST(calibration_config_test, the_shipped_configuration_and_targets_load) {
  const auto c = load_calibration_config(source_path("calibration/calibrate.toml"));
  EXPECT_GE(c.parameters.size(), 2u);
  const auto targets = load_targets(c.targets_file);
  int world = 0;
  for (const auto& t : targets) world += t.indicator == "internet_use" && t.group == "world";
  EXPECT_EQ(world, 20);  // 2005-2024, one vintage
}
