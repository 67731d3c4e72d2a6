import NotifyArguments
import ArgumentParser
import NotifyCLI
import NotifyCore
import NotifySpool
#if canImport(Glibc)
import Glibc
#endif

/// `notifyctl prefs`: a recipient's opt-outs and quiet hours (prefs/ in the spool).
struct PrefsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prefs", abstract: "Show or set a recipient's preferences.", subcommands: [Show.self, Set.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a recipient's preferences as JSON.")
        @OptionGroup var spool: SpoolOptions
        @Argument(help: "The recipient, exactly as in jobs' `to`.")
        var recipient: String

        func run() throws {
            try reportingFailures(program: "notifyctl prefs show") {
                let store = try Spool.open(try spool.settings().spoolDirectory)
                guard let preferences = store.preferences(of: recipient) else {
                    throw CommandFailure("\(recipient): no preferences", code: .dataError)
                }
                print(encodeJSONLine(preferences))
            }
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Replace a recipient's preferences.")
        @OptionGroup var spool: SpoolOptions
        @Option(name: .customLong("opt-out"), help: "A channel the recipient opted out of; repeatable.")
        var optOut: [String] = []
        @Option(help: "Quiet hours, local time: HH:MM-HH:MM, e.g. 22:00-07:00.")
        var quiet: String?
        @Option(name: .customLong("time-zone"), help: "The recipient's IANA time zone, e.g. Europe/Berlin (default UTC).")
        var timeZone = "UTC"
        @Flag(name: .customLong("allow-high"), help: "High-priority jobs may pass during quiet hours.")
        var allowHigh = false
        @Argument(help: "The recipient, exactly as in jobs' `to`.")
        var recipient: String

        func run() throws {
            try reportingFailures(program: "notifyctl prefs set") {
                let store = try Spool.open(try spool.settings().spoolDirectory)
                var channels: [Channel] = []
                for name in optOut { channels.append(try Channel.parse(name, field: "opt-out")) }
                var hours: RecipientPreferences.QuietHours?
                if let quiet {
                    let parts = quiet.split(separator: "-").map(String.init)
                    guard parts.count == 2, parts.allSatisfy({ $0.count == 5 && $0.dropFirst(2).first == ":" }),
                          let h1 = Int(parts[0].prefix(2)), let m1 = Int(parts[0].suffix(2)), h1 < 24, m1 < 60,
                          let h2 = Int(parts[1].prefix(2)), let m2 = Int(parts[1].suffix(2)), h2 < 24, m2 < 60 else {
                        throw FieldError("quiet", "expected HH:MM-HH:MM, e.g. 22:00-07:00")
                    }
                    guard timeZone == "UTC" || zoneExists(timeZone) else {
                        throw FieldError("time-zone", "unknown time zone \"\(timeZone)\" (no /usr/share/zoneinfo/\(timeZone))")
                    }
                    hours = .init(start: parts[0], end: parts[1], timeZone: timeZone, allowHigh: allowHigh)
                }
                do throws(PreferencesError) {
                    try store.setPreferences(RecipientPreferences(recipient: recipient, optOut: channels, quietHours: hours))
                } catch {
                    switch error {
                    case .recipientTooLong: throw FieldError("recipient", "longer than 120 bytes")
                    case .io(let error): throw error
                    }
                }
            }
        }

        private func zoneExists(_ name: String) -> Bool {
            !name.contains("..") && !name.hasPrefix("/") && access("/usr/share/zoneinfo/" + name, R_OK) == 0
        }
    }
}

