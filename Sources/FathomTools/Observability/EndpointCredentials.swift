import FathomCore
import Foundation
import Synchronization

/// The `Authorization` header for an endpoint. A token file is re-read when it changes, because a
/// Kubernetes ServiceAccount token is rotated in place about every hour.
final class EndpointCredentials: Sendable {
    private struct Cached {
        var modified = timespec()
        var size = -1
        var token = ""
    }

    private let auth: FathomConfig.EndpointAuth
    /// The header for credentials that do not change, built once rather than per request.
    private let fixed: String?
    private let cache = Mutex(Cached())

    init(_ auth: FathomConfig.EndpointAuth) {
        self.auth = auth
        fixed =
            switch auth {
            case .none, .bearerFile: nil
            case .basic(let username, let password): "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
            case .bearer(let token): "Bearer " + token
            }
    }

    func authorization(kind: String, name: String) throws -> String? {
        guard case .bearerFile(let path) = auth else { return fixed }
        return "Bearer " + (try token(at: path, kind: kind, name: name))
    }

    private func token(at path: String, kind: String, name: String) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw EndpointError.authFailed(kind: kind, name: name, status: 0, auth: auth.description, detail: "the token file cannot be read")
        }
        if let token = cache.withLock({ $0.size == Int(info.st_size) && $0.modified == info.st_mtim ? $0.token : nil }) {
            return token
        }
        guard let data = FileManager.default.contents(atPath: path), data.count <= 64 * 1024,
            let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty
        else {
            throw EndpointError.authFailed(
                kind: kind, name: name, status: 0, auth: auth.description, detail: "the token file is empty, too large or not text")
        }
        cache.withLock { $0 = Cached(modified: info.st_mtim, size: Int(info.st_size), token: text) }
        return text
    }
}

extension timespec {
    fileprivate static func == (a: timespec, b: timespec) -> Bool {
        a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec
    }
}
