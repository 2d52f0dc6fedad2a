import Synchronization

/// A token bucket per client: `rate` requests per second on average, `burst` at once.
final class RateLimiter: Sendable {
    let rate: Double
    let burst: Double
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }
    private let buckets = Mutex<[String: Bucket]>([:])
    /// Callers are forgotten once their bucket is full again; past this many the full ones are dropped.
    private let maxTracked = 100_000

    init(rate: Int, burst: Int) {
        self.rate = Double(rate)
        self.burst = Double(max(burst, 1))
    }

    var isEnabled: Bool { rate > 0 }

    /// Takes one token for `key`.
    /// - Returns: nil when allowed, else the seconds to wait before a token is free.
    func acquire(_ key: String, now: ContinuousClock.Instant = .now) -> Int? {
        guard isEnabled else { return nil }
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            bucket.tokens = min(burst, bucket.tokens + seconds * rate)
            bucket.updated = now
            defer {
                buckets[key] = bucket
                if buckets.count > maxTracked { Self.dropFull(&buckets, burst: burst, rate: rate, now: now) }
            }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
        }
    }

    /// Whether `key` has no token left, without taking one.
    func isLimited(_ key: String, now: ContinuousClock.Instant = .now) -> Bool {
        guard isEnabled else { return false }
        return buckets.withLock { buckets in
            guard let bucket = buckets[key] else { return false }
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            return bucket.tokens + seconds * rate < 1
        }
    }

    private static func dropFull(_ buckets: inout [String: Bucket], burst: Double, rate: Double, now: ContinuousClock.Instant) {
        buckets = buckets.filter { _, bucket in
            let elapsed = now - bucket.updated
            return bucket.tokens + Double(elapsed.components.seconds) * rate < burst
        }
    }
}
