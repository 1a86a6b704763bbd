// The verifier: a classifier's second opinion on each box, from the context patch around it.
// The patch must be cut exactly as models/plates/verifier_patch.py cuts the training patches.
#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "bs_detector.hpp"
#include "bs_errors.hpp"

extern "C" bs_status bs_detector_set_verifier(bs_detector *detector, const char *model_path, int input_width,
                                              int input_height, float scale, char *err, size_t err_size) {
  if (detector == nullptr || model_path == nullptr || input_width <= 0 || input_height <= 0) {
    bs::write_error(err, err_size, "verifier: a detector, a model path and a positive input size are required");
    return BS_ERR_ARGUMENT;
  }
  return bs::guarded(err, err_size, BS_ERR_MODEL, [&]() -> bs_status {
    cv::dnn::Net net = cv::dnn::readNet(model_path);
    if (net.empty()) {
      bs::write_error(err, err_size, "OpenCV loaded no network from the verifier's model file");
      return BS_ERR_MODEL;
    }
    net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    detector->verifier = net;
    detector->verifier_size = cv::Size(input_width, input_height);
    detector->verifier_scale = scale;
    return BS_OK;
  });
}

namespace {

// Python's round(), half to even, which verifier_patch.py uses (std::nearbyint in the default
// rounding mode does the same).
int round_even(double value) { return int(std::nearbyint(value)); }

// Fills `patch` (its size set) with the context window around the box: twice its width or four
// times its height, whichever is larger, half as tall; black off the image.
void context_patch(const cv::Mat &image, double x0, double y0, double x1, double y1, cv::Mat &patch) {
  const double ww = std::max({2 * (x1 - x0), 4 * (y1 - y0), 1.0}), wh = ww / 2;
  const double wx = (x0 + x1) / 2 - ww / 2, wy = (y0 + y1) / 2 - wh / 2;
  const double scale = patch.cols / ww;
  patch.setTo(cv::Scalar::all(0));
  // The part of the window inside the image, in whole pixels, and where it lands in the patch.
  const int sx0 = std::max(0, round_even(wx)), sy0 = std::max(0, round_even(wy));
  const int sx1 = std::min(image.cols, round_even(wx + ww)), sy1 = std::min(image.rows, round_even(wy + wh));
  const int dx0 = std::max(0, round_even((sx0 - wx) * scale)), dy0 = std::max(0, round_even((sy0 - wy) * scale));
  const int dx1 = std::min(patch.cols, round_even((sx1 - wx) * scale));
  const int dy1 = std::min(patch.rows, round_even((sy1 - wy) * scale));
  if (sx1 <= sx0 || sy1 <= sy0 || dx1 <= dx0 || dy1 <= dy0) return;
  const bool shrinking = (dx1 - dx0) < (sx1 - sx0);
  cv::Mat target = patch(cv::Rect(dx0, dy0, dx1 - dx0, dy1 - dy0));
  cv::resize(image(cv::Rect(sx0, sy0, sx1 - sx0, sy1 - sy0)), target, target.size(), 0, 0,
             shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
}

}  // namespace

float bs::verify(bs_detector &d, const cv::Mat &image, float x0, float y0, float x1, float y1) {
  d.patch.create(d.verifier_size, CV_8UC3);
  context_patch(image, x0, y0, x1, y1, d.patch);
  d.verifier.setInput(cv::dnn::blobFromImage(d.patch, d.verifier_scale, d.verifier_size, cv::Scalar(), false, false));
  const cv::Mat output = d.verifier.forward();
  return output.ptr<float>(0)[0];
}
