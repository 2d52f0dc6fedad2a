/// Builds LogQL from a stream selector and line filters, so a caller need not know LogQL's quoting.
enum LogQL {
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// `{app="api"} |= "timeout" != "healthz" |~ "5\\d\\d"`.
    static func query(selector: String, contains: [String], excludes: [String], regex: String?) throws -> String {
        let trimmed = selector.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("{"), trimmed.hasSuffix("}"), trimmed.count > 2 else {
            throw Invalid(description: "selector must be a stream selector such as {namespace=\"shop\", app=\"checkout\"}")
        }
        var query = trimmed
        for text in contains { query += " |= " + quoted(text) }
        for text in excludes { query += " != " + quoted(text) }
        if let regex { query += " |~ " + quoted(regex) }
        return query
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
