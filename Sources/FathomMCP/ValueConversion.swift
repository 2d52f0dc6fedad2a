import FathomCore
import MCP

extension MCP.Value {
    /// The SDK's JSON value for one of ours; the two meet only at this boundary.
    init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let v): self = .bool(v)
        case .int(let v): self = .int(v)
        case .double(let v): self = .double(v)
        case .string(let v): self = .string(v)
        case .array(let v): self = .array(v.map(MCP.Value.init))
        case .object(let v): self = .object(v.mapValues(MCP.Value.init))
        }
    }
}
