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
            bucket.tokens = tokens(in: bucket, at: now)
            bucket.updated = now
            defer {
                buckets[key] = bucket
                if buckets.count > maxTracked { buckets = buckets.filter { tokens(in: $0.value, at: now) < burst } }
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
            return tokens(in: bucket, at: now) < 1
        }
    }

    /// The bucket's tokens after refilling at `rate` since it was last used, up to `burst`.
    private func tokens(in bucket: Bucket, at now: ContinuousClock.Instant) -> Double {
        let elapsed = now - bucket.updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return min(burst, bucket.tokens + seconds * rate)
    }
}
