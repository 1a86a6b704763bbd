// Error plumbing shared by the shim's entry points: no C++ exception may reach Swift.
#pragma once

#include <cstdio>
#include <exception>
#include <opencv2/core.hpp>

#include "bs_vision.h"

namespace bs {

inline void write_error(char *err, size_t err_size, const char *message) {
  if (err != nullptr && err_size > 0) std::snprintf(err, err_size, "%s", message);
}

// Runs `body`, turning any exception into a status and a message. `failure` is the status an
// OpenCV error maps to at this entry point (a model error while loading, an inference error later).
template <typename Body>
bs_status guarded(char *err, size_t err_size, bs_status failure, Body &&body) {
  try {
    return body();
  } catch (const cv::Exception &e) {
    write_error(err, err_size, e.what());
    return failure;
  } catch (const std::exception &e) {
    write_error(err, err_size, e.what());
    return BS_ERR_INTERNAL;
  } catch (...) {
    write_error(err, err_size, "unknown C++ exception");
    return BS_ERR_INTERNAL;
  }
}

}  // namespace bs
