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
  // The optional verifier (bs_detector_set_verifier); empty without one.
  cv::dnn::Net verifier;
  cv::Size verifier_size;
  float verifier_scale = 1;
  cv::Mat patch;  // reused context patch
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

// The verifier's score for the box (x0, y0)-(x1, y1), in `image` pixels.
float verify(bs_detector &detector, const cv::Mat &image, float x0, float y0, float x1, float y1);

}  // namespace bs
