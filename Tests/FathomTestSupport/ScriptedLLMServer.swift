import AsyncHTTPClient
import FathomCore
import Foundation
import NIOCore

/// Tests/interop/fixtures/scripted_llm_server.py, started for one test: an OpenAI-compatible server that replays a
/// script of replies (tool calls, streams, errors, stalls) and records every request it got. Also starts the real
/// llama.cpp server (``llamaCpp(context:)``).
public final class ScriptedLLMServer: @unchecked Sendable {
    // @unchecked: the fields are set once in init.
    public let url: String
    private let process: Process

    /// - Parameters:
    ///   - flavor: `plain`, `llamacpp` (`/props`) or `vllm` (`max_model_len`), for context-window detection; `ollama` and
    ///     `anthropic` add those APIs.
    ///   - script: `{"replies": [...], "then": ...}`, as the fixture's docstring describes.
    public convenience init(flavor: String = "plain", context: Int = 8192, apiKey: String? = nil, script: JSONValue? = nil) async throws {
        try self.init(
            fixture: "scripted_llm_server.py", python: "/usr/bin/python3",
            arguments: ["--flavor", flavor, "--context", String(context)] + (apiKey.map { ["--api-key", $0] } ?? []))
        if let script { try await setScript(script) }
    }

    /// The real llama.cpp server (Tests/interop/fixtures/llama_server.py, xllamacpp with SmolLM2-135M) from the repo's
    /// venv, which scripts/install-deps.sh creates. Its model answers nonsense: it proves the wire, not behaviour.
    public static func llamaCpp(context: Int = 4096) throws -> ScriptedLLMServer {
        try ScriptedLLMServer(fixture: "llama_server.py", python: repository + "/.venv/bin/python", arguments: ["--ctx", String(context)])
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Starts `Tests/interop/fixtures/FIXTURE --port 0 ARGUMENTS` and waits for its `PORT <n>` line.
    private init(fixture: String, python: String, arguments: [String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Self.repository + "/Tests/interop/fixtures/" + fixture, "--port", "0"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OMP_WAIT_POLICY"] = "PASSIVE"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        // The fixture prints `PORT <n>` once it listens.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw FixtureError("\(fixture) exited before listening") }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let port = text.split(separator: " ").last.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
            throw FixtureError("\(fixture) said '\(text)'")
        }
        url = "http://127.0.0.1:\(port)"
    }

    deinit { stop() }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Replaces the script and clears the request log.
    public func setScript(_ script: JSONValue) async throws {
        _ = try await Self.send(url + "/_script", body: script)
    }

    /// `{"replies": [r1, r2, …]}` with the fixture's default `then` (the last reply repeats).
    public func setReplies(_ replies: [JSONValue], then: String = "repeat_last") async throws {
        try await setScript(["replies": .array(replies), "then": .string(then)])
    }

    /// The body of every chat request since the script was set.
    public func requests() async throws -> [JSONValue] {
        try await Self.send(url + "/_requests", body: nil).arrayValue?.compactMap { $0["body"] } ?? []
    }

    private static func send(_ url: String, body: JSONValue?) async throws -> JSONValue {
        var request = HTTPClientRequest(url: url)
        if let body {
            request.method = .POST
            request.body = .bytes(ByteBuffer(bytes: JSONWriter.write(body)))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return try JSONParser.parse(Array(bytes.readableBytesView))
    }

    public struct FixtureError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
