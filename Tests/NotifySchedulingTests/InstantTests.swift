import NotifyScheduling
import Testing

@Suite struct InstantTests {
    @Test func arithmeticIsInWholeMilliseconds() {
        let start = Instant(millisecondsSinceEpoch: 1_000)
        #expect((start + .seconds(2)).millisecondsSinceEpoch == 3_000)
        #expect((start - .milliseconds(250)).millisecondsSinceEpoch == 750)
        #expect((start + .microseconds(1_999)).millisecondsSinceEpoch == 1_001)
        #expect(Instant(millisecondsSinceEpoch: 5_500) - start == .milliseconds(4_500))
        #expect(start - Instant(millisecondsSinceEpoch: 5_500) == .milliseconds(-4_500))
        var moving = start
        moving += .seconds(1)
        moving -= .milliseconds(1)
        #expect(moving.millisecondsSinceEpoch == 1_999)
        #expect(start < moving)
    }

    @Test func arithmeticSaturates() {
        let late = Instant(millisecondsSinceEpoch: .max - 10)
        #expect((late + .seconds(1)).millisecondsSinceEpoch == .max)
        let early = Instant(millisecondsSinceEpoch: .min + 10)
        #expect((early - .seconds(1)).millisecondsSinceEpoch == .min)
        #expect(Duration.seconds(Int64.max).wholeMilliseconds == .max)
    }

    @Test func durationConversionTruncatesTowardZero() {
        #expect(Duration.seconds(3).wholeMilliseconds == 3_000)
        #expect(Duration.milliseconds(1_234).wholeMilliseconds == 1_234)
        #expect(Duration.nanoseconds(999_999).wholeMilliseconds == 0)
        #expect(Duration.milliseconds(-1_500).wholeMilliseconds == -1_500)
    }
}
