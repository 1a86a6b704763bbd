// CenterFace decoding, as in the reference implementation: a face centre is a heatmap peak above
// the threshold; its size is exp(scale) * 4 and its centre is refined by the offset map. All maps
// have stride 4 relative to the network input.
#include <cmath>

#include "bs_detector.hpp"

namespace {
constexpr float kStride = 4.0f;
}

std::vector<bs::Candidate> bs::decode_centerface(const std::vector<cv::Mat> &outputs,
                                                 const bs_detector_params &params) {
  // Outputs are told apart by channel count: heatmap 1, scale 2, offset 2, landmarks 10. Scale
  // precedes offset in the model's output order, which OpenCV preserves.
  const cv::Mat *heatmap = nullptr, *scale = nullptr, *offset = nullptr;
  for (const auto &blob : outputs) {
    if (blob.dims != 4) continue;
    const int channels = blob.size[1];
    if (channels == 1 && heatmap == nullptr) heatmap = &blob;
    else if (channels == 2 && scale == nullptr) scale = &blob;
    else if (channels == 2 && offset == nullptr) offset = &blob;
  }
  if (heatmap == nullptr || scale == nullptr || offset == nullptr) {
    CV_Error(cv::Error::StsBadArg, "model outputs do not look like CenterFace (heatmap, scale, offset)");
  }
  const int rows = heatmap->size[2], cols = heatmap->size[3];
  const size_t plane = size_t(rows) * cols;
  const float *heat = heatmap->ptr<float>();
  const float *scale_h = scale->ptr<float>(), *scale_w = scale_h + plane;
  const float *offset_y = offset->ptr<float>(), *offset_x = offset_y + plane;

  std::vector<Candidate> found;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      const size_t i = size_t(r) * cols + c;
      const float score = heat[i];
      if (score <= params.score_threshold) continue;
      const float h = std::exp(scale_h[i]) * kStride, w = std::exp(scale_w[i]) * kStride;
      const float cx = (c + offset_x[i] + 0.5f) * kStride, cy = (r + offset_y[i] + 0.5f) * kStride;
      const float x0 = std::max(0.f, cx - w / 2), y0 = std::max(0.f, cy - h / 2);
      const float x1 = std::min(float(params.input_width), x0 + w);
      const float y1 = std::min(float(params.input_height), y0 + h);
      if (x1 > x0 && y1 > y0) found.push_back({cv::Rect2f(x0, y0, x1 - x0, y1 - y0), score});
    }
  }
  return found;
}
