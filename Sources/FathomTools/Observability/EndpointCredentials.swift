import FathomCore
import Foundation
import NIOSSL
import Synchronization

/// The `Authorization` header, and for an exec plugin's client certificate the TLS settings, of one
/// endpoint. A token file is re-read when it changes, because a Kubernetes ServiceAccount token is
/// rotated in place about every hour; an exec plugin is run again when its credential expires or the
/// server refuses it.
final class EndpointCredentials: Sendable {
    struct Current: Sendable {
        var authorization: String?
        /// Replaces the endpoint's own TLS settings (an exec plugin's client certificate).
        var tls: TLSConfiguration?
    }

    private struct FileToken {
        var modified = timespec()
        var size = -1
        var token = ""
    }

    private struct Exec {
        var current: Current?
        var expires: Date?
        /// One run at a time; concurrent calls wait for it.
        var running: Task<(Current, Date?), any Error>?
    }

    private let auth: FathomConfig.EndpointAuth
    private let kind: String
    private let name: String
    private let baseTLS: TLSConfiguration?
    /// The header for credentials that do not change, built once rather than per request.
    private let fixed: String?
    private let fileToken = Mutex(FileToken())
    private let exec = Mutex(Exec())

    init(_ auth: FathomConfig.EndpointAuth, kind: String, name: String, tls: TLSConfiguration?) {
        self.auth = auth
        self.kind = kind
        self.name = name
        self.baseTLS = tls
        fixed =
            switch auth {
            case .none, .bearerFile, .exec: nil
            case .basic(let username, let password): "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
            case .bearer(let token): "Bearer " + token
            }
    }

    /// Whether a refused request is worth one retry with fresh credentials.
    var canRefresh: Bool {
        if case .exec = auth { return true }
        return false
    }

    func current() async throws -> Current {
        switch auth {
        case .bearerFile(let path): return Current(authorization: "Bearer " + (try token(at: path)))
        case .exec(let plugin): return try await execCredential(plugin)
        default: return Current(authorization: fixed)
        }
    }

    /// Forgets an exec credential the server refused, so the next request runs the plugin again.
    func invalidate() {
        exec.withLock { $0.current = nil }
    }

    private func execCredential(_ plugin: FathomConfig.ExecPlugin) async throws -> Current {
        let cached: Current?
        let task: Task<(Current, Date?), any Error>?
        (cached, task) = exec.withLock { state in
            if let current = state.current, state.expires.map({ $0.timeIntervalSinceNow > 10 }) ?? true {
                return (current, nil)
            }
            if let running = state.running { return (nil, running) }
            let baseTLS = self.baseTLS
            let running = Task { () async throws -> (Current, Date?) in
                let credential = try await ExecCredentialPlugin.run(plugin)
                var current = Current(authorization: credential.token.map { "Bearer " + $0 })
                if let certificate = credential.certificatePEM, let key = credential.keyPEM {
                    var tls = baseTLS ?? TLSConfiguration.makeClientConfiguration()
                    tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate).map { .certificate($0) }
                    tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
                    current.tls = tls
                }
                return (current, credential.expires)
            }
            state.running = running
            return (nil, running)
        }
        if let cached { return cached }
        guard let task else { return Current() }
        do {
            let (current, expires) = try await task.value
            exec.withLock { state in
                state.current = current
                state.expires = expires
                state.running = nil
            }
            return current
        } catch {
            exec.withLock { $0.running = nil }
            throw EndpointError.authFailed(kind: kind, name: name, status: 0, auth: auth.description, detail: "\(error)")
        }
    }

    private func token(at path: String) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw EndpointError.authFailed(kind: kind, name: name, status: 0, auth: auth.description, detail: "the token file cannot be read")
        }
        if let token = fileToken.withLock({ $0.size == Int(info.st_size) && $0.modified == info.st_mtim ? $0.token : nil }) {
            return token
        }
        guard let data = FileManager.default.contents(atPath: path), data.count <= 64 * 1024,
            let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty
        else {
            throw EndpointError.authFailed(
                kind: kind, name: name, status: 0, auth: auth.description, detail: "the token file is empty, too large or not text")
        }
        fileToken.withLock { $0 = FileToken(modified: info.st_mtim, size: Int(info.st_size), token: text) }
        return text
    }
}

extension timespec {
    fileprivate static func == (a: timespec, b: timespec) -> Bool {
        a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec
    }
}
