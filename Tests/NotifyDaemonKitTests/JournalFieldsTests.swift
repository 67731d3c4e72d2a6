import Logging
import Testing
@testable import NotifyDaemonKit

@Suite struct JournalFieldsTests {
    @Test(arguments: [
        ("job_id", "JOB_ID"),
        ("channel", "CHANNEL"),
        ("http.status", "HTTP_STATUS"),
        ("Retry-After", "RETRY_AFTER"),
        ("_private", "PRIVATE"),
        ("__x", "X"),
        ("2fa", "X_2FA"),
        ("_9lives", "X_9LIVES"),
        ("émoji key", "MOJI_KEY"),
        ("message", "META_MESSAGE"),
        ("priority", "META_PRIORITY"),
        ("message_id", "MESSAGE_ID"),
    ])
    func mapsMetadataKeysToFieldNames(key: String, expected: String) {
        #expect(JournalFields.fieldName(forMetadataKey: key) == expected)
    }

    @Test func keysWithoutLettersOrDigitsAreDropped() {
        #expect(JournalFields.fieldName(forMetadataKey: "") == nil)
        #expect(JournalFields.fieldName(forMetadataKey: "_.-") == nil)
    }

    @Test func namesAreAtMost64Characters() {
        let name = JournalFields.fieldName(forMetadataKey: String(repeating: "k", count: 100))
        #expect(name == String(repeating: "K", count: 64))
    }

    @Test func mapsLevelsToSyslogPriorities() {
        let priorities = Logger.Level.allCases.map(JournalFields.priority(for:))
        #expect(priorities == [7, 7, 6, 5, 4, 3, 2])
    }

    @Test func buildsRecordWithStandardFieldsThenSortedMetadata() {
        let fields = JournalFields.record(
            program: "notify-deliver", level: .warning, message: "delivery deferred",
            metadata: ["job_id": "j-42", "channel": "email", "attempt": .stringConvertible(3)],
            file: "NotifyDeliver/Worker.swift", function: "deliver(_:)", line: 57
        )
        #expect(fields == [
            "MESSAGE=delivery deferred",
            "PRIORITY=4",
            "SYSLOG_IDENTIFIER=notify-deliver",
            "CODE_FILE=NotifyDeliver/Worker.swift",
            "CODE_LINE=57",
            "CODE_FUNC=deliver(_:)",
            "ATTEMPT=3",
            "CHANNEL=email",
            "JOB_ID=j-42",
        ])
    }
}
