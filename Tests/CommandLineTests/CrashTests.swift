import Foundation
import NotifyCore
import NotifySpool
import Testing

/// kill -9 of notifyd and of its agents at random moments while thousands of jobs flow:
/// afterwards every job is in exactly one final state, and none is missing.
@Suite(.serialized) struct CrashTests {
    static let config = """
        sms_agent = notify-test-agent
        sms_backoff_base = 50ms
        sms_backoff_max = 200ms
        sms_jitter = none
        sms_max_attempts = 6
        breaker_failure_threshold = 100000
        stale_temporary_age = 1s
        """

    @Test func killNineLosesNoJob() throws {
        let daemon = try RunningDaemon(config: Self.config)
        var generator = JobIDGenerator()
        var random = SystemRandomNumberGenerator()
        let outcomes = ["deliver", "deliver", "deliver", "deliver", "deliver", "deliver", "temporary:1", "temporary:2", "permanent", "slow:20"]
        var ids: [JobID] = []
        let chunks = 8, perChunk = 400
        for chunk in 0..<chunks {
            var rows: [[Job]] = []
            for index in 0..<perChunk {
                let now = WallClock.nowMilliseconds()
                // A few jobs kill their agent mid-delivery, once.
                let outcome = index == 7 ? "crash:1" : outcomes.randomElement(using: &random)!
                let job = Job(id: generator.next(milliseconds: now), created: now, channel: .sms, to: ["+14155550123"],
                              body: "job \(chunk).\(index)", meta: ["test_outcome": outcome],
                              submitter: Submitter(uid: getuid(), pid: getpid(), program: "crash-test"))
                rows.append([job])
                ids.append(job.id)
            }
            for result in daemon.store.submit(rows: rows, idempotencyWindow: .seconds(60)) { _ = try result.get() }
            usleep(UInt32.random(in: 20_000...250_000, using: &random))
            if chunk % 2 == 0 {
                daemon.kill9()
                usleep(UInt32.random(in: 0...50_000, using: &random))
                try daemon.start()
            } else if let agent = daemon.agentPIDs.randomElement(using: &random) {
                kill(agent, SIGKILL)
            }
            usleep(UInt32.random(in: 0...150_000, using: &random))
        }
        let settled = waitFor(90) {
            var pending = 0
            try? daemon.store.scan([.incoming, .active, .deferred, .hold]) { _ in pending += 1 }
            return pending == 0
        }
        #expect(settled, "jobs still queued; log:\n\(daemon.log.suffix(2000))")
        daemon.stop()

        var finals: [String: Int] = [:]
        for id in ids {
            let states = JobState.allCases.filter { access(daemon.spool.spool + "/" + $0.relativePath(of: id), F_OK) == 0 }
            #expect(states.count == 1, "\(id) is in \(states)")
            guard let state = states.first else { continue }
            #expect(state == .done || state == .dead, "\(id) ended in \(state)")
            let outcome = daemon.history(id).outcome ?? "none"
            #expect(state == .done ? outcome == "delivered" : ["failed", "expired"].contains(outcome), "\(id): \(state) \(outcome)")
            finals[outcome, default: 0] += 1
        }
        #expect(finals.values.reduce(0, +) == chunks * perChunk)
        #expect((finals["delivered"] ?? 0) > chunks * perChunk / 2)
    }
}
