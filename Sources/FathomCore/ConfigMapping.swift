import Foundation
import Yams

/// Helpers for config sections that are mappings of known fields (`http.tokens` items, `http.jwt`,
/// `http.oauth`) and for secrets named by an environment variable or a file.
enum ConfigMapping {
    /// `file:line:column` of a node.
    static func location(_ node: Node, _ file: String) -> String {
        "\(file):\(node.mark?.line ?? 0):\(node.mark?.column ?? 0)"
    }

    /// The mapping's fields by name, each a ``ConfigValue`` keyed `key.field`.
    /// - Parameter known: the field names allowed; nil allows any (a mapping of free names, such as headers).
    /// - Throws: for a node that is not a mapping (saying `expected`), or an unknown field.
    static func fields(_ node: Node, file: String, key: String, known: [String]?, expected: String) throws -> [String: ConfigValue] {
        guard case .mapping(let mapping) = node else {
            throw ConfigError.invalidValue(location: location(node, file), key: key, expected: expected, got: "something else")
        }
        var fields: [String: ConfigValue] = [:]
        for (keyNode, valueNode) in mapping {
            let name = keyNode.scalar?.string ?? ""
            if let known, !known.contains(name) {
                throw ConfigError.unknownKey(location: location(keyNode, file), key: name, expected: known.sorted())
            }
            fields[name] = ConfigValue(node: valueNode, file: file, key: "\(key).\(name)")
        }
        return fields
    }

    /// One item of a list of named mappings (`connections:`, `clusters:`): its unique name and its fields.
    struct NamedItem {
        var name: String
        var key: String
        var node: Node
        var fields: [String: ConfigValue]
    }

    /// A list of mappings that each have a `name`, plain and used once, as `key[0]`, `key[1]`, ….
    /// - Parameters:
    ///   - expected: what the list should be, for the error when it is not one.
    ///   - known: each item's allowed fields (`name` among them).
    static func namedItems(_ node: Node, file: String, key: String, expected: String, known: [String]) throws -> [NamedItem] {
        guard case .sequence(let items) = node else {
            throw ConfigError.invalidValue(location: location(node, file), key: key, expected: expected, got: "something else")
        }
        var seen: Set<String> = []
        return try items.enumerated().map { index, item in
            let itemKey = "\(key)[\(index)]"
            let fields = try self.fields(item, file: file, key: itemKey, known: known, expected: "a mapping with a name")
            guard let nameValue = fields["name"] else {
                throw ConfigError.invalidValue(location: location(item, file), key: itemKey + ".name", expected: "a name", got: "none")
            }
            let name = try EndpointSettings.name(nameValue)
            guard seen.insert(name).inserted else {
                throw ConfigError.invalidValue(
                    location: nameValue.location, key: nameValue.key, expected: "a name not used before in \(key)", got: "'\(name)' again")
            }
            return NamedItem(name: name, key: itemKey, node: item, fields: fields)
        }
    }

    /// The value of the environment variable that `value` names; unset or empty is an error.
    static func environmentSecret(_ value: ConfigValue, _ environment: [String: String]) throws -> String {
        let name = try value.string()
        guard let text = environment[name], !text.isEmpty else {
            throw ConfigError.invalidValue(
                location: value.location, key: value.key, expected: "the name of a set environment variable", got: "'\(name)', which is not set")
        }
        return text
    }

    /// The text of the file that `value` names (relative to `home`), at most `limit` bytes of UTF-8.
    static func fileSecret(_ value: ConfigValue, home: String, limit: Int = 4096) throws -> String {
        let path = ConfigLoader.absolute(try value.string(), from: home)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ConfigError.unreadable(file: path, reason: "the file for \(value.key) is missing or unreadable")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: limit + 1)) ?? Data()
        guard data.count <= limit, let text = String(data: data, encoding: .utf8) else {
            throw ConfigError.unreadable(file: path, reason: "the file for \(value.key) must be UTF-8 text of at most \(limit) bytes")
        }
        return text
    }

    /// A secret given by exactly one of `prefix`, `prefix_env` (a variable's name) and `prefix_file` (a path).
    /// - Throws: when none or several are given, or the variable or file is missing.
    static func secret(
        _ fields: [String: ConfigValue], prefix: String, at node: Node, file: String, key: String,
        environment: [String: String], home: String
    ) throws -> String {
        let present = [prefix, prefix + "_env", prefix + "_file"].filter { fields[$0] != nil }
        guard present.count == 1, let name = present.first, let value = fields[name] else {
            throw ConfigError.invalidValue(
                location: location(node, file), key: key,
                expected: "exactly one of \(prefix), \(prefix)_env, \(prefix)_file", got: "\(present.count)")
        }
        switch name {
        case prefix: return try value.string()
        case prefix + "_env": return try environmentSecret(value, environment)
        default: return try fileSecret(value, home: home).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// The absolute path that `value` names (relative to `home`), checked readable now rather than at first use.
    static func readableFile(_ value: ConfigValue, home: String) throws -> String {
        let path = ConfigLoader.absolute(try value.string(), from: home)
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ConfigError.unreadable(file: path, reason: "the file for \(value.key) is missing or unreadable")
        }
        return path
    }
}
