import Blindspot
import BlindspotTestSupport
import BlindspotVision
import Foundation

/// Runs the production pipeline with the installed, hash-checked models.
func anonymize(_ input: URL, to output: URL, options: AnonymizeOptions = AnonymizeOptions(),
               detectionsLog: URL? = nil) throws -> Sidecar {
  let catalog = try ModelCatalog()
  let anonymizer = Anonymizer(options: options, detectors: CatalogDetectorFactory(catalog: catalog, options: options))
  return try anonymizer.run(.file(input, output: output, detectionsLog: detectionsLog))
}

/// Runs the `blindspot` executable, as a user would.
func blindspot(_ arguments: [String], input: Data? = nil, directory: URL? = nil,
               environment: [String: String]? = nil) throws -> ProcessResult {
  try Subprocess.run(Fixtures.cliBinary.path, arguments, input: input, directory: directory, environment: environment)
}

/// Every file under `directory`, relative paths, sorted (hidden files included).
func filesUnder(_ directory: URL) -> [String] {
  guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
  let base = directory.resolvingSymlinksInPath().path
  return walker.compactMap { $0 as? URL }
    .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
    .map { String($0.resolvingSymlinksInPath().path.dropFirst(base.count + 1)) }
    .sorted()
}
