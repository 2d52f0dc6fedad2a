import FathomCore
import Foundation
import Synchronization

/// Runs a kubeconfig exec plugin (`gke-gcloud-auth-plugin`, `aws eks get-token`, `kubelogin`, …) and reads
/// the `ExecCredential` it prints, as client-go does: `KUBERNETES_EXEC_INFO` in its environment, no
/// terminal, and its stderr quoted when it fails.
enum ExecCredentialPlugin {
    struct Credential: Sendable {
        var token: String?
        var certificatePEM: [UInt8]?
        var keyPEM: [UInt8]?
        /// When to run the plugin again; nil keeps the credential until the server refuses it.
        var expires: Date?
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let timeout: TimeInterval = 60
    static let maxOutputBytes = 1 << 20

    /// Runs the plugin on a thread of its own, so the event loop never waits on a child process.
    static func run(_ plugin: FathomConfig.ExecPlugin, environment: [String: String] = ProcessInfo.processInfo.environment) async throws
        -> Credential
    {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try runBlocking(plugin, environment: environment) })
            }
        }
    }

    private static func runBlocking(_ plugin: FathomConfig.ExecPlugin, environment: [String: String]) throws -> Credential {
        guard let executable = locate(plugin.command, path: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin") else {
            throw Failure(
                description: "the exec plugin '\(plugin.command)' was not found on PATH"
                    + (plugin.installHint.map { ". \($0.trimmingCharacters(in: .whitespacesAndNewlines))" } ?? ""))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = plugin.arguments
        var env = environment
        for (name, value) in plugin.environment { env[name] = value }
        env["KUBERNETES_EXEC_INFO"] = String(
            decoding: JSONWriter.write(
                ["apiVersion": .string(plugin.apiVersion), "kind": "ExecCredential", "spec": ["interactive": false]] as JSONValue),
            as: UTF8.self)
        process.environment = env
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure(description: "the exec plugin '\(plugin.command)' could not be started: \(error)")
        }
        let killer = DispatchWorkItem { process.terminate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        // stderr is drained beside stdout, so a chatty plugin cannot fill its pipe and stall.
        let errorText = Mutex<Data>(Data())
        let errorDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let data = (try? stderr.fileHandleForReading.read(upToCount: maxOutputBytes)) ?? nil
            errorText.withLock { $0 = data ?? Data() }
            _ = try? stderr.fileHandleForReading.readToEnd()
            errorDone.signal()
        }
        let output = (try? stdout.fileHandleForReading.read(upToCount: maxOutputBytes + 1)) ?? nil
        _ = try? stdout.fileHandleForReading.readToEnd()
        process.waitUntilExit()
        killer.cancel()
        errorDone.wait()
        let message = String(decoding: errorText.withLock { $0 }.prefix(2000), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if process.terminationReason == .uncaughtSignal {
            throw Failure(description: "the exec plugin '\(plugin.command)' was killed (signal \(process.terminationStatus)); it has \(Int(timeout)) s")
        }
        guard process.terminationStatus == 0 else {
            throw Failure(
                description: "the exec plugin '\(plugin.command)' exited with status \(process.terminationStatus)"
                    + (message.isEmpty ? "" : ": \(message)"))
        }
        return try parse(output ?? Data(), plugin: plugin)
    }

    /// An `ExecCredential`'s `status`.
    static func parse(_ output: Data, plugin: FathomConfig.ExecPlugin) throws -> Credential {
        guard output.count <= maxOutputBytes, let document = try? JSONParser.parse(output),
            document["kind"]?.stringValue == "ExecCredential"
        else {
            throw Failure(description: "the exec plugin '\(plugin.command)' did not print an ExecCredential as JSON")
        }
        guard let status = document["status"] else {
            throw Failure(description: "the exec plugin '\(plugin.command)' printed an ExecCredential without a status")
        }
        var credential = Credential()
        credential.token = status["token"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        credential.certificatePEM = status["clientCertificateData"]?.stringValue.map { Array($0.utf8) }
        credential.keyPEM = status["clientKeyData"]?.stringValue.map { Array($0.utf8) }
        if let expires = status["expirationTimestamp"]?.stringValue {
            guard let date = try? Date(expires, strategy: .iso8601) else {
                throw Failure(description: "the exec plugin '\(plugin.command)' gave an expirationTimestamp that is not RFC 3339: '\(expires.prefix(60))'")
            }
            credential.expires = date
        }
        guard credential.token != nil || (credential.certificatePEM != nil && credential.keyPEM != nil) else {
            throw Failure(
                description: "the exec plugin '\(plugin.command)' gave neither a token nor a client certificate with its key")
        }
        return credential
    }

    private static func locate(_ command: String, path: String) -> String? {
        if command.contains("/") { return FileManager.default.isExecutableFile(atPath: command) ? command : nil }
        return path.split(separator: ":").map { "\($0)/\(command)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
