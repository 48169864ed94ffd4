// Errors divsim reports: input errors (exit 2) name the file, line, column and key.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace divsim {

/** Where in an input file something was found; line and column start at 1, 0 means unknown. */
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

/**
 * A defect in what the user supplied. Its message is
 * `FILE:LINE:COL: key.path: expected X, found Y`.
 */
class InputError : public std::runtime_error {
 public:
  InputError(SourceLocation where, std::string key, std::string message);

  const SourceLocation& where() const noexcept { return where_; }
  const std::string& key() const noexcept { return key_; }
  const std::string& message() const noexcept { return message_; }

 private:
  SourceLocation where_;
  std::string key_;
  std::string message_;
};

/** Every input error found in one file, in file order. */
class InputErrors : public std::runtime_error {
 public:
  explicit InputErrors(std::vector<InputError> errors);
  const std::vector<InputError>& errors() const noexcept { return errors_; }

 private:
  std::vector<InputError> errors_;
};

/** A failure while running a valid input (I/O, numerical breakdown): exit code 1. */
class RuntimeFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/** Quotes a value as it appears in messages: `"text"`. */
std::string in_quotes(const std::string& text);

}  // namespace divsim
