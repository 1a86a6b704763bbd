// SSD DetectionOutput decoding: rows of (image, label, score, x1, y1, x2, y2), normalized.
#include <algorithm>

#include "bs_detector.hpp"

std::vector<bs::Candidate> bs::decode_ssd(const cv::Mat &output, const bs_detector_params &params) {
  std::vector<Candidate> found;
  if (output.total() % 7 != 0) CV_Error(cv::Error::StsBadSize, "SSD output is not a multiple of 7 values");
  const auto *rows = output.ptr<float>();
  const size_t count = output.total() / 7;
  for (size_t i = 0; i < count; ++i) {
    const float *row = rows + i * 7;
    const int label = int(row[1]);
    const float score = row[2];
    if (score < params.score_threshold || label <= 0) continue;
    if (params.class_id >= 0 && label != params.class_id) continue;
    const float x0 = std::clamp(row[3], 0.f, 1.f) * params.input_width;
    const float y0 = std::clamp(row[4], 0.f, 1.f) * params.input_height;
    const float x1 = std::clamp(row[5], 0.f, 1.f) * params.input_width;
    const float y1 = std::clamp(row[6], 0.f, 1.f) * params.input_height;
    if (x1 <= x0 || y1 <= y0) continue;
    found.push_back({cv::Rect2f(x0, y0, x1 - x0, y1 - y0), score});
  }
  return found;
}
