import NotifyScheduling
import Testing

@Suite struct JitterTests {
    static let draws = 5_000

    static func policy(_ jitter: Jitter) -> RetryPolicy {
        RetryPolicy(
            maxAttempts: 10, baseDelay: .seconds(1), multiplier: 2,
            maxDelay: .seconds(30), maxLifetime: .seconds(86_400), jitter: jitter)
    }

    /// Draws `draws` delays after `attempt` and returns them in milliseconds.
    static func sample(_ jitter: Jitter, attempt: Int, previous: Duration? = nil) -> [Int64] {
        var generator = SplitMix64(seed: UInt64(attempt) &* 7_919)
        let policy = policy(jitter)
        return (0..<draws).map { _ in
            policy.delay(afterAttempt: attempt, previousDelay: previous, using: &generator).wholeMilliseconds
        }
    }

    @Test(arguments: 1...6)
    func fullJitterIsWithinZeroAndTheCurve(attempt: Int) {
        let curve = Self.policy(.none).backoff(afterAttempt: attempt).wholeMilliseconds
        let delays = Self.sample(.full, attempt: attempt)
        #expect(delays.allSatisfy { (0...curve).contains($0) })
        // Spread: both quarters at the ends are hit.
        #expect(delays.contains { $0 < curve / 4 })
        #expect(delays.contains { $0 > curve * 3 / 4 })
    }

    @Test(arguments: 1...6)
    func equalJitterIsWithinHalfAndTheCurve(attempt: Int) {
        let curve = Self.policy(.none).backoff(afterAttempt: attempt).wholeMilliseconds
        let delays = Self.sample(.equal, attempt: attempt)
        #expect(delays.allSatisfy { (curve / 2...curve).contains($0) })
        #expect(delays.contains { $0 < curve / 2 + curve / 8 })
        #expect(delays.contains { $0 > curve - curve / 8 })
    }

    @Test func equalJitterOfTheSeedsKeepsTheDocumentedCurve() {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<Self.draws {
            for (attempt, curve) in [(1, 1_000), (2, 2_000), (3, 4_000)] as [(Int, Int64)] {
                let delay = RetryPolicy.seeds.delay(afterAttempt: attempt, previousDelay: nil, using: &generator)
                #expect((curve / 2...curve).contains(delay.wholeMilliseconds))
            }
        }
    }

    @Test func decorrelatedJitterIsWithinBaseAndThreeTimesThePreviousDelay() {
        for previous: Int64 in [0, 500, 1_000, 2_000, 7_000, 20_000] {
            let delays = Self.sample(.decorrelated, attempt: 3, previous: .milliseconds(previous))
            let upper = min(30_000, max(1_000, previous * 3))
            #expect(delays.allSatisfy { (1_000...upper).contains($0) }, "previous \(previous)")
            if upper > 1_000 {
                #expect(delays.contains { $0 > upper - (upper - 1_000) / 8 })
            }
        }
    }

    @Test func decorrelatedJitterWithoutPreviousStartsFromBase() {
        let delays = Self.sample(.decorrelated, attempt: 1)
        #expect(delays.allSatisfy { (1_000...3_000).contains($0) })
    }

    @Test func decorrelatedChainStaysWithinBounds() {
        var generator = SplitMix64(seed: 9)
        let policy = Self.policy(.decorrelated)
        var previous: Duration? = nil
        for attempt in 1...Self.draws {
            let delay = policy.delay(afterAttempt: attempt, previousDelay: previous, using: &generator)
            let upper = min(Duration.seconds(30), max(.seconds(1), (previous ?? .seconds(1)) * 3))
            #expect(delay >= .seconds(1) && delay <= upper)
            previous = delay
        }
    }

    @Test func noJitterNeverDrawsFromTheGenerator() {
        var generator = SplitMix64(seed: 5)
        var untouched = SplitMix64(seed: 5)
        _ = Self.policy(.none).delay(afterAttempt: 2, previousDelay: nil, using: &generator)
        #expect(generator.next() == untouched.next())
    }
}
