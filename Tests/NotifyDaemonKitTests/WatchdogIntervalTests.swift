import Glibc
import Testing
@testable import NotifyDaemonKit

extension ProcessEnvironmentTests {
    @Suite struct WatchdogIntervalTests {
        @Test func parsesIntervalForOwnPid() async {
            await withEnvironment(["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "\(getpid())"]) {
                let notifier = ServiceNotifier()
                #expect(notifier.watchdogInterval == .seconds(2))
                #expect(notifier.watchdogPingInterval == .seconds(1))
            }
        }

        @Test func acceptsIntervalWithoutPid() async {
            await withEnvironment(["WATCHDOG_USEC": "500000", "WATCHDOG_PID": nil]) {
                #expect(ServiceNotifier().watchdogInterval == .milliseconds(500))
            }
        }

        @Test func ignoresWatchdogMeantForAnotherProcess() async {
            await withEnvironment(["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "\(getpid() + 1)"]) {
                #expect(ServiceNotifier().watchdogInterval == nil)
            }
        }

        @Test func unsetOrMalformedMeansDisabled() async {
            await withEnvironment(["WATCHDOG_USEC": nil, "WATCHDOG_PID": nil]) {
                #expect(ServiceNotifier().watchdogInterval == nil)
            }
            await withEnvironment(["WATCHDOG_USEC": "soon", "WATCHDOG_PID": nil]) {
                #expect(ServiceNotifier().watchdogInterval == nil)
            }
        }
    }
}
