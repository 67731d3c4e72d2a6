// NAME
//     notify-sms - the sms delivery agent of notifyd
//
// SYNOPSIS
//     notify-sms [--provider NAME] [--spool DIR] [--config FILE]
//
// DESCRIPTION
//     notify-sms is started by notifyd(8), like a Postfix delivery agent by the master, and
//     is not meant to be run by hand. It reads delivery requests on stdin and writes one
//     reply per request on stdout, many requests at a time (agent-protocol.md). For each
//     request it reads the job from the spool's active/ directory, delivers it through its
//     provider, writes one status record into status/, and replies delivered, temporary,
//     permanent or down with the provider's code and reason.
//
//     Providers: outbox (the default, `sms_providers = outbox`) writes the rendered
//     message into outbox/sms/ID with the spool's commit protocol.
//
//     When stdin closes it finishes the deliveries in flight (at most 10 s) and exits.
//
// EXIT STATUS
//     0 stdin closed; 64 usage; 73/74 the spool cannot be opened; 78 bad configuration or
//     unknown provider.
//
// FILES
//     /var/spool/notifyd/active/ID, status/, outbox/sms/
//
// SEE ALSO
//     notifyd(8), agent-protocol.md, spool-layout.md
import ArgumentParser
import NotifyAgentKit
import NotifyCore
import NotifyProviders

@main
struct NotifySMSAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify-sms", abstract: "Deliver sms jobs for notifyd (started by notifyd).")

    @OptionGroup var options: AgentOptions

    func run() async throws {
        try await AgentRunner(program: "notify-sms", channel: .sms, providers: ProviderCatalog.factory(for: .sms)).run(options)
    }
}
