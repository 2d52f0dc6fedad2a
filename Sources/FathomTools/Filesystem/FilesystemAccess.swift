import FathomCore
import Foundation
import Synchronization

/// What every filesystem tool shares: the configured limits and the path guard for the caller's roots.
public struct FilesystemAccess: Sendable {
    public let settings: FathomConfig.FilesystemSettings
    private let configured: PathGuard
    private let clientGuards = ClientGuardCache()

    /// - Parameter home: the folder relative roots are taken from.
    public init(settings: FathomConfig.FilesystemSettings, home: String) {
        self.settings = settings
        let roots = settings.roots.map { ($0 as NSString).expandingTildeInPath }
            .map { $0.hasPrefix("/") ? $0 : (home as NSString).appendingPathComponent($0) }
        self.configured = PathGuard(roots: roots, deny: settings.deny)
    }

    /// The guard for this call. Roots the client offered narrow the configured ones: a client root is
    /// used only if it lies inside a configured root, so the operator's roots stay the ceiling.
    public func pathGuard(for context: ToolContext) -> PathGuard {
        guard settings.useClientRoots, let offered = context.clientRoots, !offered.isEmpty else { return configured }
        return clientGuards.guardFor(offered) {
            let inside = offered.compactMap(PathGuard.realPath).filter { real in
                configured.roots.contains { real == $0 || $0 == "/" || real.hasPrefix($0 + "/") }
            }
            return inside.isEmpty ? configured : PathGuard(roots: inside, deny: settings.deny)
        }
    }

    public var configuredRoots: [String] { configured.roots }
}

/// Remembers the guard for the last set of client roots: they change rarely, and building a guard
/// resolves every root through the filesystem.
private final class ClientGuardCache: Sendable {
    private let last = Mutex<(roots: [String], guard: PathGuard)?>(nil)

    func guardFor(_ roots: [String], make: () -> PathGuard) -> PathGuard {
        if let cached = last.withLock({ $0 }), cached.roots == roots { return cached.guard }
        let made = make()
        last.withLock { $0 = (roots, made) }
        return made
    }
}
