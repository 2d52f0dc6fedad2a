import FathomCore
import Foundation
import GRDB

/// Database values as JSON: numbers stay numbers, text is bounded, bytes are hex.
enum SQLValue {
    static func json(_ storage: DatabaseValue.Storage, maxBytes: Int) -> JSONValue {
        switch storage {
        case .null: .null
        case .int64(let value): .int(Int(value))
        case .double(let value): value.isFinite ? .double(value) : .string(String(value))
        case .string(let text): .string(TextLimit.clip(text, maxBytes: maxBytes))
        case .blob(let data): .string(hex(data, maxBytes: maxBytes))
        }
    }

    static func hex(_ bytes: some Collection<UInt8>, maxBytes: Int) -> String {
        let text = "\\x" + Hex.encode(bytes.prefix(maxBytes / 2))
        return bytes.count > maxBytes / 2 ? text + "…[\(bytes.count) bytes]" : text
    }

    /// A row as one line of text, cells separated by " | ".
    static func line(_ values: [JSONValue]) -> String {
        values.map { value in
            switch value {
            case .null: "NULL"
            case .string(let text): text.replacingOccurrences(of: "\n", with: "\\n")
            default: value.encodedString()
            }
        }.joined(separator: " | ")
    }
}
