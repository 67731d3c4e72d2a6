import Logging
import Testing
@testable import NotifyDaemonKit

@Suite struct JournalLogHandlerTests {
    @Test func defaultsToInfoAndKeepsMetadataAsValue() {
        var handler = JournalLogHandler(program: "p", destination: .stderr)
        #expect(handler.logLevel == .info)
        let copy = handler
        handler[metadataKey: "job_id"] = "j-1"
        #expect(handler.metadata == ["job_id": "j-1"])
        #expect(copy.metadata.isEmpty)
    }

    /// Without journald the record is dropped, but building the iovec array must work.
    @Test func journalSendDoesNotFail() {
        let result = JournalLogHandler.sendToJournal(["MESSAGE=test record", "PRIORITY=7", "SYSLOG_IDENTIFIER=notifyd-test"])
        #expect(result >= 0 || result == -2 /* ENOENT: no journal socket */)
    }
}
