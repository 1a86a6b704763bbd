// swift-tools-version:6.0
// Blindspot — anonymizes vehicle camera video and sensor data in the car.
// Module graph (dependencies flow downward only):
//   blindspot (CLI) → Blindspot → BlindspotMedia → CFFmpeg
//                               → BlindspotVision → CVision (C++ over OpenCV)
//                               → BlindspotSensor (pure Swift: GPS/IMU codecs and privacy policies)
//                               → BlindspotStore (regions, routing, local and S3-compatible stores)
//   BlindspotSensor, BlindspotStore, Blindspot → BlindspotFiles (files that appear only when complete)
//   blindspot (CLI) → BlindspotService (serve: spool, journal, HTTP, metrics) → Blindspot
import PackageDescription

let package = Package(
  name: "Blindspot",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "blindspot", targets: ["blindspot"]),
    .library(name: "Blindspot", targets: ["Blindspot"]),
    // The kernels on their own, for Benchmarks/ (a package of its own, so the main build stays light).
    .library(name: "BlindspotVision", targets: ["BlindspotVision"]),
    .library(name: "BlindspotMedia", targets: ["BlindspotMedia"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.60.0"),
    // The on-vehicle service: journal, HTTP endpoints, metrics, structured logs, signals.
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CFFmpeg",
      pkgConfig: "libavformat",
      providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev"])]
    ),
    .target(
      name: "CVision",
      // `opencv4` is a committed symlink to /usr/include/opencv4: SwiftPM forbids -I flags
      // that point outside the package, and Debian's component -dev packages ship no opencv4.pc.
      cxxSettings: [.headerSearchPath("opencv4")],
      linkerSettings: [
        // Only the modules we use: pkg-config's full list loads ~375 libraries at start-up.
        .linkedLibrary("opencv_core"), .linkedLibrary("opencv_imgproc"), .linkedLibrary("opencv_dnn"),
      ]
    ),
    .target(name: "BlindspotMedia", dependencies: ["CFFmpeg"]),
    // Files that appear only when complete, and the sweep of what killed writers left.
    .target(name: "BlindspotFiles"),
    .target(
      name: "BlindspotVision",
      dependencies: ["CVision", .product(name: "Crypto", package: "swift-crypto")]
    ),
    .target(
      name: "BlindspotSensor",
      dependencies: ["BlindspotFiles", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Yams", package: "Yams")]
    ),
    .target(
      name: "BlindspotStore",
      dependencies: [
        "BlindspotFiles",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "Crypto", package: "swift-crypto"), .product(name: "Yams", package: "Yams"),
      ]
    ),
    .target(
      name: "Blindspot",
      dependencies: ["BlindspotMedia", "BlindspotVision", "BlindspotSensor", "BlindspotStore", "BlindspotFiles",
                     .product(name: "Crypto", package: "swift-crypto")]
    ),
    .target(
      name: "BlindspotService",
      dependencies: [
        "Blindspot", "BlindspotStore", "BlindspotSensor",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Yams", package: "Yams"),
      ]
    ),
    .executableTarget(
      name: "blindspot",
      dependencies: [
        "Blindspot", "BlindspotSensor", "BlindspotService", "BlindspotStore",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Real fixtures for the tests: fetched photos, clips built with the ffmpeg CLI, ffprobe checks.
    .target(name: "BlindspotTestSupport", path: "Tests/Support"),
    .testTarget(name: "BlindspotMediaTests", dependencies: ["BlindspotMedia", "BlindspotTestSupport"]),
    .testTarget(name: "BlindspotVisionTests", dependencies: ["BlindspotVision", "BlindspotTestSupport"]),
    .testTarget(name: "BlindspotSensorTests", dependencies: ["BlindspotSensor", "BlindspotFiles", "BlindspotTestSupport"]),
    .testTarget(
      name: "BlindspotStoreTests",
      dependencies: [
        "BlindspotStore", "BlindspotFiles", "BlindspotTestSupport", .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ]
    ),
    .testTarget(
      name: "BlindspotServiceTests",
      dependencies: ["BlindspotService", "Blindspot", "BlindspotStore", "BlindspotTestSupport",
                     .product(name: "GRDB", package: "GRDB.swift")]
    ),
    .testTarget(
      name: "BlindspotTests",
      dependencies: ["Blindspot", "BlindspotMedia", "BlindspotVision", "BlindspotSensor", "BlindspotStore", "BlindspotTestSupport",
                     .product(name: "Yams", package: "Yams")]
    ),
  ],
  cxxLanguageStandard: .cxx17
)
