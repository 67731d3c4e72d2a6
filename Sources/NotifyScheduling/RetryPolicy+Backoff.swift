extension RetryPolicy {
    /// The un-jittered delay after attempt `attempt` (1-based):
    /// `min(maxDelay, baseDelay * multiplier^(attempt-1))`, in whole milliseconds.
    public func backoff(afterAttempt attempt: Int) -> Duration {
        .milliseconds(backoffMilliseconds(afterAttempt: attempt))
    }

    /// The delay to wait after attempt `attempt` (1-based), randomised by `jitter`.
    /// `previousDelay` is only used by `.decorrelated` jitter (defaults to `baseDelay`).
    /// The result is always within `0 ... maxDelay`.
    public func delay(
        afterAttempt attempt: Int,
        previousDelay: Duration?,
        using generator: inout some RandomNumberGenerator
    ) -> Duration {
        let curve = backoffMilliseconds(afterAttempt: attempt)
        let milliseconds: Int64
        switch jitter {
        case .none:
            milliseconds = curve
        case .full:
            milliseconds = Int64.random(in: 0...curve, using: &generator)
        case .equal:
            let half = curve / 2
            milliseconds = half + Int64.random(in: 0...(curve - half), using: &generator)
        case .decorrelated:
            let base = baseDelay.wholeMilliseconds
            let previous = max(previousDelay?.wholeMilliseconds ?? base, 0)
            let (tripled, overflow) = previous.multipliedReportingOverflow(by: 3)
            let upper = max(base, overflow ? .max : tripled)
            milliseconds = min(maxDelay.wholeMilliseconds, Int64.random(in: base...upper, using: &generator))
        }
        return .milliseconds(milliseconds)
    }

    func backoffMilliseconds(afterAttempt attempt: Int) -> Int64 {
        let base = baseDelay.wholeMilliseconds
        let cap = maxDelay.wholeMilliseconds
        let scaled = Double(base) * Self.power(multiplier, max(attempt, 1) - 1)
        guard scaled.isFinite, scaled < Double(cap) else { return cap }
        return max(base, Int64(scaled.rounded()))
    }

    /// `x^n` by squaring (no Foundation `pow`); O(log n), may return infinity.
    static func power(_ x: Double, _ n: Int) -> Double {
        var result = 1.0
        var base = x
        var exponent = n
        while exponent > 0 {
            if exponent & 1 == 1 { result *= base }
            exponent >>= 1
            if exponent > 0 { base *= base }
        }
        return result
    }
}
