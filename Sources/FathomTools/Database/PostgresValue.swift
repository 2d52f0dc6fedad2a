import FathomCore
import Foundation
import PostgresNIO

/// PostgreSQL values (binary format, as PostgresNIO reads them) as JSON.
enum PostgresValue {
    static func json(_ cell: PostgresCell, maxBytes: Int) -> JSONValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .bool:
            return (try? cell.decode(Bool.self)).map { .bool($0) } ?? fallback(cell, maxBytes)
        case .int2, .int4, .int8, .oid:
            return (try? cell.decode(Int.self)).map { .int($0) } ?? fallback(cell, maxBytes)
        case .float4, .float8:
            return (try? cell.decode(Double.self)).map { $0.isFinite ? .double($0) : .string(String($0)) } ?? fallback(cell, maxBytes)
        case .numeric:
            return (try? cell.decode(Decimal.self)).map { .string("\($0)") } ?? fallback(cell, maxBytes)
        case .timestamp, .timestamptz, .date:
            return (try? cell.decode(Date.self)).map { .string($0.formatted(.iso8601)) } ?? fallback(cell, maxBytes)
        case .bytea:
            return .string(SQLValue.hex(cell.bytes?.readableBytesView ?? ByteBuffer().readableBytesView, maxBytes: maxBytes))
        case .textArray, .varcharArray, .nameArray:
            return (try? cell.decode([String].self)).map { .array($0.map { .string(TextLimit.clip($0, maxBytes: maxBytes)) }) } ?? fallback(cell, maxBytes)
        case .int2Array, .int4Array, .int8Array:
            return (try? cell.decode([Int].self)).map { .array($0.map { .int($0) }) } ?? fallback(cell, maxBytes)
        default:
            return fallback(cell, maxBytes)
        }
    }

    /// Text, JSON, UUID and other types whose binary form is text; anything else is named, not shown.
    private static func fallback(_ cell: PostgresCell, _ maxBytes: Int) -> JSONValue {
        if let text = try? cell.decode(String.self), text.unicodeScalars.allSatisfy({ $0.value >= 0x20 || $0 == "\n" || $0 == "\t" }) {
            return .string(TextLimit.clip(text, maxBytes: maxBytes))
        }
        return .string("<\(cell.dataType) value, \(cell.bytes?.readableBytes ?? 0) bytes>")
    }

    static func text(_ cell: PostgresCell) -> String {
        (try? cell.decode(String.self)) ?? ""
    }
}
