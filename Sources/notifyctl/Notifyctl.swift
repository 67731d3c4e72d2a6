// NAME
//     notifyctl - notifyd administration: create the spool, list and show jobs
//
// SYNOPSIS
//     notifyctl init [--private | --daemon-user U --daemon-group G --submit-group G]
//     notifyctl list [--state STATE]... [--channel C] [--older-than DURATION]
//                    [--id PREFIX] [--all] [--json]
//     notifyctl show [--json] ID
//     (every command takes --spool DIR and --config FILE)
//
// DESCRIPTION
//     notifyctl is to notifyd what postqueue(1) and postsuper(1) are to Postfix.
//
//     init creates the spool with the directories, owners and modes of spool-layout.md,
//     or repairs an existing one. As root it gives the spool to daemon_user, daemon_group
//     and submit_group from the configuration, which must exist (systemd-sysusers creates
//     them). --private, or running as another user, gives every role to the invoking user:
//     a private spool for development and the demo.
//
//     list prints queued jobs, one per line, oldest first: ID, state, channel, priority,
//     age and first recipient. --all adds jobs in final states. --json prints JSON Lines
//     whose fields may grow, like postqueue -j; each has at least id, state, channel,
//     attempts and next_attempt.
//
//     show prints one job: where it is and everything it holds.
//
//     list and show read the spool directly and work without a running daemon. Files
//     that are not valid jobs are moved to corrupt/ and reported on stderr.
//
// EXIT STATUS
//     0 success; 64 usage; 65 no such job, or bad input; 67 a named account or group
//     does not exist; 73 a spool directory cannot be created; 74 I/O error;
//     77 permission denied; 78 invalid configuration.
//
// ENVIRONMENT
//     NOTIFYD_SPOOL, NOTIFYD_CONFIG: defaults for --spool and --config.
//
// FILES
//     /var/spool/notifyd, /etc/notifyd/notifyd.conf
//
// SEE ALSO
//     notify-enqueue(1), notifyd(8), spool-layout.md
import ArgumentParser

@main
struct Notifyctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notifyctl",
        abstract: "Administer a notifyd spool.",
        subcommands: [InitCommand.self, ListCommand.self, ShowCommand.self])
}
