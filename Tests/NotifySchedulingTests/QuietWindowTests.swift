import NotifyScheduling
import Testing

@Suite struct QuietWindowTests {
    @Test func windowWrappingMidnightDefersToItsEnd() throws {
        let window = try #require(QuietWindow(start: "22:00", end: "07:00"))
        #expect(window.remainingSeconds(atLocalSecond: 23 * 3600) == 8 * 3600)
        #expect(window.remainingSeconds(atLocalSecond: 6 * 3600 + 59 * 60) == 60)
        #expect(window.remainingSeconds(atLocalSecond: 7 * 3600) == nil)
        #expect(window.remainingSeconds(atLocalSecond: 12 * 3600) == nil)
        #expect(window.remainingSeconds(atLocalSecond: 22 * 3600) == 9 * 3600)
    }

    @Test func dayWindowAndEmptyWindow() throws {
        let day = try #require(QuietWindow(start: "09:30", end: "17:00"))
        #expect(day.remainingSeconds(atLocalSecond: 9 * 3600 + 30 * 60) == 7 * 3600 + 30 * 60)
        #expect(day.remainingSeconds(atLocalSecond: 17 * 3600) == nil)
        let empty = try #require(QuietWindow(start: "08:00", end: "08:00"))
        #expect(empty.remainingSeconds(atLocalSecond: 8 * 3600) == nil)
    }

    @Test func malformedTimesAreRejected() {
        #expect(QuietWindow(start: "24:00", end: "07:00") == nil)
        #expect(QuietWindow(start: "7:00", end: "08:00") == nil)
        #expect(QuietWindow(start: "07:60", end: "08:00") == nil)
    }
}
