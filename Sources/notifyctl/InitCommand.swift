import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import NotifyArguments
import NotifyCLI
import NotifyCore
import NotifySpool

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create or repair the spool with the documented owners and modes.")

    @OptionGroup var spool: SpoolOptions
    @Flag(help: "Give every role to the invoking user (development, demo).")
    var `private` = false
    @Option(name: .customLong("daemon-user"), help: "The account that owns the spool (default: daemon_user).")
    var daemonUser: String?
    @Option(name: .customLong("daemon-group"), help: "The daemon's group (default: daemon_group).")
    var daemonGroup: String?
    @Option(name: .customLong("submit-group"), help: "The group allowed to submit (default: submit_group).")
    var submitGroup: String?

    func run() throws {
        try reportingFailures(program: "notifyctl init") {
            let settings = try spool.settings()
            let owners: SpoolOwners
            if `private` || getuid() != 0 && daemonUser == nil {
                owners = .invokingUser
            } else {
                owners = SpoolOwners(
                    daemonUID: try lookupUser(daemonUser ?? settings.daemonUser),
                    daemonGID: try lookupGroup(daemonGroup ?? settings.daemonGroup),
                    submitGID: try lookupGroup(submitGroup ?? settings.submitGroup))
            }
            let report = try SpoolInitializer.initialize(root: settings.spoolDirectory, owners: owners)
            print("\(settings.spoolDirectory): \(report.created) directories created, \(report.repaired) repaired")
        }
    }
}

func lookupUser(_ name: String) throws -> UInt32 {
    if let uid = UInt32(name) { return uid }
    guard let entry = getpwnam(name) else {
        throw CommandFailure("no such user: \(name) (create it with systemd-sysusers, or use --private)", code: .noUser)
    }
    return entry.pointee.pw_uid
}

func lookupGroup(_ name: String) throws -> UInt32 {
    if let gid = UInt32(name) { return gid }
    guard let entry = getgrnam(name) else {
        throw CommandFailure("no such group: \(name) (create it with systemd-sysusers, or use --private)", code: .noUser)
    }
    return entry.pointee.gr_gid
}
