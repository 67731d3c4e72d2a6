import ArgumentParser
import NotifyArguments
import NotifyCLI
import NotifyCore
import NotifySpool

/// `notifyctl layout`: the spool's directories with owners and modes, as spool-layout.md
/// lists them, or as a tmpfiles.d(5) file (which is how systemd/notifyd.tmpfiles is made).
struct LayoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layout", abstract: "Print the spool's directories, owners and modes.")

    @OptionGroup var spool: SpoolOptions
    @Flag(help: "Print a tmpfiles.d(5) file that creates the spool.")
    var tmpfiles = false

    func run() throws {
        try reportingFailures(program: "notifyctl layout") {
            let settings = try spool.settings()
            if tmpfiles {
                print(SpoolLayoutListing.tmpfiles(root: settings.spoolDirectory, settings: settings), terminator: "")
            } else {
                for line in SpoolLayoutListing.table(settings: settings) { print(line) }
            }
        }
    }
}

/// Renders `SpoolLayout` for people and for systemd-tmpfiles.
enum SpoolLayoutListing {
    static func owner(_ directory: SpoolLayout.Directory, _ settings: Settings) -> (user: String, group: String) {
        (settings.daemonUser, directory.group == .daemon ? settings.daemonGroup : settings.submitGroup)
    }

    static func mode(_ value: UInt32) -> String {
        let octal = String(value, radix: 8)
        return String(repeating: "0", count: max(0, 4 - octal.count)) + octal
    }

    static func table(settings: Settings) -> [String] {
        SpoolLayout.directories.map { directory in
            let (user, group) = owner(directory, settings)
            let path = directory.path.isEmpty ? "." : directory.path + "/"
            return "\(mode(directory.mode)) \(user):\(group) \(path)\(directory.hashed ? " (hashed)" : "")  \(directory.purpose)"
        }
    }

    static func tmpfiles(root: String, settings: Settings) -> String {
        var lines = [
            "# tmpfiles.d(5) for notifyd: install as /usr/lib/tmpfiles.d/notifyd.conf.",
            "# The spool with the owners and modes of spool-layout.md; `notifyctl init` creates the",
            "# same (a test applies this file with systemd-tmpfiles and compares the two).",
            "# Made by `notifyctl layout --tmpfiles`; do not edit by hand.",
            "#Type Path Mode User Group Age",
        ]
        for (path, directory) in SpoolLayout.expandedDirectories {
            let (user, group) = owner(directory, settings)
            lines.append("d \(path.isEmpty ? root : root + "/" + path) \(mode(directory.mode)) \(user) \(group) -")
        }
        let trigger = SpoolLayout.directories.first { $0.path == "public" }!
        lines.append("p \(root)/\(SpoolLayout.triggerPath) \(mode(SpoolLayout.triggerMode)) \(settings.daemonUser) \(owner(trigger, settings).group) -")
        return lines.joined(separator: "\n") + "\n"
    }
}
