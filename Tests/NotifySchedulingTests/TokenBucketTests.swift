import NotifyScheduling
import Testing

@Suite struct TokenBucketTests {
    static let start = Instant(millisecondsSinceEpoch: 50_000)

    @Test func startsFullAndAllowsTheBurst() {
        var bucket = TokenBucket(ratePerSecond: 10, burst: 5, now: Self.start)
        for _ in 0..<5 { #expect(bucket.take(now: Self.start) == .granted) }
        #expect(bucket.take(now: Self.start) == .wait(until: Self.start + .milliseconds(100)))
    }

    @Test func refillsAtTheRateWithMillisecondPrecision() {
        var bucket = TokenBucket(ratePerSecond: 10, burst: 1, now: Self.start)
        #expect(bucket.take(now: Self.start) == .granted)
        #expect(bucket.take(now: Self.start + .milliseconds(99)) == .wait(until: Self.start + .milliseconds(100)))
        #expect(bucket.take(now: Self.start + .milliseconds(100)) == .granted)
        #expect(bucket.take(now: Self.start + .milliseconds(150)) == .wait(until: Self.start + .milliseconds(200)))
    }

    @Test func fractionalRateGivesOneTokenPerTwoSeconds() {
        var bucket = TokenBucket(ratePerSecond: 0.5, burst: 1, now: Self.start)
        #expect(bucket.take(now: Self.start) == .granted)
        var now = Self.start
        for _ in 0..<1_000 {
            #expect(bucket.take(now: now + .milliseconds(1_999)) == .wait(until: now + .seconds(2)))
            now = now + .seconds(2)
            #expect(bucket.take(now: now) == .granted)
        }
    }

    @Test func fractionalRatesDoNotDrift() {
        for rate in [0.1, 0.3, 2.5, 3, 7, 333.3] {
            var bucket = TokenBucket(ratePerSecond: rate, burst: 1, now: Self.start)
            var now = Self.start
            var granted = 0
            // Always wait exactly as told, for a simulated thousand seconds.
            let end = Self.start + .seconds(1_000)
            while now <= end {
                switch bucket.take(now: now) {
                case .granted: granted += 1
                case .wait(let until):
                    #expect(until > now)
                    now = until
                }
            }
            let expected = Int(rate * 1_000) + 1
            #expect(abs(granted - expected) <= 1, "rate \(rate): \(granted) vs \(expected)")
        }
    }

    @Test func neverRefillsAboveTheBurst() {
        var bucket = TokenBucket(ratePerSecond: 100, burst: 3, now: Self.start)
        let later = Self.start + .seconds(86_400 * 365)
        #expect(bucket.availableTokens(now: later) == 3)
        for _ in 0..<3 { #expect(bucket.take(now: later) == .granted) }
        #expect(bucket.take(now: later) == .wait(until: later + .milliseconds(10)))
    }

    @Test func sustainedRateAfterTheBurst() {
        var bucket = TokenBucket(ratePerSecond: 20, burst: 10, now: Self.start)
        var granted = 0
        // Ask every millisecond for 10 seconds.
        for ms in 0..<10_000 {
            if bucket.take(now: Self.start.adding(milliseconds: Int64(ms))) == .granted { granted += 1 }
        }
        // 10 from the burst plus 20/s for 9.999 s (the 200th token arrives at 10 000 ms).
        #expect(granted == 10 + 199)
    }

    @Test func timeGoingBackwardsRefillsNothing() {
        var bucket = TokenBucket(ratePerSecond: 1, burst: 1, now: Self.start)
        #expect(bucket.take(now: Self.start) == .granted)
        #expect(bucket.take(now: Self.start - .seconds(10)) == .wait(until: Self.start + .seconds(1)))
        #expect(bucket.take(now: Self.start + .seconds(1)) == .granted)
    }

    @Test func partialRefillIsKept() {
        var bucket = TokenBucket(ratePerSecond: 0.5, burst: 2, now: Self.start)
        #expect(bucket.take(now: Self.start) == .granted)
        #expect(bucket.take(now: Self.start) == .granted)
        // Many early calls must not lose the partial refill between them.
        for ms in stride(from: 0, to: 2_000, by: 37) {
            #expect(bucket.take(now: Self.start.adding(milliseconds: Int64(ms))) == .wait(until: Self.start + .seconds(2)))
        }
        #expect(bucket.take(now: Self.start + .seconds(2)) == .granted)
    }

    @Test func waitTimeIsTheFirstMillisecondWithAWholeToken() {
        var bucket = TokenBucket(ratePerSecond: 3, burst: 1, now: Self.start)
        #expect(bucket.take(now: Self.start) == .granted)
        // 1/3 s = 333.33 ms: the token is whole at 334 ms, not 333.
        #expect(bucket.take(now: Self.start) == .wait(until: Self.start + .milliseconds(334)))
        #expect(bucket.take(now: Self.start + .milliseconds(333)) == .wait(until: Self.start + .milliseconds(334)))
        #expect(bucket.take(now: Self.start + .milliseconds(334)) == .granted)
    }
}

extension TokenBucketTests {
    @Test func carryNeverYieldsMoreThanTheBurst() {
        for rate in [0.5, 333.3, 1_500, 250_000] {
            var bucket = TokenBucket(ratePerSecond: rate, burst: 4, now: Self.start)
            var now = Self.start
            var generator = SplitMix64(seed: UInt64(rate))
            for _ in 0..<20_000 {
                now = now.adding(milliseconds: Int64.random(in: 0...3_000, using: &generator))
                #expect(bucket.availableTokens(now: now) <= 4)
                var grantedNow = 0
                while bucket.take(now: now) == .granted { grantedNow += 1 }
                #expect(grantedNow <= 4)
            }
        }
    }
}
