// Detector life cycle and the shared detect path: letterbox/stretch, blob, forward, decode, NMS.
#include "bs_detector.hpp"

#include <algorithm>
#include <new>
#include <opencv2/imgproc.hpp>

#include "bs_errors.hpp"

extern "C" bs_detector_params bs_detector_default_params(bs_detector_kind kind) {
  bs_detector_params p{};
  p.kind = kind;
  p.nms_threshold = 0.3f;
  p.class_id = -1;
  p.scale = 1.0f;
  switch (kind) {
    case BS_DETECTOR_CENTERFACE:
      p.input_width = 640;
      p.input_height = 384;
      p.swap_rb = 1;
      p.letterbox = 1;
      p.score_threshold = 0.5f;
      break;
    case BS_DETECTOR_SSD:
      p.input_width = 300;
      p.input_height = 300;
      p.letterbox = 0;
      p.score_threshold = 0.5f;
      break;
  }
  return p;
}

// OpenCV reads 0 as "no threads at all" and -1 as "the default".
extern "C" void bs_set_thread_count(int count) { cv::setNumThreads(count > 0 ? count : -1); }

extern "C" bs_status bs_detector_create(const char *model_path, const char *config_path,
                                        const bs_detector_params *params, bs_detector **out, char *err,
                                        size_t err_size) {
  if (out == nullptr) return BS_ERR_ARGUMENT;
  *out = nullptr;
  if (model_path == nullptr || params == nullptr || params->input_width <= 0 || params->input_height <= 0) {
    bs::write_error(err, err_size, "model path and a positive input size are required");
    return BS_ERR_ARGUMENT;
  }
  return bs::guarded(err, err_size, BS_ERR_MODEL, [&]() -> bs_status {
    cv::dnn::Net net = cv::dnn::readNet(model_path, config_path == nullptr ? "" : config_path);
    if (net.empty()) {
      bs::write_error(err, err_size, "OpenCV loaded no network from the model file");
      return BS_ERR_MODEL;
    }
    net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    auto *detector = new (std::nothrow) bs_detector();
    if (detector == nullptr) return BS_ERR_INTERNAL;
    detector->params = *params;
    detector->net = net;
    detector->output_names = net.getUnconnectedOutLayersNames();
    *out = detector;
    return BS_OK;
  });
}

extern "C" void bs_detector_destroy(bs_detector *detector) { delete detector; }

namespace {

// Places the caller's image into the network's input: either scaled to fit and padded with black
// (aspect kept; boxes map back by one factor) or stretched (SSD). Returns the scale factors from
// input pixels back to image pixels.
cv::Mat prepare_input(bs_detector &d, const cv::Mat &image, float &back_x, float &back_y) {
  const auto &p = d.params;
  if (!p.letterbox) {
    back_x = float(image.cols) / float(p.input_width);
    back_y = float(image.rows) / float(p.input_height);
    return image;  // blobFromImage stretches it to the input size
  }
  const double fit = std::min(double(p.input_width) / image.cols, double(p.input_height) / image.rows);
  const int w = std::max(1, int(image.cols * fit + 0.5)), h = std::max(1, int(image.rows * fit + 0.5));
  d.padded.create(p.input_height, p.input_width, CV_8UC3);
  d.padded.setTo(cv::Scalar::all(0));
  cv::Mat target = d.padded(cv::Rect(0, 0, std::min(w, p.input_width), std::min(h, p.input_height)));
  if (target.size() == image.size()) {
    image.copyTo(target);
  } else {
    cv::resize(image, target, target.size(), 0, 0, fit < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  }
  back_x = float(image.cols) / float(target.cols);
  back_y = float(image.rows) / float(target.rows);
  return d.padded;
}

}  // namespace

extern "C" bs_status bs_detector_detect(bs_detector *detector, const uint8_t *bgr, int width, int height,
                                        size_t stride, bs_detection *out, int capacity, int *count, char *err,
                                        size_t err_size) {
  if (count != nullptr) *count = 0;
  if (detector == nullptr || bgr == nullptr || count == nullptr || width <= 0 || height <= 0 ||
      stride < size_t(width) * 3 || (capacity > 0 && out == nullptr)) {
    bs::write_error(err, err_size, "detect: invalid arguments");
    return BS_ERR_ARGUMENT;
  }
  return bs::guarded(err, err_size, BS_ERR_INFERENCE, [&]() -> bs_status {
    auto &d = *detector;
    const auto &p = d.params;
    // Aliases the caller's buffer: nothing is copied until the resize into the network input.
    const cv::Mat image(height, width, CV_8UC3, const_cast<uint8_t *>(bgr), stride);
    float back_x = 1, back_y = 1;
    const cv::Mat input = prepare_input(d, image, back_x, back_y);
    const cv::Mat blob = cv::dnn::blobFromImage(input, p.scale, cv::Size(p.input_width, p.input_height),
                                                cv::Scalar(p.mean[0], p.mean[1], p.mean[2]), p.swap_rb != 0,
                                                /*crop=*/false);
    d.net.setInput(blob);
    std::vector<cv::Mat> outputs;
    d.net.forward(outputs, d.output_names);

    std::vector<bs::Candidate> candidates = p.kind == BS_DETECTOR_CENTERFACE
                                                ? bs::decode_centerface(outputs, p)
                                                : bs::decode_ssd(outputs.at(0), p);
    std::vector<cv::Rect2d> boxes;
    std::vector<float> scores;
    for (const auto &c : candidates) {
      boxes.emplace_back(c.box.x, c.box.y, c.box.width, c.box.height);
      scores.push_back(c.score);
    }
    std::vector<int> kept;
    cv::dnn::NMSBoxes(boxes, scores, p.score_threshold, p.nms_threshold, kept);
    std::sort(kept.begin(), kept.end(), [&](int a, int b) { return scores[a] > scores[b]; });

    int n = 0;
    for (int index : kept) {
      if (n >= capacity) break;
      // Input pixels → image pixels → normalized to the caller's image.
      const auto &b = boxes[index];
      const float x0 = std::clamp(float(b.x) * back_x, 0.f, float(width));
      const float y0 = std::clamp(float(b.y) * back_y, 0.f, float(height));
      const float x1 = std::clamp(float(b.x + b.width) * back_x, 0.f, float(width));
      const float y1 = std::clamp(float(b.y + b.height) * back_y, 0.f, float(height));
      if (x1 <= x0 || y1 <= y0) continue;
      const float verifier_score = d.verifier.empty() ? -1.f : bs::verify(d, image, x0, y0, x1, y1);
      out[n++] = bs_detection{x0 / width, y0 / height, (x1 - x0) / width, (y1 - y0) / height, scores[index],
                              verifier_score};
    }
    *count = n;
    return BS_OK;
  });
}
