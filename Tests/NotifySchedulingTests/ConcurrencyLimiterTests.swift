import NotifyScheduling
import Testing

@Suite struct ConcurrencyLimiterTests {
    @Test func capsEachKeySeparately() {
        var limiter = ConcurrencyLimiter<String>(defaultLimit: 2, limits: ["sms": 1])
        #expect(limiter.tryAcquire("email") == true)
        #expect(limiter.tryAcquire("email") == true)
        #expect(limiter.tryAcquire("email") == false)
        #expect(limiter.tryAcquire("sms") == true)
        #expect(limiter.tryAcquire("sms") == false)
        #expect(limiter.inFlight("email") == 2)
        #expect(limiter.release("email") == true)
        #expect(limiter.tryAcquire("email") == true)
        #expect(limiter.limit(for: "push") == 2)
    }

    @Test func releaseWithoutAcquireChangesNothing() {
        var limiter = ConcurrencyLimiter<String>(defaultLimit: 1)
        #expect(limiter.release("webhook") == false)
        #expect(limiter.inFlight("webhook") == 0)
        #expect(limiter.tryAcquire("webhook") == true)
        #expect(limiter.tryAcquire("webhook") == false)
    }

    @Test func zeroLimitPausesAKey() {
        var limiter = ConcurrencyLimiter<Int>(defaultLimit: 4, limits: [7: 0])
        #expect(limiter.tryAcquire(7) == false)
        limiter.limits[7] = nil
        #expect(limiter.tryAcquire(7) == true)
    }

    @Test func randomisedUseNeverExceedsTheCap() {
        var generator = SplitMix64(seed: 8)
        var limiter = ConcurrencyLimiter<Int>(defaultLimit: 3)
        var held = [0, 0, 0, 0]
        for _ in 0..<20_000 {
            let key = Int.random(in: 0..<4, using: &generator)
            if Bool.random(using: &generator) {
                let acquired = limiter.tryAcquire(key)
                #expect(acquired == (held[key] < 3))
                if acquired { held[key] += 1 }
            } else {
                #expect(limiter.release(key) == (held[key] > 0))
                held[key] = max(0, held[key] - 1)
            }
            #expect(limiter.inFlight(key) == held[key])
        }
    }
}
