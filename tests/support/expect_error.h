// Test helpers that pin error messages, as users see them.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "divsim/core/error.h"

/** Runs `statement`, requiring it to throw `Exception` whose what() equals `message`. */
#define EXPECT_THROW_MSG(statement, Exception, message)               \
  do {                                                                \
    try {                                                             \
      statement;                                                      \
      ADD_FAILURE() << "expected " #Exception ", nothing was thrown"; \
    } catch (const Exception& e) {                                    \
      EXPECT_EQ(std::string(e.what()), std::string(message));         \
    }                                                                 \
  } while (false)

/** A path inside the source tree. */
inline std::string source_path(const std::string& relative) {
  return std::string(DIVSIM_SOURCE_DIR) + "/" + relative;
}
