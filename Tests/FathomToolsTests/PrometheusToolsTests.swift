import FathomCore
import Foundation
import Testing

@testable import FathomTools

/// A real Prometheus (the Debian package that scripts/install-deps.sh installs), started for one test
/// on a free loopback port, with no scrape targets: PromQL such as `vector(3)` needs none.
final class RealPrometheus: @unchecked Sendable {
    // @unchecked: the fields are set once in init.
    let url: String
    private let process: Process
    let folder: String

    init() async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-prom-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "global: {evaluation_interval: 1s}\n".write(toFile: folder + "/prometheus.yml", atomically: true, encoding: .utf8)
        let port = try Self.freePort()
        url = "http://127.0.0.1:\(port)"
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus")
        process.arguments = [
            "--config.file=\(folder)/prometheus.yml", "--storage.tsdb.path=\(folder)/data", "--web.listen-address=127.0.0.1:\(port)",
        ]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let client = try PrometheusClient(EndpointClient(kind: "prometheus", endpoint: .init(name: "probe", url: url), maxResponseBytes: 1 << 20))
        for _ in 0..<600 {
            if (try? await client.instantQuery("vector(1)", at: nil)) != nil { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        stop()
        throw EndpointError.timeout(kind: "prometheus", name: "test", seconds: 30)
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

@Suite(.serialized) struct PrometheusToolsTests {
    func registry(_ url: String, maxPoints: Int = 240) throws -> ToolRegistry {
        var settings = FathomConfig.ObservabilitySettings()
        var endpoint = FathomConfig.Endpoint(name: "real", url: url)
        endpoint.cluster = "unit"
        settings.prometheus = [endpoint]
        settings.maxPoints = maxPoints
        let endpoints = try ObservabilityEndpoints(settings: settings, now: { Date() })
        return ToolRegistry(tools: ObservabilityToolset.tools(endpoints), policy: Policy(.init()), audit: nil)
    }

    func call(_ registry: ToolRegistry, _ name: String, _ arguments: JSONValue) async -> ToolResult {
        guard case .result(let result) = await registry.call(name, arguments: arguments, context: ToolContext(client: "test")) else {
            return .error("no result")
        }
        return result
    }

    @Test func instantAndRangeQueriesAgainstARealPrometheus() async throws {
        let prometheus = try await RealPrometheus()
        defer { prometheus.stop() }
        let tools = try registry(prometheus.url, maxPoints: 20)

        let instant = await call(tools, "prometheus_query", ["query": #"label_replace(vector(3), "pod", "api-1", "", "")"#])
        #expect(!instant.isError, "\(instant.text)")
        #expect(instant.text.contains(#"{pod="api-1"}  3"#))
        #expect(instant.structured?["series"]?.arrayValue?.first?["last"] == .double(3))

        let range = await call(tools, "prometheus_query_range", ["query": "vector(1)", "duration": "10m"])
        #expect(!range.isError, "\(range.text)")
        #expect(range.structured?["step"] == .double(30))
        let points = range.structured?["series"]?.arrayValue?.first?["points"]?.intValue ?? 0
        #expect(points > 0 && points <= 21)
        let cursor = try #require(range.structured?["cursor"]?.stringValue)
        let page = await call(tools, "query_result_page", ["cursor": .string(cursor)])
        #expect(page.structured?["items"]?.arrayValue?.first?["values"]?.arrayValue?.count == points)
    }

    @Test func prometheusErrorsAndAnEndpointThatWentAway() async throws {
        let prometheus = try await RealPrometheus()
        let tools = try registry(prometheus.url)
        let syntax = await call(tools, "prometheus_query", ["query": "rate(up[5m]"])
        #expect(syntax.isError && syntax.text.contains("bad_data") && syntax.text.contains("parse error"))
        let unknown = await call(tools, "prometheus_query", ["query": "up", "cluster": "elsewhere"])
        #expect(unknown.isError && unknown.text.contains("real (cluster unit)"))
        prometheus.stop()
        let gone = await call(tools, "prometheus_query", ["query": "up"])
        #expect(gone.isError && gone.text.contains("is unreachable"))
    }
}
