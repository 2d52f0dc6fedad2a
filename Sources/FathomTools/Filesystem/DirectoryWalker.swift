import FathomCore

/// Walks a checked directory tree breadth-first, never following symlinks, within an entry budget,
/// reporting progress and stopping when the call is cancelled.
struct DirectoryWalker {
    struct Visit {
        let entry: DirectoryEntry
        let resolved: PathGuard.Resolved
        /// Relative to the directory the walk started from.
        let relative: String
    }

    static let yieldInterval = Duration.milliseconds(2)

    let guardian: PathGuard
    let maxEntries: Int
    let exclude: [GlobPattern]

    /// - Returns: how many entries were visited, and whether the budget ran out before the tree did.
    func walk(
        from start: PathGuard.Resolved, context: ToolContext, visit: (Visit) throws -> Bool
    ) async throws -> (visited: Int, truncated: Bool) {
        var queue: [(PathGuard.Resolved, String)] = [(start, "")]
        var head = 0
        var visited = 0
        var nextProgress = 500
        var lastYield = ContinuousClock.now
        while head < queue.count {
            try Task.checkCancellation()
            let (directory, relative) = queue[head]
            head += 1
            let entries: [DirectoryEntry]
            do {
                entries = try DirectoryEntry.list(directory, guardian: guardian, limit: maxEntries)
            } catch is FilesystemError {
                continue  // unreadable subdirectories are skipped, as `find` does
            }
            for entry in entries {
                // Checked per entry: one directory can hold enough files to make a content search long.
                try Task.checkCancellation()
                let childRelative = relative.isEmpty ? entry.name : relative + "/" + entry.name
                if exclude.contains(where: { $0.matches(path: childRelative) }) { continue }
                visited += 1
                if visited > maxEntries { return (visited - 1, true) }
                let child = PathGuard.Resolved(
                    path: directory.path == "/" ? "/" + entry.name : directory.path + "/" + entry.name, root: directory.root)
                if try !visit(Visit(entry: entry, resolved: child, relative: childRelative)) {
                    return (visited, false)
                }
                if entry.kind == .directory { queue.append((child, childRelative)) }
                if visited >= nextProgress {
                    nextProgress = visited + 500
                    await context.progress(Double(visited), nil, "visited \(visited) entries")
                }
                // A long walk must not hold its thread for long: that thread also reads the
                // `notifications/cancelled` that stops the walk. Measured by time, since one entry of a
                // content search can be a 10 MB read.
                if ContinuousClock.now - lastYield > Self.yieldInterval {
                    await Task.pauseForInput()
                    lastYield = .now
                }
            }
        }
        return (visited, false)
    }
}
