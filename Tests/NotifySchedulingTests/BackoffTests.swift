import NotifyScheduling
import Testing

@Suite struct BackoffTests {
    static var seedsWithoutJitter: RetryPolicy {
        var policy = RetryPolicy.seeds
        policy.jitter = .none
        return policy
    }

    @Test func seedsPresetIsTheSeedApplicationsPolicy() {
        let seeds = RetryPolicy.seeds
        #expect(seeds.maxAttempts == 3)
        #expect(seeds.baseDelay == .seconds(1))
        #expect(seeds.multiplier == 2)
        #expect(seeds.maxDelay == .seconds(8))
        #expect(seeds.jitter != .none)
    }

    @Test func emailPresetFollowsPostfixDefaults() {
        let email = RetryPolicy.email
        #expect(email.maxLifetime == .seconds(5 * 86_400))
        #expect(email.baseDelay == .seconds(300))
        #expect(email.maxDelay == .seconds(4_000))
        #expect(email.maxAttempts == .max)
    }

    @Test func seedsCurveIsExactlyOneTwoFourSeconds() {
        let policy = Self.seedsWithoutJitter
        let curve = (1...4).map { policy.backoff(afterAttempt: $0) }
        #expect(curve == [.seconds(1), .seconds(2), .seconds(4), .seconds(8)])
        var generator = SplitMix64(seed: 1)
        let delays = (1...3).map {
            policy.delay(afterAttempt: $0, previousDelay: nil, using: &generator)
        }
        #expect(delays == [.seconds(1), .seconds(2), .seconds(4)])
    }

    @Test func curveIsCappedAtMaxDelayEvenForHugeAttemptNumbers() {
        let email = RetryPolicy.email
        let curve = (1...6).map { email.backoff(afterAttempt: $0).wholeMilliseconds / 1000 }
        #expect(curve == [300, 600, 1_200, 2_400, 4_000, 4_000])
        #expect(email.backoff(afterAttempt: 1_000_000) == .seconds(4_000))
        #expect(email.backoff(afterAttempt: .max) == .seconds(4_000))
    }

    @Test func fractionalMultiplierRoundsToMilliseconds() {
        let policy = RetryPolicy(
            maxAttempts: 10, baseDelay: .milliseconds(100), multiplier: 1.5,
            maxDelay: .seconds(60), maxLifetime: .seconds(3_600), jitter: .none)
        let curve = (1...4).map { policy.backoff(afterAttempt: $0).wholeMilliseconds }
        #expect(curve == [100, 150, 225, 338])
    }

    @Test func constantMultiplierKeepsTheBaseDelay() {
        let policy = RetryPolicy(
            maxAttempts: .max, baseDelay: .seconds(30), multiplier: 1,
            maxDelay: .seconds(60), maxLifetime: .seconds(3_600), jitter: .none)
        #expect(policy.backoff(afterAttempt: 1) == .seconds(30))
        #expect(policy.backoff(afterAttempt: .max) == .seconds(30))
    }
}
