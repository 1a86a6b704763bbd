/*
 * bs_vision — the small C interface Blindspot keeps over OpenCV 4.6.
 *
 * Why a shim: OpenCV's API is C++, Swift imports C. This header is pure C: opaque structs,
 * one prefix (`bs_`), create/destroy pairs, parameter structs from `*_default_params()`,
 * and no C++ exception ever crosses it (every entry point catches all and returns a status).
 *
 * Thread safety: a `bs_detector` is NOT thread-safe; give each worker its own. The redaction
 * functions are stateless and may run concurrently on different frames.
 *
 * Usage:
 *   bs_detector_params p = bs_detector_default_params(BS_DETECTOR_CENTERFACE);
 *   p.input_width = 640; p.input_height = 384;
 *   bs_detector *d = NULL; char err[256];
 *   if (bs_detector_create("centerface.onnx", NULL, &p, &d, err, sizeof err) != BS_OK) { ... }
 *   bs_detection found[64]; int n = 0;
 *   bs_detector_detect(d, bgr, w, h, stride, found, 64, &n, err, sizeof err);
 *   bs_detector_destroy(d);
 */
#ifndef BLINDSPOT_BS_VISION_H
#define BLINDSPOT_BS_VISION_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  BS_OK = 0,
  BS_ERR_MODEL = 1,     /* the model file is missing, unreadable or not a model OpenCV accepts */
  BS_ERR_INFERENCE = 2, /* OpenCV failed while running the network */
  BS_ERR_ARGUMENT = 3,  /* a caller bug: bad size, NULL buffer */
  BS_ERR_INTERNAL = 4   /* anything else OpenCV or the C++ runtime threw */
} bs_status;

typedef enum {
  /* CenterFace: fully convolutional, heatmap + scale + offset outputs at stride 4. */
  BS_DETECTOR_CENTERFACE = 1,
  /* Caffe/ONNX SSD with a DetectionOutput layer: [1, 1, N, 7] rows of
   * (image, label, score, x1, y1, x2, y2) in normalized coordinates. */
  BS_DETECTOR_SSD = 2
} bs_detector_kind;

typedef struct {
  bs_detector_kind kind;
  /* The network's fixed input size. OpenCV 4.6 gives wrong outputs when one network is reused
   * at another size, so a detector is bound to one size for life. */
  int input_width;
  int input_height;
  /* 1: the network wants RGB (the buffer passed in is always BGR). */
  int swap_rb;
  /* blob = (pixel - mean) * scale, per channel in the network's channel order. */
  float mean[3];
  float scale;
  /* 1: keep the aspect ratio and pad right/bottom (fully convolutional nets); 0: stretch (SSD). */
  int letterbox;
  float score_threshold;
  float nms_threshold;
  /* SSD only: the class label that counts as a hit; -1 accepts every non-background label. */
  int class_id;
} bs_detector_params;

typedef struct bs_detector bs_detector; /* opaque */

/* A detection in coordinates normalized to the image passed to `bs_detector_detect` (0…1). */
typedef struct {
  float x, y, width, height;
  float score;
  /* The verifier's score for this box (0…1; see bs_detector_set_verifier), or -1 without one. */
  float verifier_score;
} bs_detection;

bs_detector_params bs_detector_default_params(bs_detector_kind kind);

/* How many threads OpenCV may use for detection and redaction, for the whole process
 * (cv::setNumThreads); 0 or less restores OpenCV's default, one per core. */
void bs_set_thread_count(int count);

/* Loads a model. `config_path` is the Caffe prototxt, or NULL for ONNX.
 * Returns BS_OK and a detector in *out, or an error with *out == NULL and a message in `err`. */
bs_status bs_detector_create(const char *model_path, const char *config_path, const bs_detector_params *params,
                             bs_detector **out, char *err, size_t err_size);

/* NULL is a no-op. */
void bs_detector_destroy(bs_detector *detector);

/* Gives a detector a second opinion: a classifier (ONNX, one input of 1x3x`input_height`x`input_width`,
 * BGR * `scale`, one output: the probability that the box holds the object) that scores the context
 * around every box `bs_detector_detect` reports, into bs_detection.verifier_score. The context is
 * twice the box's width, or four times its height where that is wider, and half as tall, centred
 * on the box, cut out of the image passed to `bs_detector_detect`, resized to the input (area
 * averaging when shrinking, bilinear otherwise) and black where it runs off the image: exactly as
 * models/plates/verifier_patch.py cuts the patches it was trained on. */
bs_status bs_detector_set_verifier(bs_detector *detector, const char *model_path, int input_width, int input_height,
                                   float scale, char *err, size_t err_size);

/* Runs the network on a packed BGR image (3 bytes per pixel, `stride` bytes per row). The image
 * is read, never kept or written. At most `capacity` detections, best first, are written to `out`;
 * *count receives how many. */
bs_status bs_detector_detect(bs_detector *detector, const uint8_t *bgr, int width, int height, size_t stride,
                             bs_detection *out, int capacity, int *count, char *err, size_t err_size);

/* ------------------------------------------------------------------------------------------------
 * Redaction on the decoded frame's own planes, in place.
 *
 * A frame is a set of planes (Y, U, V for planar YUV; Y, UV for NV12; one for gray). Each plane
 * knows its subsampling relative to the luma plane, so a rectangle in luma coordinates maps to
 * each plane exactly. Samples are 8-bit (bytes_per_sample 1) or 9–16-bit in 16-bit words (2).
 * ---------------------------------------------------------------------------------------------- */

typedef struct {
  uint8_t *data;
  int linesize;         /* bytes per row; FFmpeg pads rows */
  int width, height;    /* in samples of this plane */
  int channels;         /* 1, or 2 for interleaved chroma (NV12's UV plane) */
  int bytes_per_sample; /* 1 or 2 */
  int shift_x, shift_y; /* log2 subsampling relative to luma */
  uint16_t fill[2];     /* the "black" value of each channel, used by BS_STYLE_FILL and to mask */
} bs_plane;

typedef struct {
  int x, y, width, height; /* luma pixels; clipped to the frame by the redactor */
} bs_rect;

typedef enum {
  /* Downsample the region to a handful of cells, then smooth it back up: no detail survives
   * at any box size, and the result looks like a blur rather than a mosaic. */
  BS_STYLE_BLUR = 0,
  /* Coarse mosaic with cells of at least 1/8 of the box. */
  BS_STYLE_PIXELATE = 1,
  /* Solid black. */
  BS_STYLE_FILL = 2
} bs_style;

bs_status bs_redact(const bs_plane *planes, int plane_count, const bs_rect *rects, int rect_count, bs_style style,
                    char *err, size_t err_size);

#ifdef __cplusplus
}
#endif

#endif
