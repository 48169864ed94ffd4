// An HDF5 identifier closed on scope exit, and the check of an HDF5 status: shared by the run-file
// writer and the comparison reader.
#pragma once

#include <hdf5.h>

#include <string>

#include "divsim/core/error.h"

namespace divsim::detail {

class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t), const std::string& what) : id_(id), close_(close) {
    if (id_ < 0) throw RuntimeFailure("hdf5: cannot " + what);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  operator hid_t() const { return id_; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

inline void check(herr_t status, const std::string& what) {
  if (status < 0) throw RuntimeFailure("hdf5: cannot " + what);
}

}  // namespace divsim::detail
