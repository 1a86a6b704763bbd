import Blindspot
import BlindspotMedia
import BlindspotSensor
import BlindspotStore
import BlindspotVision
import Foundation
import Logging
import ServiceLifecycle

/// Starts `blindspot serve`: checks everything a run needs before touching the spool (models,
/// sensor policy, stores), then runs the loop and the HTTP endpoints as one service group that
/// SIGTERM and SIGINT stop gracefully.
public struct ServiceLauncher: Sendable {
  public let configuration: ServiceConfiguration
  public let logger: Logger

  public init(configuration: ServiceConfiguration, logger: Logger) {
    self.configuration = configuration
    self.logger = logger
  }

  /// Verifies models, sensor policy and every store (reachable, bucket present, credentials
  /// accepted). The first problem is thrown as one line.
  public func check() async throws(BlindspotError) {
    _ = try makeAnonymizer()
    try await checkStores(RegionalStores(configuration.stores), toleratingUnreachable: false)
  }

  /// Asks every S3 store for a zero-key listing. With `toleratingUnreachable`, a store that does
  /// not answer is only logged — offline at start is normal in a car: anonymize now, upload when
  /// it answers. Refused credentials or a missing bucket will not fix themselves: always thrown.
  private func checkStores(_ stores: RegionalStores, toleratingUnreachable: Bool) async throws(BlindspotError) {
    for backend in stores.backends {
      guard let s3 = backend as? S3Store else { continue }
      do { try await s3.checkAccess() } catch {
        guard toleratingUnreachable, error.kind == .unavailable else { throw BlindspotError.wrapping(error, subject: "") }
        logger.error("store unreachable at start; outputs wait in the outbox", metadata: ["store": "\(backend.name)", "error": "\(error.reason)"])
      }
    }
  }

  /// Runs until SIGTERM (or, `.once`, until the spool's complete segments are done). Returns
  /// the exit status: 0, or for `.once` 2 when segments failed and 4 when some wait for a retry.
  public func run(mode: VehicleService.Mode) async throws(BlindspotError) -> ExitStatus {
    let anonymizer = try makeAnonymizer()
    let stores = RegionalStores(configuration.stores)
    try await checkStores(stores, toleratingUnreachable: true)
    let metrics = ServiceMetrics()
    let service: VehicleService
    do {
      service = try VehicleService(configuration: configuration, anonymizer: anonymizer, stores: stores, metrics: metrics,
                                   logger: logger, mode: mode)
    } catch {
      throw BlindspotError(.retryableIO, subject: configuration.journalURL.path, reason: "cannot open the journal: \(error)")
    }
    var services = [ServiceGroupConfiguration.ServiceConfiguration(service: service, successTerminationBehavior: .gracefullyShutdownGroup,
                                                                   failureTerminationBehavior: .gracefullyShutdownGroup)]
    if let (host, port) = configuration.listen {
      let http = StatusEndpoints.application(host: host, port: port, status: service.status, metrics: metrics, logger: logger)
      services.append(.init(service: http))
    }
    let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    do { try await group.run() } catch {
      throw BlindspotError.wrapping(error, subject: "serve")
    }
    guard mode == .once else { return .success }
    let counts = (try? service.journalCounts()) ?? [:]
    if counts[.failed, default: 0] > 0 { return .badInput }
    return (try? service.openSegments()) ?? 0 > 0 ? .retryableIO : .success
  }

  /// The pipeline with the configured options, its models loaded once now so a missing or
  /// corrupt model stops the start (exit 1), not the first segment.
  private func makeAnonymizer() throws(BlindspotError) -> Anonymizer {
    let options = configuration.anonymize
    let catalog: ModelCatalog
    do {
      catalog = try ModelCatalog(directory: configuration.modelsDirectory)
      _ = try CatalogDetectorFactory(catalog: catalog, options: options)
        .makeDetectors(for: options.classes, frameWidth: 1280, frameHeight: 960)
    } catch {
      throw BlindspotError.wrapping(error, subject: "models")
    }
    var policy: SensorPolicy?
    if let file = configuration.sensorPolicyFile {
      do { policy = try SensorPolicy.load(file: file, region: configuration.region.rawValue) } catch {
        throw BlindspotError.wrapping(error, subject: file)
      }
    }
    var recorded = options
    recorded.sensorPolicyFile = configuration.sensorPolicyFile
    return Anonymizer(options: recorded, detectors: CatalogDetectorFactory(catalog: catalog, options: recorded),
                      region: configuration.region.rawValue, sensorPolicy: policy)
  }
}
