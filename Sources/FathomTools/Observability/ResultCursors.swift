import FathomCore
import Foundation
import Synchronization

/// Full query results kept behind a cursor, so a summary can stay short and the raw data is one call away.
///
/// Bounded three ways: entries, bytes, and age. The oldest go first.
public final class ResultCursors: Sendable {
    public struct Page: Sendable {
        public var items: [JSONValue]
        public var total: Int
        public var next: Int?
    }

    private struct Entry {
        var id: String
        var items: [JSONValue]
        var bytes: Int
        var created: ContinuousClock.Instant
    }

    private let entries = Mutex<[Entry]>([])
    private let maxEntries: Int
    private let maxBytes: Int
    private let lifetime: Duration

    public init(maxEntries: Int = 64, maxBytes: Int = 128 * 1024 * 1024, lifetime: Duration = .seconds(1800)) {
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
        self.lifetime = lifetime
    }

    /// Keeps `items` and returns the cursor that reads them.
    /// - Parameter bytes: roughly what the items occupy, for the byte bound.
    public func store(_ items: [JSONValue], bytes: Int) -> String {
        let id = "c" + Hex.random(bytes: 12)
        let now = ContinuousClock.now
        entries.withLock { entries in
            entries.removeAll { now - $0.created > lifetime }
            entries.append(Entry(id: id, items: items, bytes: bytes, created: now))
            var total = entries.reduce(0) { $0 + $1.bytes }
            while entries.count > maxEntries || (total > maxBytes && entries.count > 1) {
                total -= entries.removeFirst().bytes
            }
        }
        return id
    }

    /// Items `offset..<offset+limit` of a stored result, or nil when the cursor is unknown or expired.
    public func page(_ id: String, offset: Int, limit: Int) -> Page? {
        let now = ContinuousClock.now
        return entries.withLock { entries -> Page? in
            guard let entry = entries.first(where: { $0.id == id }), now - entry.created <= lifetime else { return nil }
            let start = Swift.min(Swift.max(offset, 0), entry.items.count)
            let end = Swift.min(start + Swift.max(limit, 0), entry.items.count)
            return Page(items: Array(entry.items[start..<end]), total: entry.items.count, next: end < entry.items.count ? end : nil)
        }
    }
}
