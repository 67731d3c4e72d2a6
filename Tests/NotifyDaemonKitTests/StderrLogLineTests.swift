import Logging
import Testing
@testable import NotifyDaemonKit

@Suite struct StderrLogLineTests {
    @Test func formatsProgramPidLevelMessageAndSortedMetadata() {
        let line = StderrLogLine.format(
            program: "notify-deliver", pid: 4242, level: .info, message: "job delivered",
            metadata: ["job_id": "j-42", "channel": "email"]
        )
        #expect(line == "notify-deliver[4242]: info: job delivered channel=email job_id=j-42")
    }

    @Test func withoutMetadataThereIsNoTrailingSpace() {
        let line = StderrLogLine.format(program: "notifyd", pid: 1, level: .warning, message: "spool full", metadata: [:])
        #expect(line == "notifyd[1]: warning: spool full")
    }

    @Test func quotesValuesWithSpacesAndEscapesQuotes() {
        let line = StderrLogLine.format(
            program: "p", pid: 7, level: .error, message: "send failed",
            metadata: ["reason": "connection refused", "body": "say \"hi\"", "empty": ""]
        )
        #expect(line == #"p[7]: error: send failed body="say \"hi\"" empty="" reason="connection refused""#)
    }

    @Test func recordStaysOnOneLine() {
        let line = StderrLogLine.format(
            program: "p", pid: 7, level: .debug, message: "two\nlines",
            metadata: ["detail": "a\nb"]
        )
        #expect(line == #"p[7]: debug: two\nlines detail="a\nb""#)
        #expect(!line.contains("\n"))
    }

    @Test func rendersNonStringMetadata() {
        let line = StderrLogLine.format(
            program: "p", pid: 7, level: .notice, message: "m",
            metadata: ["attempt": .stringConvertible(3), "tags": ["a", "b"]]
        )
        #expect(line == #"p[7]: notice: m attempt=3 tags="[\"a\", \"b\"]""#)
    }
}
