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
    struct Envelope {
        var jsonrpc: String?
        var id: ID?
        var method: String?
        var params: JSONValue?
        var result: JSONValue?
        var error: JSONValue?
        /// `"id": null`, which MCP forbids; it must not be mistaken for a notification.
        var hasNullID = false
        /// An id that is neither a string nor an integer.
        var hasInvalidID = false
        /// `method` present but not a string.
        var hasInvalidMethod = false

        init(_ object: [String: JSONValue]) {
            jsonrpc = object["jsonrpc"]?.stringValue
            switch object["id"] {
            case nil: break
            case .null?: hasNullID = true
            case .string(let text)?: id = .string(text)
            case .int(let number)?: id = .number(number)
            default: hasInvalidID = true
            }
            if let method = object["method"] {
                if let name = method.stringValue { self.method = name } else { hasInvalidMethod = true }
            }
            params = object["params"]
            result = object["result"]
            error = object["error"]
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

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    /// A reply whose result is already a JSON value: written without Foundation's encoder (the hot path).
    static func result(_ id: ID, _ result: JSONValue) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        out.append(contentsOf: #"{"jsonrpc":"2.0","id":"#.utf8)
        switch id {
        case .string(let text): JSONWriter.appendString(text, to: &out)
        case .number(let number): out.append(contentsOf: String(number).utf8)
        }
        out.append(contentsOf: #","result":"#.utf8)
        JSONWriter.append(result, to: &out)
        out.append(UInt8(ascii: "}"))
        return Data(out)
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
        Data(JSONWriter.write(["jsonrpc": "2.0", "method": .string(method), "params": params]))
    }

    static func request(_ id: ID, _ method: String, _ params: JSONValue) -> Data {
        let idValue: JSONValue = switch id {
            case .string(let text): .string(text)
            case .number(let number): .int(number)
            }
        return Data(JSONWriter.write(["jsonrpc": "2.0", "id": idValue, "method": .string(method), "params": params]))
    }
}
