import Foundation
import Testing

/// Several processes enqueue at once: every ID is unique and every accepted job is on disk.
@Suite struct ConcurrencyTests {
    @Test func concurrentEnqueuersLoseNothing() async throws {
        let spool = try TemporarySpool()
        let batchProcesses = 6, jobsPerBatch = 1000, singleProcesses = 4, singlesEach = 60
        let jsonLines = (0..<jobsPerBatch).map { #"{"channel":"inbox","to":"user\#($0)","body":"hello \#($0)"}"# }.joined(separator: "\n")

        let ids = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<batchProcesses {
                group.addTask {
                    let result = try spool.run("notify-enqueue", ["--jobs", "-"], stdin: jsonLines)
                    #expect(result.status == 0, "\(result.stderr)")
                    return result.lines
                }
            }
            for process in 0..<singleProcesses {
                group.addTask {
                    var ids: [String] = []
                    for index in 0..<singlesEach {
                        let result = try spool.run("notify-enqueue", ["--channel", "sms", "--to", "+14155550123", "--body", "p\(process) n\(index)"])
                        #expect(result.status == 0, "\(result.stderr)")
                        ids += result.lines
                    }
                    return ids
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let expected = batchProcesses * jobsPerBatch + singleProcesses * singlesEach
        #expect(ids.count == expected)
        #expect(Set(ids).count == expected)
        #expect(Set(spool.files("incoming")) == Set(ids))
        #expect(spool.files("tmp").isEmpty)
    }

    /// N processes race with one idempotency key: exactly one job, and every process
    /// prints its ID.
    @Test func idempotencyRaceMakesOneJob() async throws {
        let spool = try TemporarySpool()
        for round in 0..<5 {
            let key = "race-\(round)"
            let outputs = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        let result = try spool.run("notify-enqueue", ["--channel", "sms", "--to", "+14155550123", "--body", "otp", "--idempotency-key", key])
                        #expect(result.status == 0, "\(result.stderr)")
                        return result.stdout
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(outputs).count == 1, "\(outputs)")
        }
        #expect(spool.files("incoming").count == 5)
        #expect(spool.files("tmp").isEmpty)
    }
}
