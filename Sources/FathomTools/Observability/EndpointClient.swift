import AsyncHTTPClient
import FathomCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// Requests to one configured endpoint (Prometheus, Alertmanager, Loki, Tempo): its auth, TLS, headers,
/// timeout and response-size bound, and errors that name the endpoint and say what to check.
public struct EndpointClient: Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var body: ByteBuffer
    }

    public let kind: String
    public let endpoint: FathomConfig.Endpoint
    private let http: HTTPClient
    private let tls: TLSConfiguration?
    private let credentials: EndpointCredentials
    private let maxResponseBytes: Int
    private let fixedHeaders: HTTPHeaders
    /// 401 and 403 come back as responses, for an API whose error bodies say more (Kubernetes' `Status`).
    private let returnsRefusals: Bool

    /// - Throws: ``EndpointError/tls`` when a certificate or key file cannot be loaded.
    public init(
        kind: String, endpoint: FathomConfig.Endpoint, maxResponseBytes: Int, returnsRefusals: Bool = false,
        http: HTTPClient = OutboundHTTP.client
    ) throws {
        self.kind = kind
        self.endpoint = endpoint
        self.http = http
        self.maxResponseBytes = min(maxResponseBytes, Int(UInt32.max))
        self.returnsRefusals = returnsRefusals
        do {
            self.tls = try OutboundHTTP.tlsConfiguration(endpoint.tls)
        } catch {
            throw EndpointError.tls(kind: kind, name: endpoint.name, reason: "\(error)")
        }
        self.credentials = EndpointCredentials(endpoint.auth, kind: kind, name: endpoint.name, tls: tls)
        var headers = HTTPHeaders([("Accept", "application/json"), ("User-Agent", OutboundHTTP.userAgent)])
        for (name, value) in endpoint.headers.sorted(by: { $0.key < $1.key }) { headers.add(name: name, value: value) }
        self.fixedHeaders = headers
    }

    /// `GET base + path?query`, or a form POST when the query is too long for a URL.
    /// - Throws: ``EndpointError`` for a transport failure, a timeout, a refused login, or a body over the limit.
    ///   Other HTTP statuses are returned for the caller to read its API's error body.
    public func get(_ path: String, query: [(String, String)] = []) async throws -> Response {
        let encoded = Self.formEncode(query)
        if encoded.utf8.count > 4096 {
            return try await send(.POST, path, body: Array(encoded.utf8), contentType: "application/x-www-form-urlencoded")
        }
        return try await send(.GET, path + (encoded.isEmpty ? "" : "?" + encoded))
    }

    /// One request; `pathAndQuery` is appended to the endpoint's URL. A refused exec-plugin credential is
    /// fetched again and the request sent once more.
    public func send(
        _ method: HTTPMethod, _ pathAndQuery: String, body: [UInt8]? = nil, contentType: String? = nil, accept: String? = nil
    ) async throws -> Response {
        var response = try await sendOnce(method, pathAndQuery, body: body, contentType: contentType, accept: accept)
        if response.status == 401 && credentials.canRefresh {
            credentials.invalidate()
            response = try await sendOnce(method, pathAndQuery, body: body, contentType: contentType, accept: accept)
        }
        if (response.status == 401 || response.status == 403) && !returnsRefusals {
            throw EndpointError.authFailed(
                kind: kind, name: endpoint.name, status: response.status, auth: endpoint.auth.description,
                detail: Self.excerpt(response.body))
        }
        return response
    }

    private func sendOnce(
        _ method: HTTPMethod, _ pathAndQuery: String, body: [UInt8]?, contentType: String?, accept: String?
    ) async throws -> Response {
        var headers = fixedHeaders
        if let contentType { headers.add(name: "Content-Type", value: contentType) }
        if let accept { headers.replaceOrAdd(name: "Accept", value: accept) }
        let current = try await credentials.current()
        if let authorization = current.authorization {
            headers.add(name: "Authorization", value: authorization)
        }
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(
                url: endpoint.url + pathAndQuery, method: method, headers: headers, body: body.map { .bytes($0) },
                tlsConfiguration: current.tls ?? tls)
        } catch {
            throw EndpointError.unreachable(kind: kind, name: endpoint.name, url: endpoint.url, reason: "the URL is not valid (\(error))")
        }
        let task = http.execute(
            request: request, delegate: ResponseAccumulator(request: request, maxBodySize: maxResponseBytes),
            deadline: .now() + .nanoseconds(Int64(endpoint.timeoutSeconds * 1e9)))
        let response: HTTPClient.Response
        do {
            response = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw classify(error)
        }
        return Response(status: Int(response.status.code), body: response.body ?? ByteBuffer())
    }

    private func classify(_ error: any Error) -> EndpointError {
        let text = String(describing: error)
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return .timeout(kind: kind, name: endpoint.name, seconds: endpoint.timeoutSeconds)
            case .connectTimeout:
                return .unreachable(kind: kind, name: endpoint.name, url: endpoint.url, reason: "the connection timed out")
            case .remoteConnectionClosed:
                return .unreachable(kind: kind, name: endpoint.name, url: endpoint.url, reason: "the server closed the connection")
            default:
                break
            }
        }
        if error is ResponseAccumulator.ResponseTooBigError {
            return .tooLarge(kind: kind, name: endpoint.name, limit: maxResponseBytes)
        }
        if error is NIOSSLError || error is BoringSSLError || text.contains("BoringSSL") || text.contains("sslError") {
            return .tls(kind: kind, name: endpoint.name, reason: Self.tlsReason(text))
        }
        if text.localizedCaseInsensitiveContains("refused") {
            return .unreachable(kind: kind, name: endpoint.name, url: endpoint.url, reason: "connection refused")
        }
        return .unreachable(kind: kind, name: endpoint.name, url: endpoint.url, reason: text)
    }

    /// BoringSSL's reason code, said plainly where we know what it means.
    static func tlsReason(_ text: String) -> String {
        let code = text.components(separatedBy: "OPENSSL_internal:").dropFirst().first?
            .prefix(while: { $0.isUppercase || $0.isNumber || $0 == "_" }).description ?? ""
        switch code {
        case "CERTIFICATE_VERIFY_FAILED":
            return "the server's certificate is not signed by a trusted CA, or does not name this host (CERTIFICATE_VERIFY_FAILED)"
        case "SSLV3_ALERT_BAD_CERTIFICATE", "SSLV3_ALERT_HANDSHAKE_FAILURE", "TLSV13_ALERT_CERTIFICATE_REQUIRED":
            return "the server refused the client certificate, or wanted one and got none (\(code))"
        case "WRONG_VERSION_NUMBER":
            return "the server does not speak TLS here; is the URL http:// rather than https://? (WRONG_VERSION_NUMBER)"
        case "":
            return text.count > 300 ? String(text.prefix(300)) + "…" : text
        default:
            return code
        }
    }

    /// The start of an error body, on one line, for messages.
    static func excerpt(_ body: ByteBuffer?) -> String {
        guard let body, body.readableBytes > 0 else { return "" }
        let text = String(decoding: body.readableBytesView.prefix(300), as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }

    /// `application/x-www-form-urlencoded`, which Prometheus, Loki and Tempo all read in a URL or a body.
    static func formEncode(_ items: [(String, String)]) -> String {
        items.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    private static let unreserved: [Bool] = (0..<128).map { byte in
        let scalar = Unicode.Scalar(UInt8(byte))
        return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || "-._~".unicodeScalars.contains(scalar)
    }

    static func escape(_ text: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            if byte < 128 && unreserved[Int(byte)] {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
