import BlindspotMedia
import Foundation

/// `blindspot bench`: alternates, N times each, (a) a plain decode→encode of a clip through the
/// same pipeline with the same encoder settings and no detector, and (b) the full anonymization,
/// each in its own child process (so peak memory and CPU time are its own), and reports medians.
///
/// The children encode into FFmpeg's `null` muxer: the encoder does all its work, nothing is
/// written — which also means the plain mode can never leave an unredacted file behind.
public struct Benchmark: Sendable {
  public enum Mode: String, Sendable, CaseIterable { case plain, anonymize }

  /// The `blindspot` executable the children run.
  public var executable: String
  public var clip: URL
  public var repetitions: Int
  /// Encoding and detection flags, passed to every child unchanged.
  public var forwardedArguments: [String]
  public var options: AnonymizeOptions
  public var compareWithFFmpegCLI: Bool
  /// Another tool to time on the same clip, as a shell command with `{input}` and `{output}`
  /// placeholders (for example another anonymizer). Its output goes to a scratch folder.
  public var comparisonCommand: String?

  public init(executable: String, clip: URL, repetitions: Int, forwardedArguments: [String], options: AnonymizeOptions,
              compareWithFFmpegCLI: Bool, comparisonCommand: String? = nil) {
    self.executable = executable
    self.clip = clip
    self.repetitions = repetitions
    self.forwardedArguments = forwardedArguments
    self.options = options
    self.compareWithFFmpegCLI = compareWithFFmpegCLI
    self.comparisonCommand = comparisonCommand
  }

  private struct Sample {
    var child: MeasuredChild
    var sidecar: Sidecar?
  }

  public func run() throws(BlindspotError) -> BenchmarkReport {
    let stream: StreamInfo
    do { stream = try Demuxer(url: clip.path).bestVideoStream() } catch { throw BlindspotError.wrapping(error, subject: clip.path) }
    var samples: [Mode: [Sample]] = [:]
    var cli: [Sample] = []
    var compared: [Sample] = []
    for _ in 0..<repetitions {
      for mode in Mode.allCases { samples[mode, default: []].append(try measure(mode)) }
      if compareWithFFmpegCLI { cli.append(try measureFFmpegCLI()) }
      if let comparisonCommand { compared.append(try measure(command: comparisonCommand)) }
    }
    let frames = samples[.anonymize]?.first?.sidecar?.counts.frames ?? 0
    let rate = stream.frameRate.isValid ? stream.frameRate.doubleValue : 30
    let plain = summarize(samples[.plain] ?? [], frames: frames, streamRate: rate)
    let anonymize = summarize(samples[.anonymize] ?? [], frames: frames, streamRate: rate)
    let command = comparisonCommand.map { _ in summarize(compared, frames: frames, streamRate: rate) }
    return BenchmarkReport(
      clip: clip.lastPathComponent, frames: frames, width: stream.width, height: stream.height, streamFramesPerSecond: rate,
      cores: ProcessInfo.processInfo.activeProcessorCount, plain: plain, anonymize: anonymize,
      ratio: plain.framesPerSecond > 0 ? Self.round(anonymize.framesPerSecond / plain.framesPerSecond, 3) : 0,
      ffmpegCLI: compareWithFFmpegCLI ? summarize(cli, frames: frames, streamRate: rate) : nil,
      command: command, commandLine: comparisonCommand,
      speedupOverCommand: command.flatMap { $0.framesPerSecond > 0 ? Self.round(anonymize.framesPerSecond / $0.framesPerSecond, 2) : nil },
      parameters: options)
  }

  private func measure(_ mode: Mode) throws(BlindspotError) -> Sample {
    let child: MeasuredChild
    do {
      child = try MeasuredChild.run(executable, ["bench-worker", "--mode", mode.rawValue, clip.path] + forwardedArguments)
    } catch {
      throw BlindspotError(.retryableIO, subject: executable, reason: "cannot start a benchmark run (\(error))")
    }
    guard child.status == 0, let sidecar = try? Sidecar.decode(child.standardOutput) else {
      throw BlindspotError(child.status == 0 ? .retryableIO : ExitStatus(rawValue: child.status) ?? .badInput, subject: clip.path,
                           reason: "the \(mode.rawValue) run failed (exit \(child.status))")
    }
    return Sample(child: child, sidecar: sidecar)
  }

  /// The `ffmpeg` command line doing the same transcode (video only, same encoder settings).
  private func measureFFmpegCLI() throws(BlindspotError) -> Sample {
    guard let ffmpeg = ["/usr/bin/ffmpeg", "/usr/local/bin/ffmpeg"].first(where: FileManager.default.isExecutableFile) else {
      throw BlindspotError(.usage, subject: "ffmpeg", reason: "--vs-ffmpeg-cli needs the ffmpeg command (apt-get install ffmpeg)")
    }
    var arguments = ["-nostdin", "-hide_banner", "-loglevel", "error", "-i", clip.path, "-map", "0:v:0", "-c:v", options.encoder.codec]
    if let preset = options.encoder.preset { arguments += ["-preset", preset] }
    if let bitrate = options.encoder.bitrate { arguments += ["-b:v", "\(bitrate)"] } else if let crf = options.encoder.crf { arguments += ["-crf", "\(crf)"] }
    arguments += ["-f", "null", "-"]
    return try measureExternal(ffmpeg, arguments, subject: ffmpeg, cannotStart: "cannot start ffmpeg") { status in
      BlindspotError(.badInput, subject: clip.path, reason: "ffmpeg failed (exit \(status))")
    }
  }

  /// The comparison command through `/bin/sh`, its placeholders replaced by quoted paths.
  private func measure(command template: String) throws(BlindspotError) -> Sample {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("blindspot-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let output = scratch.appendingPathComponent("output-" + clip.lastPathComponent)
    func quoted(_ path: String) -> String { "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'" }
    let command = template.replacingOccurrences(of: "{input}", with: quoted(clip.path))
      .replacingOccurrences(of: "{output}", with: quoted(output.path))
    do { try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true) } catch {
      throw BlindspotError(.retryableIO, subject: "--vs-command", reason: "cannot run it (\(error))")
    }
    return try measureExternal("/bin/sh", ["-c", "exec >&2; " + command], subject: "--vs-command", cannotStart: "cannot run it") { status in
      BlindspotError(.usage, subject: "--vs-command", reason: "the command failed (exit \(status)): \(template)")
    }
  }

  /// Times a program that is not a `blindspot` child. One that cannot start is retryable I/O;
  /// `failure` makes the error for a non-zero exit.
  private func measureExternal(_ executable: String, _ arguments: [String], subject: String, cannotStart: String,
                               failure: (Int32) -> BlindspotError) throws(BlindspotError) -> Sample {
    let child: MeasuredChild
    do { child = try MeasuredChild.run(executable, arguments) } catch {
      throw BlindspotError(.retryableIO, subject: subject, reason: "\(cannotStart) (\(error))")
    }
    guard child.status == 0 else { throw failure(child.status) }
    return Sample(child: child, sidecar: nil)
  }

  private func summarize(_ samples: [Sample], frames: Int, streamRate: Double) -> BenchmarkReport.Mode {
    func median(_ values: [Double]) -> Double {
      let sorted = values.sorted()
      guard !sorted.isEmpty else { return 0 }
      return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
    let count = Double(max(frames, 1))
    let fps = median(samples.map { count / max($0.child.wallSeconds, 1e-9) })
    var stages: [String: Double] = [:]
    for name in Set(samples.flatMap { $0.sidecar?.timings.stageMillisecondsPerFrame.keys.map { $0 } ?? [] }) {
      stages[name] = Self.round(median(samples.compactMap { $0.sidecar?.timings.stageMillisecondsPerFrame[name] }), 2)
    }
    let calls = median(samples.compactMap { sample -> Double? in
      guard let sidecar = sample.sidecar else { return nil }
      let tiles = max(1, sidecar.parameters.tiles)
      let passes = Double(tiles > 1 ? 1 + tiles * tiles : 1)
      return Double(sidecar.counts.detectedFrames * sidecar.models.count) * passes / count
    })
    return BenchmarkReport.Mode(
      runs: samples.count, framesPerSecond: Self.round(fps, 2), realTimeFactor: Self.round(fps / streamRate, 3),
      cpuSecondsPerFrame: Self.round(median(samples.map { $0.child.cpuSeconds / count }), 5),
      peakResidentMegabytes: Self.round(median(samples.map { Double($0.child.peakResidentBytes) / 1_048_576 }), 1),
      stageMillisecondsPerFrame: stages, detectorCallsPerFrame: Self.round(calls, 3))
  }

  private static func round(_ value: Double, _ places: Int) -> Double {
    let scale = pow(10, Double(places))
    return (value * scale).rounded() / scale
  }
}
