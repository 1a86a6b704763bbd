// The detector object behind the opaque `bs_detector` handle, and the per-architecture decoders.
#pragma once

#include <opencv2/dnn.hpp>
#include <vector>

#include "bs_vision.h"

struct bs_detector {
  bs_detector_params params;
  cv::dnn::Net net;
  std::vector<cv::String> output_names;
  cv::Mat padded;  // reused letterbox canvas, so a detection allocates nothing per call
};

namespace bs {

// A candidate box in the network's input pixel space.
struct Candidate {
  cv::Rect2f box;
  float score;
};

// Decodes CenterFace's heatmap/scale/offset maps (stride 4) into boxes in input pixels.
std::vector<Candidate> decode_centerface(const std::vector<cv::Mat> &outputs, const bs_detector_params &params);

// Decodes an SSD DetectionOutput blob [1, 1, N, 7] into boxes in input pixels.
std::vector<Candidate> decode_ssd(const cv::Mat &output, const bs_detector_params &params);

}  // namespace bs
