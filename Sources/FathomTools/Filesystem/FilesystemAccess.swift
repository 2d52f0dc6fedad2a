import FathomCore
import Foundation

/// What every filesystem tool shares: the configured limits and the path guard for the caller's roots.
public struct FilesystemAccess: Sendable {
    public let settings: FathomConfig.FilesystemSettings
    private let configured: PathGuard

    /// - Parameter home: the folder relative roots are taken from.
    public init(settings: FathomConfig.FilesystemSettings, home: String) {
        self.settings = settings
        let roots = settings.roots.map { ($0 as NSString).expandingTildeInPath }
            .map { $0.hasPrefix("/") ? $0 : (home as NSString).appendingPathComponent($0) }
        self.configured = PathGuard(roots: roots, deny: settings.deny)
    }

    /// The guard for this call: the client's roots when it offered some and config allows it, else the configured ones.
    public func pathGuard(for context: ToolContext) -> PathGuard {
        if settings.useClientRoots, let clientRoots = context.clientRoots, !clientRoots.isEmpty {
            return PathGuard(roots: clientRoots, deny: settings.deny)
        }
        return configured
    }

    public var configuredRoots: [String] { configured.roots }
}
