import FathomCore
import FathomMCP
import Foundation
import HTTPTypes
import Hummingbird

/// Small response builders shared by the routes: every refusal carries a JSON-RPC error body, so an MCP
/// client can show the reason, and the HTTP status a proxy or a person with curl expects.
enum HTTPReply {
    static let sessionID = HTTPField.Name("Mcp-Session-Id")!
    static let protocolVersion = HTTPField.Name("MCP-Protocol-Version")!
    static let lastEventID = HTTPField.Name("Last-Event-ID")!

    static func json(_ data: Data, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A refusal: the status, and a JSON-RPC error with id null saying what to do.
    static func error(_ status: HTTPResponse.Status, code: Int = -32600, _ message: String, headers: HTTPFields = [:]) -> Response {
        let body = JSONWriter.write([
            "jsonrpc": "2.0", "id": .null, "error": ["code": .int(code), "message": .string(message)],
        ])
        return json(Data(body), status: status, headers: headers)
    }
}
