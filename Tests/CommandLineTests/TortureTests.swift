import Foundation
import NotifyCore
import NotifySpool
import Testing

/// Torture: kill -9 of notifyd, its real email and webhook agents (and notify-statsd once
/// built) every few hundred milliseconds while jobs flow from notify-enqueue to real sinks
/// on loopback (TortureRig). After draining: every accepted job is in exactly one final
/// state, the sink received every delivered job, duplicates stay within kills × the
/// concurrency window and carry their job's idempotency key.
///
/// CI runs the short version (2,000 jobs, 30 kills). The long one is bench/torture
/// (`--jobs 50000 --kills 100`), which runs this test with TORTURE_JOBS and TORTURE_KILLS.
@Suite(.serialized) struct TortureTests {
    static let environment = ProcessInfo.processInfo.environment
    static let jobs = Int(environment["TORTURE_JOBS"] ?? "") ?? 2000
    static let kills = Int(environment["TORTURE_KILLS"] ?? "") ?? 30

    @Test func killNineWhileJobsFlowLosesNoJob() throws {
        let rig = try TortureRig()
        var random = SystemRandomNumberGenerator()
        let perRound = (Self.jobs + Self.kills - 1) / Self.kills
        let started = Date()
        while rig.totalKills < Self.kills {
            let remaining = Self.jobs - rig.accepted.count
            if remaining > 0 {
                let result = try rig.enqueue(min(perRound, remaining))
                #expect(result.status == 0, "notify-enqueue: \(result.stderr)")
            }
            usleep(UInt32.random(in: 100_000...400_000, using: &random))
            try rig.killRandomVictim(using: &random)
        }
        let killing = Date().timeIntervalSince(started)
        let drained = rig.drained(within: 120 + Double(Self.jobs) / 50)
        #expect(drained, "jobs still queued; log:\n\(rig.daemon.log.suffix(3000))")
        let drainTime = Date().timeIntervalSince(started) - killing
        rig.daemon.stop()

        let verdict = rig.verdict()
        let byVictim = rig.kills.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("torture crash: \(verdict.jobs) jobs, \(verdict.kills) kills (\(byVictim)) in \(String(format: "%.1f", killing)) s, "
              + "drained \(String(format: "%.1f", drainTime)) s later; delivered \(verdict.delivered), dead \(verdict.dead), "
              + "lost \(verdict.lost), duplicates \(verdict.duplicates) (bound \(verdict.kills * 2 * TortureRig.window))")
        #expect(verdict.jobs == Self.jobs)
        #expect(verdict.lost == 0)
        #expect(verdict.delivered == verdict.jobs, "every sink accepts, so every job ends delivered")
        #expect(verdict.failures.isEmpty, "\(verdict.failures.prefix(20).joined(separator: "\n"))")
    }
}
