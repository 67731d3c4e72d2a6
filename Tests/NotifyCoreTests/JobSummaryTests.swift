import Testing
@testable import NotifyCore

/// The queue manager's quick read of a job file must agree with the full decoder on every
/// file, and report the same errors.
@Suite struct JobSummaryTests {
    private func job(to: [String] = ["+14155550123"], notBefore: Int64? = nil, expires: Int64? = nil,
                     meta: [String: String] = ["nested": "{\"to\":[\"x\"]}", "channel": "sms"]) -> Job {
        var made = JobIDGenerator()
        let created: Int64 = 1_795_278_768_314
        return Job(
            id: made.next(milliseconds: created), created: created, channel: .email, to: to,
            subject: "Quote \" and \\ and\nnewline", body: "{\"not\": [\"a field\"]}\t", html: "<p>é</p>",
            template: "welcome", priority: .bulk, notBefore: notBefore, expires: expires, idempotencyKey: "k#1",
            meta: meta, submitter: Submitter(uid: 7, pid: 9, program: "t"), batch: "b1")
    }

    @Test func quickReadAgreesWithTheFullDecoder() throws {
        for candidate in [job(), job(to: ["a@example.com", "b@example.com"], notBefore: 1_795_278_800_000, expires: 1_795_300_000_000)] {
            let bytes = JobFileFormat.encode(candidate)
            #expect(try JobSummary.decode(bytes) == JobSummary(candidate))
        }
    }

    @Test func eventTypeIsReadFromMeta() throws {
        for meta in [["type": "marketing", "a": "{\"type\":\"x\"}"], ["type": "quote\"d"], [:], ["other": "type"]] {
            let candidate = job(meta: meta)
            let summary = try JobSummary.decode(JobFileFormat.encode(candidate))
            #expect(summary == JobSummary(candidate))
            #expect(summary.eventType == meta["type"])
        }
    }

    @Test func escapedRecipientFallsBackToTheFullDecoder() throws {
        let candidate = job(to: ["name\"quoted@example.com"])
        #expect(try JobSummary.decode(JobFileFormat.encode(candidate)).to == candidate.to)
    }

    @Test func otherVersionsAndDamageAreReportedAsBefore() {
        var text = String(decoding: JobFileFormat.encode(job()), as: UTF8.self)
        text = text.replacing(#""version":"1.0""#, with: #""version":"2.0""#)
        #expect(throws: JobFileFormat.DecodeError.unsupportedVersion("2.0")) { try JobSummary.decode(Array(text.utf8)) }
        #expect(throws: JobFileFormat.DecodeError.self) { try JobSummary.decode(Array("{\"format\":\"notifyd-job\"".utf8)) }
    }

    /// Found by the jobfile fuzz target (Fuzz/): with a key given twice the quick pass took
    /// the last value and the full decoder another, so notifyd could schedule a job on one
    /// channel that its agent then read as another.
    @Test func aFieldGivenTwiceIsReadAsTheFullDecoderReadsIt() throws {
        var made = JobIDGenerator()
        let second = made.next(milliseconds: 1_795_278_768_315)
        var text = String(decoding: JobFileFormat.encode(job()), as: UTF8.self)
        text = text.replacing(#""channel":"email""#, with: #""channel":"email","id":"\#(second.text)","channel":"push""#)
        let bytes = Array(text.utf8)
        let full = try? JobFileFormat.decode(bytes)
        let quick = try? JobSummary.decode(bytes)
        #expect(quick == full.map(JobSummary.init))
    }
}
