// Formatting of divsim's error messages.
#include "divsim/core/error.h"

namespace divsim {
namespace {

std::string format_input_error(const SourceLocation& where, const std::string& key,
                               const std::string& message) {
  std::string text = where.file;
  if (where.line > 0) {
    text.append(":").append(std::to_string(where.line));
    if (where.column > 0) text.append(":").append(std::to_string(where.column));
  }
  text.append(": ");
  if (!key.empty()) text.append(key).append(": ");
  return text.append(message);
}

std::string join(const std::vector<InputError>& errors) {
  std::string text;
  for (const auto& e : errors) {
    if (!text.empty()) text += '\n';
    text += e.what();
  }
  return text;
}

}  // namespace

InputError::InputError(SourceLocation where, std::string key, std::string message)
    : std::runtime_error(format_input_error(where, key, message)),
      where_(std::move(where)),
      key_(std::move(key)),
      message_(std::move(message)) {}

InputErrors::InputErrors(std::vector<InputError> errors)
    : std::runtime_error(join(errors)), errors_(std::move(errors)) {}

std::string in_quotes(const std::string& text) {
  return "\"" + text + "\"";
}

}  // namespace divsim
