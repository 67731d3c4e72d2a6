import Testing
@testable import NotifyDaemonKit

@Suite struct LogDestinationTests {
    @Test func journalWhenJournalStreamMatchesStderr() {
        #expect(LogDestination.detect(journalStream: "8:12345", stderrDevice: 8, stderrInode: 12345) == .journal)
    }

    @Test func stderrWhenJournalStreamIsAbsentOrStale() {
        #expect(LogDestination.detect(journalStream: nil, stderrDevice: 8, stderrInode: 12345) == .stderr)
        #expect(LogDestination.detect(journalStream: "8:999", stderrDevice: 8, stderrInode: 12345) == .stderr)
        #expect(LogDestination.detect(journalStream: "8:12345", stderrDevice: nil, stderrInode: nil) == .stderr)
    }

    @Test func stderrWhenJournalStreamIsMalformed() {
        for value in ["", "8", "8:", ":12345", "a:b", "8:12345:1"] {
            #expect(LogDestination.detect(journalStream: value, stderrDevice: 8, stderrInode: 12345) == .stderr)
        }
    }
}
