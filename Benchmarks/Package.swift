// swift-tools-version:6.1
// Kernel benchmarks (ordo-one/benchmark): redaction per style and box size, the detector-image
// downscale, each detector at its input sizes, and tracker updates. A package of its own so the
// product's build and tests do not pay for the benchmark tooling.
//
//   cd Benchmarks && swift package benchmark
//   swift package benchmark baseline update    # after an intended change; thresholds live in Thresholds/
import PackageDescription

let package = Package(
  name: "BlindspotBenchmarks",
  platforms: [.macOS(.v13)],
  dependencies: [
    // Named, so the dependency resolves whatever the checkout's folder is called.
    .package(name: "Blindspot", path: ".."),
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "BlindspotKernels",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "BlindspotVision", package: "Blindspot"),
        .product(name: "BlindspotMedia", package: "Blindspot"),
      ],
      path: "Benchmarks/BlindspotKernels",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
  ]
)
