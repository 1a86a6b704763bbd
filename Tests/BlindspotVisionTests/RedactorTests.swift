import BlindspotVision
import Testing

/// A frame in memory laid out as FFmpeg lays out planar YUV: padded rows, subsampled chroma.
private final class PlanarImage {
  struct PlaneSpec { var width: Int; var height: Int; var channels: Int; var shiftX: Int; var shiftY: Int; var fill: UInt16 }
  let specs: [PlaneSpec]
  let bytesPerSample: Int
  var storage: [[UInt8]]
  let linesizes: [Int]

  init(width: Int, height: Int, chroma: (Int, Int)?, interleavedChroma: Bool = false, bytesPerSample: Int = 1) {
    var specs = [PlaneSpec(width: width, height: height, channels: 1, shiftX: 0, shiftY: 0, fill: 16)]
    if let (sx, sy) = chroma {
      let cw = -((-width) >> sx), ch = -((-height) >> sy)
      if interleavedChroma {
        specs.append(PlaneSpec(width: cw, height: ch, channels: 2, shiftX: sx, shiftY: sy, fill: 128))
      } else {
        specs += [PlaneSpec(width: cw, height: ch, channels: 1, shiftX: sx, shiftY: sy, fill: 128),
                  PlaneSpec(width: cw, height: ch, channels: 1, shiftX: sx, shiftY: sy, fill: 128)]
      }
    }
    self.specs = specs
    self.bytesPerSample = bytesPerSample
    // Rows padded to 64 bytes, as av_frame_get_buffer does.
    linesizes = specs.map { ($0.width * $0.channels * bytesPerSample + 63) & ~63 }
    storage = zip(specs, linesizes).map { Array(repeating: 0, count: $1 * $0.height) }
  }

  /// A fine checkerboard: maximal high-frequency detail, like the texture of a face or a plate.
  func fillCheckerboard() {
    for (index, spec) in specs.enumerated() {
      for row in 0..<spec.height {
        for column in 0..<(spec.width * spec.channels) {
          let on = ((row + column / spec.channels) % 2) == 0
          for byte in 0..<bytesPerSample {
            storage[index][row * linesizes[index] + column * bytesPerSample + byte] = on ? 220 : 30
          }
        }
      }
    }
  }

  func sample(plane: Int, x: Int, y: Int, channel: Int = 0) -> Int {
    let offset = y * linesizes[plane] + (x * specs[plane].channels + channel) * bytesPerSample
    return bytesPerSample == 1 ? Int(storage[plane][offset])
      : Int(storage[plane][offset]) | Int(storage[plane][offset + 1]) << 8
  }

  /// Mean absolute difference between horizontal neighbours inside a plane rectangle.
  func roughness(plane: Int, x: Int, y: Int, width: Int, height: Int) -> Double {
    var total = 0, count = 0
    for row in y..<(y + height) {
      for column in x..<(x + width - 1) {
        total += abs(sample(plane: plane, x: column, y: row) - sample(plane: plane, x: column + 1, y: row))
        count += 1
      }
    }
    return Double(total) / Double(count)
  }

  func redact(_ boxes: [Box], style: RedactionStyle, frameWidth: Int, frameHeight: Int) throws {
    var copies = storage
    try copies.withUnsafeMutableBufferPointers { pointers in
      let planes = specs.indices.map { index in
        RedactionPlane(data: UnsafeMutableRawPointer(pointers[index]), linesize: linesizes[index], width: specs[index].width,
                       height: specs[index].height, channels: specs[index].channels, bytesPerSample: bytesPerSample,
                       shiftX: specs[index].shiftX, shiftY: specs[index].shiftY, fill: (specs[index].fill, specs[index].fill))
      }
      try Redactor(style: style).redact(boxes, planes: planes, frameWidth: frameWidth, frameHeight: frameHeight)
    }
    storage = copies
  }
}

extension Array where Element == [UInt8] {
  /// Stable base addresses for every inner array for the duration of `body`.
  mutating func withUnsafeMutableBufferPointers<R>(_ body: ([UnsafeMutablePointer<UInt8>]) throws -> R) rethrows -> R {
    var pointers: [UnsafeMutablePointer<UInt8>] = []
    for index in indices {
      let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: self[index].count)
      pointer.initialize(from: self[index], count: self[index].count)
      pointers.append(pointer)
    }
    defer { pointers.forEach { $0.deallocate() } }
    let result = try body(pointers)
    for index in indices { self[index] = [UInt8](UnsafeBufferPointer(start: pointers[index], count: self[index].count)) }
    return result
  }
}

@Suite struct RedactorTests {
  @Test(arguments: [RedactionStyle.blur, .pixelate, .fill])
  func removesDetailInsideAndLeavesEverythingOutsideUntouched(style: RedactionStyle) throws {
    let image = PlanarImage(width: 161, height: 121, chroma: (1, 1))  // odd sizes: chroma rounds up
    image.fillCheckerboard()
    let before = image.storage
    let box = Box(x: 41, y: 31, width: 60, height: 50)  // odd origin: chroma must still cover it
    try image.redact([box], style: style, frameWidth: 161, frameHeight: 121)

    // Given a checkerboard (roughness 190), the box keeps at most 20% of its detail, in every plane.
    #expect(image.roughness(plane: 0, x: 41, y: 31, width: 60, height: 50) < 0.2 * 190)
    #expect(image.roughness(plane: 1, x: 21, y: 16, width: 30, height: 25) < 0.2 * 190)
    // Luma outside the box is byte-identical.
    for row in 0..<121 {
      for column in 0..<161 where !(41..<101).contains(column) || !(31..<81).contains(row) {
        #expect(image.sample(plane: 0, x: column, y: row) == Int(before[0][row * image.linesizes[0] + column]))
      }
    }
    // Chroma outside the covering rectangle (20…50 × 15…40) is byte-identical too.
    for row in 0..<61 {
      for column in 0..<81 where !(20..<51).contains(column) || !(15..<41).contains(row) {
        #expect(image.sample(plane: 2, x: column, y: row) == Int(before[2][row * image.linesizes[2] + column]))
      }
    }
  }

  @Test func blurLeavesNoDetailEvenOnAVeryLargeBox() throws {
    let image = PlanarImage(width: 640, height: 480, chroma: (1, 1))
    image.fillCheckerboard()
    try image.redact([Box(x: 0, y: 0, width: 640, height: 480)], style: .blur, frameWidth: 640, frameHeight: 480)
    #expect(image.roughness(plane: 0, x: 0, y: 0, width: 640, height: 480) < 2)
  }

  @Test func fillPaintsBlackAtLimitedRange() throws {
    let image = PlanarImage(width: 64, height: 64, chroma: (1, 1))
    image.fillCheckerboard()
    try image.redact([Box(x: 8, y: 8, width: 16, height: 16)], style: .fill, frameWidth: 64, frameHeight: 64)
    #expect(image.sample(plane: 0, x: 10, y: 10) == 16)
    #expect(image.sample(plane: 1, x: 5, y: 5) == 128)
    #expect(image.sample(plane: 0, x: 30, y: 30) != 16)
  }

  @Test func interleavedChromaAndSixteenBitSamplesAreRedactedToo() throws {
    let nv12 = PlanarImage(width: 96, height: 64, chroma: (1, 1), interleavedChroma: true)
    nv12.fillCheckerboard()
    try nv12.redact([Box(x: 16, y: 16, width: 48, height: 32)], style: .blur, frameWidth: 96, frameHeight: 64)
    #expect(nv12.roughness(plane: 1, x: 8, y: 8, width: 24, height: 16) < 0.2 * 190)

    let tenBit = PlanarImage(width: 96, height: 64, chroma: (1, 1), bytesPerSample: 2)
    tenBit.fillCheckerboard()
    let roughBefore = tenBit.roughness(plane: 0, x: 16, y: 16, width: 48, height: 32)
    try tenBit.redact([Box(x: 16, y: 16, width: 48, height: 32)], style: .pixelate, frameWidth: 96, frameHeight: 64)
    #expect(tenBit.roughness(plane: 0, x: 16, y: 16, width: 48, height: 32) < 0.2 * roughBefore)
  }

  @Test func boxesOutsideTheFrameChangeNothing() throws {
    let image = PlanarImage(width: 32, height: 32, chroma: (1, 1))
    image.fillCheckerboard()
    let before = image.storage
    try image.redact([Box(x: 40, y: 40, width: 10, height: 10), Box(x: -20, y: 0, width: 10, height: 10)],
                     style: .blur, frameWidth: 32, frameHeight: 32)
    #expect(image.storage == before)
  }
}
