import Foundation
import Hummingbird
import Logging

/// The service's HTTP side, on localhost by default: `/healthz` (the process answers),
/// `/readyz` (the journal is open and the loop runs; 503 while starting or stopping),
/// `/metrics` (Prometheus text) and `/status` (JSON).
enum StatusEndpoints {
  static func application(host: String, port: Int, status: ServiceStatus, metrics: ServiceMetrics,
                          logger: Logger) -> some ApplicationProtocol {
    let router = Router()
    router.get("healthz") { _, _ in "ok\n" }
    router.get("readyz") { _, _ -> Response in
      let ready = status.current.ready
      return text(ready ? "ready\n" : "not ready\n", status: ready ? .ok : .serviceUnavailable)
    }
    router.get("metrics") { _, _ -> Response in
      text(metrics.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }
    router.get("status") { _, _ -> Response in
      let encoder = JSONEncoder()
      encoder.keyEncodingStrategy = .convertToSnakeCase
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      let body = (try? encoder.encode(status.current)) ?? Data("{}".utf8)
      return Response(status: .ok, headers: [.contentType: "application/json"],
                      body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
    return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "blindspot"),
                       logger: logger)
  }

  private static func text(_ body: String, status: HTTPResponse.Status = .ok,
                           contentType: String = "text/plain; charset=utf-8") -> Response {
    Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
  }
}
