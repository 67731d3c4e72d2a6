/// A token bucket rate limiter: at most `burst` requests at once, `ratePerSecond` sustained.
///
/// Rules:
/// - The bucket starts full (`burst` tokens). Each `take` that is granted removes one token.
/// - Tokens refill lazily from the time elapsed since the last call, at `ratePerSecond`,
///   never above `burst` whole tokens. Time going backwards refills nothing.
/// - Rounding up to whole milliseconds costs no rate: in the millisecond the bucket fills,
///   the part of that millisecond's refill beyond `burst` (less than one token) is kept.
///   Otherwise a caller that comes back at the instant `.wait` names would lose the rounding
///   every time (a 333.3/s bucket with burst 1 would give 250/s); with it, that caller gets
///   `ratePerSecond` exactly in the long run. Sitting full adds nothing more.
/// - Arithmetic is exact integer fixed point: tokens are counted in nano-tokens and time in
///   milliseconds, so 0.5/s gives exactly one token per 2000 ms and no drift accumulates.
///   Rates are rounded to a multiple of 0.000001 tokens/s (at least that).
/// - When empty, `take` answers `.wait(until:)` with the first millisecond at which a whole
///   token will be there.
public struct TokenBucket: Sendable {
    static let nanoTokensPerToken: Int64 = 1_000_000_000

    public let ratePerSecond: Double
    public let burst: Int
    /// Refill per millisecond, in nano-tokens (`ratePerSecond * 10^6`, at least 1).
    private let nanoTokensPerMillisecond: Int64
    private let capacity: Int64
    /// `capacity` plus less than one millisecond's refill, and less than one token.
    private let ceiling: Int64
    private var level: Int64
    private var updatedAt: Instant

    /// A full bucket as of `now`. `ratePerSecond` must be in (0, 10^12], `burst` in 1...10^9.
    public init(ratePerSecond: Double, burst: Int, now: Instant) {
        precondition(ratePerSecond.isFinite && ratePerSecond > 0, "ratePerSecond must be positive")
        precondition(burst >= 1 && burst <= 1_000_000_000, "burst must be in 1...10^9")
        precondition(ratePerSecond <= 1e12, "ratePerSecond must be at most 10^12")
        self.ratePerSecond = ratePerSecond
        self.burst = burst
        self.nanoTokensPerMillisecond = max(1, Int64((ratePerSecond * 1_000_000).rounded()))
        self.capacity = Int64(burst) * Self.nanoTokensPerToken
        self.ceiling = capacity + min(nanoTokensPerMillisecond, Self.nanoTokensPerToken) - 1
        self.level = capacity
        self.updatedAt = now
    }

    /// Takes one token if there is one at `now`.
    public mutating func take(now: Instant) -> TokenGrant {
        refill(now: now)
        if level >= Self.nanoTokensPerToken {
            level -= Self.nanoTokensPerToken
            return .granted
        }
        let missing = Self.nanoTokensPerToken - level
        let milliseconds = (missing + nanoTokensPerMillisecond - 1) / nanoTokensPerMillisecond
        return .wait(until: updatedAt.adding(milliseconds: milliseconds))
    }

    /// The whole tokens available at `now` (refills as `take` would, takes nothing).
    public mutating func availableTokens(now: Instant) -> Int {
        refill(now: now)
        return Int(level / Self.nanoTokensPerToken)
    }

    private mutating func refill(now: Instant) {
        guard now > updatedAt else { return }
        let elapsed = now.millisecondsSinceEpoch &- updatedAt.millisecondsSinceEpoch
        updatedAt = now
        // Already full (perhaps with a carry): sitting full refills nothing.
        guard level < capacity else { return }
        let missing = capacity - level
        let millisecondsToFill = (missing + nanoTokensPerMillisecond - 1) / nanoTokensPerMillisecond
        if elapsed < 0 || elapsed >= millisecondsToFill {
            // Full at millisecond `millisecondsToFill`; keep that millisecond's carry only.
            level = min(ceiling, level + millisecondsToFill * nanoTokensPerMillisecond)
        } else {
            level += elapsed * nanoTokensPerMillisecond
        }
    }
}
