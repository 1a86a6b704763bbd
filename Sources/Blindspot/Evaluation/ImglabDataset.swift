import BlindspotVision
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Image datasets in dlib's imglab XML, as Debian's dlib examples ship them:
///
///     <dataset><images>
///       <image file='2008_002506.jpg'>
///         <box top='78' left='329' width='109' height='109'/>
///         <box top='10' left='20' width='60' height='20'><label>plate</label></box>
///         <box top='..' left='..' width='..' height='..' ignore='1'/>
///       </image>
///     </images></dataset>
///
/// A box without a label is of `defaultClass`; boxes marked `ignore` are left out. Image paths
/// are relative to the XML file.
enum ImglabDataset {
  struct Image {
    var url: URL
    var objects: [GroundTruth.Object]
  }

  static func load(_ url: URL, defaultClass: ObjectClass = .face) throws -> [Image] {
    guard let parser = XMLParser(contentsOf: url) else {
      throw BlindspotError(.badInput, subject: url.path, reason: "cannot read the file")
    }
    let reader = Reader(base: url.deletingLastPathComponent(), defaultClass: defaultClass)
    parser.delegate = reader
    guard parser.parse() else {
      throw BlindspotError(.badInput, subject: url.path,
                           reason: "not valid imglab XML (line \(parser.lineNumber): \(parser.parserError.map { "\($0)" } ?? "parse error"))")
    }
    if let problem = reader.problem { throw BlindspotError(.badInput, subject: url.path, reason: problem) }
    return reader.images
  }

  private final class Reader: NSObject, XMLParserDelegate {
    let base: URL
    let defaultClass: ObjectClass
    var images: [Image] = []
    var problem: String?
    private var box: (box: Box, ignore: Bool)?
    private var label = ""
    private var inLabel = false

    init(base: URL, defaultClass: ObjectClass) {
      self.base = base
      self.defaultClass = defaultClass
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
      switch name {
      case "image":
        guard let file = attributes["file"] else { problem = "line \(parser.lineNumber): <image> without file"; return }
        images.append(Image(url: base.appendingPathComponent(file), objects: []))
      case "box":
        guard let top = attributes["top"].flatMap(Double.init), let left = attributes["left"].flatMap(Double.init),
              let width = attributes["width"].flatMap(Double.init), let height = attributes["height"].flatMap(Double.init)
        else { problem = "line \(parser.lineNumber): <box> needs top, left, width and height"; return }
        box = (Box(x: left, y: top, width: width, height: height), attributes["ignore"] == "1")
        label = ""
      case "label":
        inLabel = true
      default:
        break
      }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      if inLabel { label += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
      switch name {
      case "label":
        inLabel = false
      case "box":
        defer { box = nil }
        guard let (found, ignore) = box, !ignore, !images.isEmpty else { return }
        let name = label.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let objectClass = name.isEmpty ? defaultClass : ObjectClass(rawValue: name) else { return }
        let index = images.count - 1
        images[index].objects.append(GroundTruth.Object(id: "\(images[index].url.lastPathComponent)#\(images[index].objects.count)",
                                                        objectClass: objectClass, box: found))
      default:
        break
      }
    }
  }
}
