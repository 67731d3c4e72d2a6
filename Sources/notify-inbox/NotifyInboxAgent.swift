// NAME
//     notify-inbox - the inbox delivery agent of notifyd
//
// SYNOPSIS
//     notify-inbox [--provider NAME] [--spool DIR] [--config FILE]
//
// DESCRIPTION
//     notify-inbox is started by notifyd(8), like a Postfix delivery agent by the master, and
//     is not meant to be run by hand. It reads delivery requests on stdin and writes one
//     reply per request on stdout, many requests at a time (agent-protocol.md). For each
//     request it reads the job from the spool's active/ directory, delivers it through its
//     provider, writes one status record into status/, and replies delivered, temporary,
//     permanent or down with the provider's code and reason.
//
//     Providers (inbox_providers; providers.md): outbox (the default) writes the
//     message into outbox/inbox/ID; maildir delivers it into the recipient's maildir in
//     the spool, inbox/<user>/tmp/ → new/ (fsync, rename).
//
//     When stdin closes it finishes the deliveries in flight (at most 10 s) and exits.
//
// EXIT STATUS
//     0 stdin closed; 64 usage; 73/74 the spool cannot be opened; 78 bad configuration,
//     unknown provider, or an unreadable credential file (sysexits).
//
// FILES
//     /var/spool/notifyd/active/ID, status/, outbox/inbox/, inbox/<user>/{tmp,new,cur}/
//     /etc/notifyd/notifyd.conf
//
// SEE ALSO
//     notifyd(8), agent-protocol.md, providers.md, spool-layout.md
import ArgumentParser
import NotifyAgentKit
import NotifyCore
import NotifyProviders

@main
struct NotifyInboxAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify-inbox", abstract: "Deliver inbox jobs for notifyd (started by notifyd).")

    @OptionGroup var options: AgentOptions

    func run() async throws {
        try await AgentRunner(program: "notify-inbox", channel: .inbox, providers: ProviderCatalog.factory(for: .inbox)).run(options)
    }
}
