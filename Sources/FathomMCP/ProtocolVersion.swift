/// The MCP revisions Fathom speaks, and what each one allows on the wire.
public enum ProtocolVersion {
    public static let supported = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
    public static let latest = "2025-11-25"
    /// The stateless revision: no initialize, version and capabilities in every request's `_meta`.
    public static let stateless = "2026-07-28"
    /// What a 2026-07-28 client may call; the session-bound methods are gone from it.
    public static let statelessMethods: Set<String> = [
        "server/discover", "tools/list", "tools/call", "resources/list", "resources/templates/list", "resources/read",
        "prompts/list", "prompts/get", "completion/complete",
    ]

    /// The client's version when we speak it, else our latest (the client then decides whether to go on).
    public static func negotiate(_ requested: String?) -> String {
        guard let requested, supported.contains(requested) else { return latest }
        return requested
    }

    /// Tool annotations arrived in 2025-03-26.
    static func hasAnnotations(_ version: String) -> Bool { version >= "2025-03-26" }
    /// Audio content arrived in 2025-03-26 too.
    static func hasAudio(_ version: String) -> Bool { version >= "2025-03-26" }
    /// `title`, `outputSchema` and `structuredContent` arrived in 2025-06-18, and batches left.
    static func hasStructuredOutput(_ version: String) -> Bool { version >= "2025-06-18" }
    static func allowsBatches(_ version: String) -> Bool { version < "2025-06-18" }
}
