import FathomCore
import FathomStore
import Foundation
import Testing

@testable import FathomServer

@Suite struct AccessControlTests {
    @Test func loopbackOriginsAndTheAllowlistPass() {
        let policy = OriginPolicy(allowed: ["https://*.example.org", "https://console.acme.io"])
        for origin in [
            nil, "http://localhost", "http://localhost:3000", "https://127.0.0.1:8443", "http://127.9.9.9", "http://[::1]:80",
            "HTTP://LOCALHOST:1", "https://app.example.org", "https://console.acme.io",
        ] {
            #expect(policy.allows(origin), "\(origin ?? "nil")")
        }
        for origin in [
            "https://evil.example.com", "http://localhost.evil.example", "http://127.0.0.1.nip.io", "null", "file://",
            "http://localhost:99999", "http://localhost:", "http://[::1]evil", "https://example.org", "https://console.acme.io.evil",
            "http://127.0.0.256", "",
        ] {
            #expect(!policy.allows(origin), "\(origin)")
        }
    }

    @Test func bearerTokensMapToClientsAndRejectEverythingElse() throws {
        let auth = BearerAuthenticator(tokens: [
            .init(client: "ops", secret: "ops-token-0123456789"), .init(client: "ci", secret: "ci-token-0123456789ab"),
        ])
        #expect(try auth.identity(authorization: "Bearer ops-token-0123456789") == "ops")
        #expect(try auth.identity(authorization: "bearer   ci-token-0123456789ab ") == "ci")
        #expect(throws: BearerAuthenticator.Failure.missing) { try auth.identity(authorization: nil) }
        #expect(throws: BearerAuthenticator.Failure.missing) { try auth.identity(authorization: "") }
        #expect(throws: BearerAuthenticator.Failure.malformed) { try auth.identity(authorization: "Basic b3BzOnRva2Vu") }
        #expect(throws: BearerAuthenticator.Failure.malformed) { try auth.identity(authorization: "Bearer") }
        #expect(throws: BearerAuthenticator.Failure.unknown) { try auth.identity(authorization: "Bearer ops-token-012345678") }
        #expect(throws: BearerAuthenticator.Failure.unknown) { try auth.identity(authorization: "Bearer ops-token-0123456789x") }
        #expect(throws: BearerAuthenticator.Failure.unknown) {
            try auth.identity(authorization: "Bearer " + String(repeating: "A", count: 100_000))
        }
    }

    @Test func constantTimeComparisonIsExact() {
        #expect(BearerAuthenticator.constantTimeEquals(Array("abc".utf8), Array("abc".utf8)))
        #expect(!BearerAuthenticator.constantTimeEquals(Array("abc".utf8), Array("abd".utf8)))
        #expect(!BearerAuthenticator.constantTimeEquals(Array("abc".utf8), Array("abc\0".utf8)))
        #expect(!BearerAuthenticator.constantTimeEquals([], Array("a".utf8)))
    }

    @Test func rateLimiterAllowsTheBurstThenRefillsAtTheRate() {
        let limiter = RateLimiter(rate: 2, burst: 3)
        let start = ContinuousClock.now
        #expect((0..<3).map { _ in limiter.acquire("a", now: start) } == [nil, nil, nil])
        #expect(limiter.acquire("a", now: start) == 1)
        #expect(limiter.acquire("b", now: start) == nil, "buckets are per client")
        #expect(limiter.acquire("a", now: start + .milliseconds(500)) == nil, "half a second refills one token at 2/s")
        #expect(limiter.acquire("a", now: start + .milliseconds(500)) != nil)
        #expect(RateLimiter(rate: 0, burst: 1).acquire("x") == nil, "rate 0 turns limiting off")
    }

    @Test func acceptHeaderParsing() {
        #expect(StreamableHTTPRoutes.accepts(nil) == (true, true))
        #expect(StreamableHTTPRoutes.accepts("application/json, text/event-stream") == (true, true))
        #expect(StreamableHTTPRoutes.accepts("text/event-stream;q=0.9") == (false, true))
        #expect(StreamableHTTPRoutes.accepts("Application/JSON") == (true, false))
        #expect(StreamableHTTPRoutes.accepts("*/*") == (true, true))
        #expect(StreamableHTTPRoutes.accepts("text/html") == (false, false))
    }

    @Test func mcpNameHeaderDecoding() {
        #expect(StatelessExchange.decodeName("read_text_file") == "read_text_file")
        #expect(StatelessExchange.decodeName("=?base64?w6lsw6h2ZQ==?=") == "élève")
        #expect(StatelessExchange.decodeName("=?base64?not base64?=") == "=?base64?not base64?=")
        #expect(StatelessExchange.decodeName("=?base64??=") == "", "an empty encoded name is the empty name")
    }

    @Test func statusOfStatelessErrors() {
        #expect(StatelessExchange.status(for: -32601) == .notFound)
        #expect(StatelessExchange.status(for: -32022) == .badRequest)
        #expect(StatelessExchange.status(for: -32603) == .ok)
    }

    struct UnreachableStore: Store {
        struct Down: Error, CustomStringConvertible { var description: String { "disk on fire" } }
        func appendAudit(_ records: [AuditRecord]) async throws { throw Down() }
        func recentAudit(limit: Int, tool: String?) async throws -> [AuditRecord] { throw Down() }
        func checkReachable() async throws { throw Down() }
        func beginRun(_ run: RunRecord) async throws { throw Down() }
        func appendRunStep(_ step: RunStep, run: String) async throws { throw Down() }
        func finishRun(_ run: RunRecord) async throws { throw Down() }
        func run(id: String) async throws -> (run: RunRecord, steps: [RunStep])? { throw Down() }
        func recentRuns(limit: Int, agent: String?) async throws -> [RunRecord] { throw Down() }
        var summary: String { get async { "down" } }
    }

    @Test func readyzReportsAnUnreachableStore() async throws {
        let down = await HealthRoutes(store: UnreachableStore(), metrics: ServerMetrics()).ready()
        #expect(down.status == .serviceUnavailable)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-ready-\(UUID().uuidString)").path
        let up = await HealthRoutes(store: try SQLiteStore(directory: directory), metrics: ServerMetrics()).ready()
        #expect(up.status == .ok)
    }

    @Test func openBindWithoutAuthIsRefused() async throws {
        var settings = FathomConfig.HTTPSettings()
        settings.host = "0.0.0.0"
        let store = try SQLiteStore(directory: FileManager.default.temporaryDirectory.appendingPathComponent("fathom-bind-\(UUID().uuidString)").path)
        await #expect(throws: FathomHTTPServer.StartError.self) {
            _ = try await FathomHTTPServer(settings: settings, services: { fatalError("not reached") }, store: store, metrics: ServerMetrics())
        }
        settings.tokens = [.init(client: "a", secret: "a-token-0123456789abc")]
        _ = try await FathomHTTPServer(settings: settings, services: { fatalError("not reached") }, store: store, metrics: ServerMetrics())
    }
}
