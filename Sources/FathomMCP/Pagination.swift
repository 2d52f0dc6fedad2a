import FathomCore
import Foundation

/// Opaque cursors for list methods: the offset of the next page, base64-wrapped so clients don't parse it.
enum Pagination {
    static func page<T>(_ items: [T], cursor: JSONValue?, size: Int) throws -> (items: ArraySlice<T>, next: String?) {
        var start = 0
        if let cursor, !cursor.isNull {
            guard let text = cursor.stringValue, let data = Data(base64Encoded: text),
                let decoded = String(data: data, encoding: .utf8), decoded.hasPrefix("offset:"),
                let offset = Int(decoded.dropFirst(7)), offset >= 0, offset <= items.count
            else {
                throw JSONRPC.Failure.invalidParams("Invalid params: unknown cursor. Start again without one.")
            }
            start = offset
        }
        let end = min(items.count, start + max(1, size))
        let next = end < items.count ? Data("offset:\(end)".utf8).base64EncodedString() : nil
        return (items[start..<end], next)
    }
}
