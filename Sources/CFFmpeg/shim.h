/*
 * CFFmpeg — the FFmpeg 5.1 headers Blindspot uses, plus what Swift cannot import by itself.
 *
 * Why this exists: function-like macros (AVERROR, av_err2str) and fixed-size arrays
 * (AVFrame.data, AVFrame.linesize import as 8-tuples) are awkward or impossible to use from
 * Swift. Everything here is a static inline over a documented FFmpeg API; nothing holds state.
 * Delete an entry when Swift can use the C spelling directly.
 */
#ifndef BLINDSPOT_CFFMPEG_SHIM_H
#define BLINDSPOT_CFFMPEG_SHIM_H

#include <errno.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

/* Error codes that are macros in C. */
static const int CFF_EAGAIN = AVERROR(EAGAIN);
static const int CFF_EOF = AVERROR_EOF;
static const int CFF_ENOMEM = AVERROR(ENOMEM);
static const int CFF_EINVAL = AVERROR(EINVAL);
static const int CFF_INVALIDDATA = AVERROR_INVALIDDATA;
static const int CFF_DECODER_NOT_FOUND = AVERROR_DECODER_NOT_FOUND;
static const int CFF_ENCODER_NOT_FOUND = AVERROR_ENCODER_NOT_FOUND;
static const int CFF_PATCHWELCOME = AVERROR_PATCHWELCOME;
static const int64_t CFF_NOPTS_VALUE = AV_NOPTS_VALUE;

/* av_err2str is a macro over a compound literal; this writes into the caller's buffer. */
static inline const char *cff_strerror(int code, char *buffer, size_t size) {
  av_strerror(code, buffer, size);
  return buffer;
}

/* AVFrame.data / linesize are uint8_t *[8] / int[8]. */
static inline uint8_t *cff_frame_data(const AVFrame *frame, int plane) { return frame->data[plane]; }
static inline int cff_frame_linesize(const AVFrame *frame, int plane) { return frame->linesize[plane]; }
static inline const uint8_t *const *cff_frame_data_array(const AVFrame *frame) {
  return (const uint8_t *const *)frame->data;
}
static inline const int *cff_frame_linesize_array(const AVFrame *frame) { return frame->linesize; }
static inline uint8_t *const *cff_frame_mutable_data_array(AVFrame *frame) { return frame->data; }

/* Stream-level side data (display matrix for rotation). Deprecated after 5.1 in favour of
 * codecpar side data, which 5.1 does not have yet; wrapped here so the deprecation stays in one place. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static inline const uint8_t *cff_stream_side_data(const AVStream *stream, enum AVPacketSideDataType type,
                                                  size_t *size) {
  return av_stream_get_side_data(stream, type, size);
}
static inline uint8_t *cff_stream_new_side_data(AVStream *stream, enum AVPacketSideDataType type, size_t size) {
  return av_stream_new_side_data(stream, type, size);
}
#pragma GCC diagnostic pop

/* Removes every side data entry and metadata dictionary entry a decoder attached to a frame:
 * SEI user data (embedded GPS), closed captions and the like must not reach the encoder. */
static inline void cff_frame_strip_side_data(AVFrame *frame) {
  while (frame->nb_side_data > 0) {
    av_frame_remove_side_data(frame, frame->side_data[0]->type);
  }
  av_dict_free(&frame->metadata);
}

/* The codec's pixel-format list ends with AV_PIX_FMT_NONE; NULL means "unknown". */
static inline const enum AVPixelFormat *cff_codec_pix_fmts(const AVCodec *codec) { return codec->pix_fmts; }

static inline AVStream *cff_format_stream(const AVFormatContext *ctx, unsigned index) {
  return index < ctx->nb_streams ? ctx->streams[index] : NULL;
}

#endif
