/// The MCP tool annotations, declared beside each tool. Policy reads them too.
public struct ToolAnnotations: Sendable, Hashable {
    public var isReadOnly: Bool
    public var isDestructive: Bool
    public var isIdempotent: Bool
    public var isOpenWorld: Bool

    /// A tool that changes nothing.
    public static func readOnly(openWorld: Bool = false) -> ToolAnnotations {
        ToolAnnotations(isReadOnly: true, isDestructive: false, isIdempotent: true, isOpenWorld: openWorld)
    }

    /// A tool that changes something; destructive ones need an explicit allow in policy.
    public static func write(destructive: Bool, idempotent: Bool, openWorld: Bool = false) -> ToolAnnotations {
        ToolAnnotations(isReadOnly: false, isDestructive: destructive, isIdempotent: idempotent, isOpenWorld: openWorld)
    }
}
