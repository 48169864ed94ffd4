// The milestone table `divsim batch` and `divsim merge` print: read back from the batch file, so
// that what people read is what the file holds.
#pragma once

#include <string>

namespace divsim {

/**
 * Per scenario and milestone year: world Internet use (median and 5-95 % range over the runs),
 * the income, urban-rural and gender gaps (medians), users gained against the reference, money
 * spent and cost per user gained. A file that is not a batch file is an InputError naming it.
 */
std::string format_batch_table(const std::string& path);

}  // namespace divsim
