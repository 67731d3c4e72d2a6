import Foundation
import NotifyCore
import NotifySpool
import Testing

/// The retention sweep compacts a history into its day's archive before removing it, and
/// removes archives older than history_archive_retention.
@Suite struct HistoryArchiveTests {
    @Test func oldHistoryIsCompactedIntoItsDailyFileThenPruned() throws {
        let spool = try TemporarySpool()
        let store = try Spool.open(spool.spool)
        let now = WallClock.nowMilliseconds()
        var made = JobIDGenerator()
        let lastEvent = now - 3 * 3_600_000
        let job = Job(id: made.next(milliseconds: lastEvent - 1000), created: lastEvent - 1000, channel: .sms, to: ["+14155550123"], body: "b",
                      submitter: Submitter(uid: getuid(), pid: getpid(), program: "test"))
        let id = try store.submit(job, idempotencyWindow: .seconds(60)).id
        #expect(try store.move(JobMove(id, from: .incoming, to: .done)))
        try store.appendHistory(id, [HistoryEvent(.attempt, at: lastEvent - 10, attempt: 1, result: "delivered", provider: "outbox"),
                                     HistoryEvent(.final, at: lastEvent, result: "delivered", reason: "ok")])
        let old = Date(timeIntervalSince1970: Double(lastEvent) / 1000)
        for path in ["/done/\(id.bucket)/\(id.text)", "/history/\(id.bucket)/\(id.text)"] {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: spool.spool + path)
        }
        let report = store.sweep(bucket: id.bucket, now: now, idempotencyWindow: .seconds(3600), retention: .seconds(7200),
                                 archiveRetention: .seconds(90 * 86400))
        #expect(report.jobs == 1)
        #expect(store.locate(id) == nil && store.history(of: id).events.isEmpty)
        let archive = spool.spool + "/history/" + HistoryArchive.fileName(forDayOf: lastEvent)
        let lines = try String(contentsOfFile: archive, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            #expect(object["id"] as? String == id.text && object["v"] as? Int == 1)
        }
        #expect(lines.last?.contains("\"event\":\"final\"") == true)
        // The job's fate stays visible: notifyctl show finds it in the archive.
        let show = try spool.run("notifyctl", ["show", id.text])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("state:       archived  (history/\(HistoryArchive.fileName(forDayOf: lastEvent))"))
        #expect(show.stdout.contains("attempts:    1  (delivered)"))
        #expect(show.stdout.contains(" final delivered: ok"))
        let json = try spool.run("notifyctl", ["show", "--json", id.text])
        let detail = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect(detail["state"] as? String == "archived" && detail["outcome"] as? String == "delivered")
        #expect((detail["history"] as? [[String: Any]])?.count == 2)
        var other = JobIDGenerator()
        let unknown = try spool.run("notifyctl", ["show", other.next(milliseconds: lastEvent).text])
        #expect(unknown.status != 0 && unknown.stderr.contains("no such job"))
        // 91 days later the daily file goes too (in bucket 0's step).
        let later = store.sweep(bucket: "0", now: now + 91 * 86_400_000, idempotencyWindow: .seconds(3600), retention: .seconds(7200),
                                archiveRetention: .seconds(90 * 86400))
        #expect(later.archives == 1 && access(archive, F_OK) != 0)
    }
}
