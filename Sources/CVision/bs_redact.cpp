// Redaction on a frame's own planes, in place. No RGB conversion and no copy of the frame: each
// rectangle is mapped into every plane through its subsampling and processed as an OpenCV ROI
// that aliases the plane's memory.
#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "bs_errors.hpp"

namespace {

// Cells left across the short side of a blurred box. Four cells carry a rough colour layout and
// nothing else, whatever the box size: a face becomes a few smooth blobs.
constexpr int kBlurCells = 4;
// Cells across the short side of a pixelated box.
constexpr int kPixelateCells = 8;

cv::Mat plane_matrix(const bs_plane &p) {
  const int depth = p.bytes_per_sample == 2 ? CV_16U : CV_8U;
  return cv::Mat(p.height, p.width, CV_MAKETYPE(depth, p.channels), p.data, size_t(p.linesize));
}

// The plane-space rectangle that covers the luma rectangle completely (floor the start, ceil the end).
cv::Rect plane_rect(const bs_plane &p, const bs_rect &r) {
  const int x0 = r.x >> p.shift_x, y0 = r.y >> p.shift_y;
  const int x1 = -((-(r.x + r.width)) >> p.shift_x), y1 = -((-(r.y + r.height)) >> p.shift_y);
  return cv::Rect(x0, y0, x1 - x0, y1 - y0) & cv::Rect(0, 0, p.width, p.height);
}

cv::Size cells_for(const cv::Size &size, int cells_across_short_side) {
  const int short_side = std::min(size.width, size.height);
  const double cell = std::max(1.0, double(short_side) / cells_across_short_side);
  return cv::Size(std::max(1, int(size.width / cell + 0.5)), std::max(1, int(size.height / cell + 0.5)));
}

void blur(cv::Mat roi) {
  cv::Mat small;
  cv::resize(roi, small, cells_for(roi.size(), kBlurCells), 0, 0, cv::INTER_AREA);
  cv::resize(small, roi, roi.size(), 0, 0, cv::INTER_LINEAR);  // writes into the ROI: same size and type
  // Two box filters (≈ a Gaussian) smooth the cell seams; cost does not grow with the kernel.
  const int k = std::max(3, (std::min(roi.cols, roi.rows) / kBlurCells) | 1);
  cv::blur(roi, roi, cv::Size(k, k), cv::Point(-1, -1), cv::BORDER_REPLICATE);
  cv::blur(roi, roi, cv::Size(k, k), cv::Point(-1, -1), cv::BORDER_REPLICATE);
}

void pixelate(cv::Mat roi) {
  cv::Mat small;
  cv::resize(roi, small, cells_for(roi.size(), kPixelateCells), 0, 0, cv::INTER_AREA);
  cv::resize(small, roi, roi.size(), 0, 0, cv::INTER_NEAREST);
}

}  // namespace

extern "C" bs_status bs_redact(const bs_plane *planes, int plane_count, const bs_rect *rects, int rect_count,
                               bs_style style, char *err, size_t err_size) {
  if ((plane_count > 0 && planes == nullptr) || (rect_count > 0 && rects == nullptr)) {
    bs::write_error(err, err_size, "redact: invalid arguments");
    return BS_ERR_ARGUMENT;
  }
  for (int i = 0; i < plane_count; ++i) {
    const auto &p = planes[i];
    if (p.data == nullptr || p.channels < 1 || p.channels > 2 || (p.bytes_per_sample != 1 && p.bytes_per_sample != 2) ||
        p.linesize < p.width * p.channels * p.bytes_per_sample) {
      bs::write_error(err, err_size, "redact: invalid plane description");
      return BS_ERR_ARGUMENT;
    }
  }
  return bs::guarded(err, err_size, BS_ERR_INTERNAL, [&]() -> bs_status {
    for (int i = 0; i < plane_count; ++i) {
      const cv::Mat plane = plane_matrix(planes[i]);
      const cv::Scalar fill(planes[i].fill[0], planes[i].fill[1]);
      for (int j = 0; j < rect_count; ++j) {
        const cv::Rect area = plane_rect(planes[i], rects[j]);
        if (area.empty()) continue;
        cv::Mat roi = plane(area);
        switch (style) {
          case BS_STYLE_BLUR: blur(roi); break;
          case BS_STYLE_PIXELATE: pixelate(roi); break;
          case BS_STYLE_FILL: roi.setTo(fill); break;
        }
      }
    }
    return BS_OK;
  });
}
