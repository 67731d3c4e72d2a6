import Foundation
import NotifyCore
import Testing

/// What notifyd and its agents log about one job (journal fields under systemd; the same
/// metadata as key=value on stderr here): quiet at info except dead letters, and every
/// attempt and final job with NOTIFYD_LOG_LEVEL=debug, with job_id, channel, provider,
/// outcome and message_id (JOB_ID, CHANNEL, PROVIDER, OUTCOME, MESSAGE_ID in the journal).
@Suite struct JobLogTests {
    static func lines(of daemon: RunningDaemon, about id: JobID) -> [String] {
        daemon.log.split(separator: "\n").map(String.init).filter { $0.contains("job_id=\(id.text)") }
    }

    @Test func atInfoOnlyDeadLettersAreLogged() throws {
        let daemon = try RunningDaemon()
        let delivered = try daemon.sms()
        let failed = try daemon.sms("permanent")
        #expect(daemon.wait(delivered, reaches: .done))
        #expect(daemon.wait(failed, reaches: .dead))
        daemon.stop()
        #expect(Self.lines(of: daemon, about: delivered).isEmpty, "\(daemon.log)")
        let dead = Self.lines(of: daemon, about: failed)
        #expect(dead.count == 1, "\(daemon.log)")
        for field in ["notifyd[", ": notice: job dead-lettered", "channel=sms", "outcome=failed",
                      "message_id=fd19d1a576d14762a1124ef392a9e697", "provider="] {
            #expect(dead.first?.contains(field) == true, "\(field) in \(dead)")
        }
    }

    @Test func atDebugEveryAttemptAndFinalJobIsLogged() throws {
        let daemon = try RunningDaemon()
        daemon.stop()
        daemon.extraEnvironment["NOTIFYD_LOG_LEVEL"] = "debug"
        try daemon.start()
        let id = try daemon.sms()
        #expect(daemon.wait(id, reaches: .done))
        daemon.stop()
        let lines = Self.lines(of: daemon, about: id)
        let attempt = lines.first { $0.contains("attempt answered") }
        let finished = lines.first { $0.contains("job finished") }
        for field in ["notify-test-agent[", "channel=sms", "outcome=delivered", "attempt=1",
                      "message_id=bce895f1294e4a73a3356df885ad703f", "provider="] {
            #expect(attempt?.contains(field) == true, "\(field) in \(lines)")
        }
        for field in ["notifyd[", "channel=sms", "outcome=delivered", "message_id=eef20d30ca604eeb82d7011421d8202a"] {
            #expect(finished?.contains(field) == true, "\(field) in \(lines)")
        }
    }
}
