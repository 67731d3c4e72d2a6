import ArgumentParser
import NotifyArguments
import NotifyCLI
import NotifyCore
import NotifySpool
import NotifyStats

/// `notifyctl check`: a Nagios/Icinga-style check. One line on stdout, exit 0 OK,
/// 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the spool or configuration cannot be read), against
/// the `alert_*` thresholds of the configuration (AlertCheck).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check queue length, oldest age, success and error rates; exit 0/1/2 (OK/WARNING/CRITICAL).")

    @OptionGroup var spool: SpoolOptions

    func run() throws {
        let result: AlertCheck
        do {
            let settings = try spool.settings()
            let store = try Spool.open(settings.spoolDirectory)
            let queue = try QueueShape.read(store)
            let stats = settings.stats
            let thresholds = AlertCheck.Thresholds(
                queueLength: stats.alertQueueLength, successRate: Double(stats.alertSuccessRate), errorRate: Double(stats.alertErrorRate),
                oldestAge: stats.alertOldestAge.components.seconds * 1000)
            result = AlertCheck.evaluate(store.statsSnapshot(), queue: queue, thresholds: thresholds)
        } catch {
            print("NOTIFYD UNKNOWN - \(CommandFailure(error).message)")
            throw ArgumentParser.ExitCode(AlertCheck.Status.unknown.rawValue)
        }
        print(result.summary)
        if result.status != .ok { throw ArgumentParser.ExitCode(result.status.rawValue) }
    }
}
