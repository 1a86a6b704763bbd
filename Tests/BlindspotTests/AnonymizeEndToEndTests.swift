import Blindspot
import BlindspotTestSupport
import BlindspotVision
import Foundation
import Testing

/// The whole pipeline on a clip made from real photos: faces and plates lose their detail, the rest
/// of the picture matches a plain re-encode, and timing and geometry are those of the input.
@Suite(.timeLimit(.minutes(10))) struct AnonymizeEndToEndTests {
  let scratch: URL
  let clip: Clips.FaceAndPlate

  init() throws {
    scratch = try Fixtures.scratchDirectory("e2e")
    clip = try Clips.faceAndPlate(in: scratch)
  }

  @Test func facesAndPlatesLoseTheirDetailWhileTheRestMatchesAPlainReencode() throws {
    let output = scratch.appendingPathComponent("out.mp4"), plain = scratch.appendingPathComponent("plain.mp4")
    let sidecar = try anonymize(clip.url, to: output)
    try Clips.plainReencode(clip.url, to: plain)

    let redacted = try GrayFrames(output, width: clip.width, height: clip.height)
    let reference = try GrayFrames(plain, width: clip.width, height: clip.height)
    #expect(redacted.frames.count == clip.frames && reference.frames.count == clip.frames)
    for index in [0, clip.frames / 2, clip.frames - 1] {
      for region in [clip.face, clip.plate] {
        let kept = redacted.detailEnergy(frame: index, x: region.x, y: region.y, width: region.width, height: region.height)
        let original = reference.detailEnergy(frame: index, x: region.x, y: region.y, width: region.width, height: region.height)
        #expect(kept < 0.2 * original, "frame \(index): \(kept) of \(original) detail energy left")
      }
      // Away from both objects (their boxes grown by half plus a macroblock), the picture is a plain re-encode.
      let exclusions = [clip.face, clip.plate].map {
        Box(x: Double($0.x), y: Double($0.y), width: Double($0.width), height: Double($0.height)).expanded(by: 0.5)
      }
      let psnr = redacted.psnr(reference, frame: index) { x, y in
        !exclusions.contains { Double(x) >= $0.x - 16 && Double(x) < $0.maxX + 16 && Double(y) >= $0.y - 16 && Double(y) < $0.maxY + 16 }
      }
      #expect(psnr > 35, "frame \(index): PSNR outside the redactions is \(psnr) dB")
    }
    #expect(sidecar.counts.frames == clip.frames)
    // Detected on every third frame (the default), redacted on every frame.
    #expect(sidecar.counts.detectedFrames == (clip.frames + 2) / 3)
    #expect(sidecar.counts.redactedBoxes[.face] == clip.frames)
    // The plate on every frame; a bound, because a plate model may also mark plate-like regions
    // (the seam between the photos, a car's lamps; the default did at 960 px on an earlier car photo).
    #expect(sidecar.counts.redactedBoxes[.plate, default: 0] >= clip.frames)
  }

  /// Matroska stores milliseconds, so there a timestamp may move by up to half of one; ffprobe prints
  /// times to the microsecond, and MPEG-TS times are compared after removing its start offset.
  @Test(arguments: [("mp4", 0.0), ("mov", 0.0), ("mkv", 0.0005), ("ts", 0.000002)])
  func outputKeepsFrameCountTimestampsSizeAndRate(container: String, tolerance: Double) throws {
    let output = scratch.appendingPathComponent("out.\(container)")
    _ = try anonymize(clip.url, to: output)
    let expected = try Probe.framePresentationTimes(clip.url), actual = try Probe.framePresentationTimes(output)
    #expect(actual.count == clip.frames && expected.count == clip.frames)
    let offset = (actual.first ?? 0) - (expected.first ?? 0)  // MPEG-TS starts its clock at 1.4 s
    #expect(zip(actual, expected).allSatisfy { abs($0 - offset - $1) <= tolerance + 1e-9 }, "\(actual) vs \(expected)")
    let video = try #require(try Probe(output).videoStreams.first)
    #expect(video["width"] as? Int == clip.width && video["height"] as? Int == clip.height)
    #expect(video["avg_frame_rate"] as? String == "12/1")
  }

  @Test func metadataAudioAndEmbeddedStreamsAreGone() throws {
    let output = scratch.appendingPathComponent("out.mp4")
    let sidecar = try anonymize(clip.url, to: output)
    let probe = try Probe(output)
    #expect(probe.streams.count == 1)
    #expect(probe.audioStreams.isEmpty)
    let tags = probe.allTags
    for forbidden in ["title", "location", "location-eng", "make", "model", "creation_time", "encoder", "com.apple.quicktime.location.iso6709"] {
      #expect(tags[forbidden] == nil, "tag \(forbidden) survived: \(tags)")
    }
    // No byte of the output spells the input's tags.
    let bytes = try Data(contentsOf: output)
    for secret in ["grandmother", "48.8584", "Tesla", "SN-4711", "Lavf"] {
      #expect(bytes.range(of: Data(secret.utf8)) == nil, "'\(secret)' found in the output bytes")
    }
    #expect(sidecar.droppedStreams.map(\.kind) == ["audio"])
  }

  @Test func keepAudioCopiesTheAudioPacketsBitExact() throws {
    let output = scratch.appendingPathComponent("out.mp4")
    var options = AnonymizeOptions()
    options.keepAudio = true
    let sidecar = try anonymize(clip.url, to: output, options: options)
    func audioDigest(_ url: URL) throws -> String {
      try Subprocess.run("ffmpeg", ["-v", "error", "-i", url.path, "-map", "0:a:0", "-c", "copy", "-f", "md5", "-"]).output
    }
    #expect(try audioDigest(output).hasPrefix("MD5="))
    #expect(try audioDigest(output) == audioDigest(clip.url))
    #expect(sidecar.counts.audioPackets > 0)
    #expect(try Probe(output).audioStreams.first?["tags"].map { $0 as? [String: Any] }??["title"] == nil)
  }

  @Test func sidecarAndDetectionLogDescribeTheRun() throws {
    let output = scratch.appendingPathComponent("out.mp4"), log = scratch.appendingPathComponent("boxes.jsonl")
    let sidecar = try anonymize(clip.url, to: output, detectionsLog: log)
    let stored = try Sidecar.decode(Data(contentsOf: Sidecar.url(for: output)))
    #expect(stored.input.sha256 == (try FileHash.sha256(of: clip.url)))
    // The output's hash comes back through snake_case JSON (batch and serve rely on it).
    let outputHash = try FileHash.sha256(of: output)
    #expect(stored.outputSHA256 == outputHash)
    #expect(Set(stored.models.map(\.id)) == ["centerface", "blindspot-plates-v2"])
    #expect(stored.counts == sidecar.counts)
    #expect(stored.tool.version == BlindspotVersion.current)

    let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == sidecar.counts.redactedBoxes.values.reduce(0, +))
    let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
    #expect(first["frame"] as? Int == 0)
    #expect((first["box"] as? [Double])?.count == 4)
    #expect(["face", "plate"].contains(first["class"] as? String ?? ""))
  }
}
