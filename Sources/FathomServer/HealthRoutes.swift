import FathomStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `/healthz` (the process answers), `/readyz` (the store answers too) and `/metrics` (Prometheus text).
struct HealthRoutes: Sendable {
    let store: any Store
    let metrics: ServerMetrics
    var logger = Logger(label: "fathom.health")

    func register(on router: Router<FathomRequestContext>) {
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.get("/readyz") { _, _ in await ready() }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
    }

    func ready() async -> Response {
        do {
            try await store.checkReachable()
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ready\n")))
        } catch {
            // The probe is unauthenticated: the detail (paths, driver messages) goes to the log only.
            logger.error("readiness: the store does not answer", metadata: ["error": "\(error)"])
            return Response(
                status: .serviceUnavailable, headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(string: "store unreachable; see the server log\n")))
        }
    }
}
