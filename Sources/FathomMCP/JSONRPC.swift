import FathomCore
import Foundation
import MCP

/// JSON-RPC 2.0 framing: what arrived, and how replies are written.
enum JSONRPC {
    static let parseError = -32700
    static let invalidRequest = -32600
    static let methodNotFound = -32601
    static let invalidParams = -32602
    static let internalError = -32603
    static let resourceNotFound = -32002

    /// One decoded message. Params stay as JSON values: each handler reads what it needs, once.
    struct Envelope: Decodable {
        var jsonrpc: String?
        var id: ID?
        var method: String?
        var params: JSONValue?
        var result: JSONValue?
        var error: JSONValue?
        /// `"id": null`, which MCP forbids; it must not be mistaken for a notification.
        var hasNullID = false

        private enum CodingKeys: String, CodingKey { case jsonrpc, id, method, params, result, error }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            jsonrpc = try container.decodeIfPresent(String.self, forKey: .jsonrpc)
            if container.contains(.id), try container.decodeNil(forKey: .id) {
                hasNullID = true
            } else {
                id = try container.decodeIfPresent(ID.self, forKey: .id)
            }
            method = try container.decodeIfPresent(String.self, forKey: .method)
            params = try container.decodeIfPresent(JSONValue.self, forKey: .params)
            result = try container.decodeIfPresent(JSONValue.self, forKey: .result)
            error = try container.decodeIfPresent(JSONValue.self, forKey: .error)
        }
    }

    /// A protocol-level failure, answered as a JSON-RPC error object.
    struct Failure: Error {
        let code: Int
        let message: String
        init(_ code: Int, _ message: String) {
            self.code = code
            self.message = message
        }
        static func invalidParams(_ message: String) -> Failure { Failure(JSONRPC.invalidParams, message) }
    }

    private struct Reply<Result: Encodable>: Encodable {
        let jsonrpc = "2.0"
        let id: ID
        let result: Result
    }

    private struct ErrorReply: Encodable {
        struct Body: Encodable {
            let code: Int
            let message: String
        }
        let jsonrpc = "2.0"
        /// Encoded as `null` when the request's id could not be read, as the spec requires.
        let id: ID?
        let error: Body

        private enum CodingKeys: String, CodingKey { case jsonrpc, id, error }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(jsonrpc, forKey: .jsonrpc)
            if let id { try container.encode(id, forKey: .id) } else { try container.encodeNil(forKey: .id) }
            try container.encode(error, forKey: .error)
        }
    }

    private struct Outgoing<Params: Encodable>: Encodable {
        let jsonrpc = "2.0"
        let id: ID?
        let method: String
        let params: Params
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    static func result(_ id: ID, _ result: some Encodable) -> Data {
        (try? encoder().encode(Reply(id: id, result: result)))
            ?? error(id, internalError, "the result could not be encoded")
    }

    static func error(_ id: ID?, _ code: Int, _ message: String) -> Data {
        (try? encoder().encode(ErrorReply(id: id, error: .init(code: code, message: message))))
            ?? Data(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"internal error"}}"#.utf8)
    }

    static func notification(_ method: String, _ params: JSONValue) -> Data {
        (try? encoder().encode(Outgoing(id: nil, method: method, params: params))) ?? Data()
    }

    static func request(_ id: ID, _ method: String, _ params: JSONValue) -> Data {
        (try? encoder().encode(Outgoing(id: id, method: method, params: params))) ?? Data()
    }

    /// For a message that did not decode: the id, if one can still be read, so the error can name it.
    static func salvageID(_ data: Data) -> ID? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        if let string = object["id"] as? String { return .string(string) }
        if let number = object["id"] as? Int { return .number(number) }
        return nil
    }

    static func isValidJSON(_ data: Data) -> Bool {
        (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil
    }
}
