import BlindspotService
import BlindspotStore
import BlindspotTestSupport
import Foundation
import Testing

/// `blindspot.yaml`: every key read, every mistake one line naming the line and the key.
@Suite struct ServiceConfigurationTests {
  let base = URL(fileURLWithPath: "/etc/blindspot")

  func parse(_ yaml: String, environment: [String: String] = [:]) throws(StoreError) -> ServiceConfiguration {
    try ServiceConfiguration.parse(yaml: yaml, environment: environment, baseDirectory: base)
  }

  let minimal = """
    region: eu
    state_dir: /var/lib/blindspot
    spool: {path: /media/TeslaCam}
    stores: [{name: outbox, region: eu, local: {path: outbox}}]
    """

  @Test func everyKeyIsRead() throws {
    let configuration = try parse("""
      version: 1
      region: cn
      state_dir: state
      jobs: 2
      shutdown_grace_s: 7.5
      sensor_policy: policy.yaml
      spool:
        path: /media/usb
        layout: generic
        include: ["*.ts"]
        settle_s: 3
        poll_s: 0.5
        backlog_budget_gib: 2
        delete_raw_after: stored
      anonymize:
        classes: [face]
        style: pixelate
        margin: 0.3
        plate_margin: 0.2
        face_threshold: 0.6
        plate_threshold: 0.35
        detect_every: 2
        cadence: fixed
        look_ahead_s: 1
        keep_alive_s: 0.25
        detect_size: 640
        plate_detect_size: 800
        plate_enlarge_to: 720
        plate_enlarge: 1.5
        score_hysteresis: 0.8
        plate_weak_confirmations: 4
        plate_verifier: blindspot-plate-verifier-v1
        tiles: 2
        codec: libx265
        preset: fast
        crf: 28
        keep_audio: true
        on_detector_error: abort
        models: models
      streams:
        - {name: cabin, url: "rtsp://10.0.0.2/s1", segment_s: 30, container: ts, max_reconnect_delay_s: 5}
        - {name: front, url: front.fifo, input_format: mpegts}
      http: {listen: "0.0.0.0:8080"}
      log: {format: json, level: debug}
      stores: [{name: outbox, region: cn, local: {path: /data/out}}]
      """)
    #expect(configuration.region == Region(rawValue: "cn"))
    #expect(configuration.stateDirectory.path == "/etc/blindspot/state")
    #expect(configuration.jobs == 2 && configuration.shutdownGrace == .milliseconds(7500))
    #expect(configuration.sensorPolicyFile == "/etc/blindspot/policy.yaml")
    #expect(configuration.spool.layout == .generic && configuration.spool.include == ["*.ts"])
    #expect(configuration.spool.settle == .seconds(3) && configuration.spool.pollInterval == .milliseconds(500))
    #expect(configuration.spool.backlogBudgetBytes == 2 << 30 && configuration.spool.deleteRaw == .stored)
    let options = configuration.anonymize
    #expect(options.classes == [.face] && options.style == .pixelate && options.detectEvery == 2)
    #expect(options.adaptiveCadence == nil, "cadence: fixed")
    #expect(options.margins == [.face: 0.3, .plate: 0.2], "margin sets both classes, plate_margin then the plate's")
    #expect(options.thresholds == [.face: 0.6, .plate: 0.35])
    #expect(options.lookAheadSeconds == 1 && options.trackKeepAliveSeconds == 0.25)
    #expect(options.detectionLongSide(for: .face) == 640 && options.detectionLongSide(for: .plate) == 800)
    #expect(options.enlargementLongSide(for: .plate) == 720 && options.detectionMaxEnlargement(for: .plate) == 1.5)
    #expect(options.scoreHysteresis == 0.8 && options.weakConfirmations == [.plate: 4])
    #expect(options.verifierID(for: .plate) == "blindspot-plate-verifier-v1" && options.verifierID(for: .face) == nil)
    #expect(options.tiles == 2 && options.keepAudio && options.onDetectorError == .abort)
    #expect(options.encoder.codec == "libx265" && options.encoder.preset == "fast" && options.encoder.crf == 28)
    #expect(configuration.modelsDirectory?.path == "/etc/blindspot/models")
    #expect(configuration.listen?.host == "0.0.0.0" && configuration.listen?.port == 8080)
    #expect(configuration.logFormat == .json && configuration.logLevel == "debug")
    #expect(configuration.streams == [
      StreamSettings(name: "cabin", url: "rtsp://10.0.0.2/s1", segmentSeconds: 30, container: "ts", maxReconnectDelay: .seconds(5)),
      StreamSettings(name: "front", url: "/etc/blindspot/front.fifo", inputFormat: "mpegts"),
    ])
  }

  @Test func defaultsAreSafe() throws {
    let configuration = try parse(minimal)
    #expect(configuration.spool.deleteRaw == .never, "deleting raw segments is never implied")
    #expect(configuration.listen?.host == "127.0.0.1", "HTTP listens on loopback only unless told otherwise")
    #expect(configuration.spool.layout == .teslacam && configuration.spool.settle == .seconds(5))
    #expect(configuration.anonymize.keepAudio == false && configuration.sensorPolicyFile == nil)
    #expect(configuration.anonymize.adaptiveCadence != nil, "the pipeline's default cadence")
  }

  @Test(arguments: [
    ("spool: {path: /s, colour: red}", "unknown key 'colour'"),
    ("spool: {path: /s, delete_raw_after: sometimes}", "delete_raw_after"),
    ("spool: {path: /s, layout: dji}", "expected teslacam or generic"),
    ("spool: {path: /s}\nhttp: {listen: localhost}", "expected host:port"),
    ("spool: {path: /s}\njobs: 0", "jobs"),
    ("spool: {path: /s}\nanonymize: {classes: [cat]}", "classes"),
    ("spool: {path: /s}\nanonymize: {score_hysteresis: 1.5}", "score_hysteresis"),
    ("spool: {path: /s}\nanonymize: {face_weak_confirmations: 11}", "face_weak_confirmations"),
    ("spool: {path: /s}\nanonymize: {plate_enlarge: 0.5}", "plate_enlarge"),
    ("spool: {path: /s}\nanonymize: {plate_enlarge_to: 32}", "plate_enlarge_to"),
    ("spool: {path: /s}\nanonymize: {face_margin: 3}", "face_margin"),
    ("spool: {path: /s}\nanonymize: {plate_threshold: 1.5}", "plate_threshold"),
    ("spool: {path: /s}\nanonymize: {look_ahead_s: 11}", "look_ahead_s"),
    ("spool: {path: /s}\nstreams: [{name: a/b, url: x}]", "name"),
    ("spool: {path: /s}\nstreams: [{name: a, url: x}, {name: a, url: y}]", "used twice"),
    ("spool: {path: /s}\nstreams: [{name: a, url: x, segment_s: 0}]", "segment_s"),
  ])
  func mistakesNameTheKey(snippet: String, expected: String) {
    let yaml = """
      region: eu
      state_dir: /x
      stores: [{name: outbox, region: eu, local: {path: outbox}}]
      \(snippet)
      """
    #expect {
      _ = try parse(yaml)
    } throws: { error in
      guard let error = error as? StoreError else { return false }
      return error.kind == .configuration && error.description.contains(expected) && error.description.contains("line ")
        && !error.description.contains("\n")
    }
  }

  @Test func aStoreOfAnotherRegionIsAPolicyViolation() {
    #expect {
      _ = try parse(minimal.replacingOccurrences(of: "region: eu, local", with: "region: cn, local"))
    } throws: { error in
      (error as? StoreError)?.kind == .policy && "\(error)".contains("cross-region")
    }
  }

  @Test func missingSectionsAreNamed() {
    for (removed, key) in [("state_dir: /var/lib/blindspot\n", "state_dir"), ("spool: {path: /media/TeslaCam}\n", "spool")] {
      #expect(throws: StoreError.self) { _ = try parse(minimal.replacingOccurrences(of: removed, with: "")) }
      do { _ = try parse(minimal.replacingOccurrences(of: removed, with: "")) } catch {
        #expect(error.description.contains(key))
      }
    }
  }
}
