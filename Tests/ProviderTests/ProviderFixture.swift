import Foundation
import NotifyAgentKit
import NotifyCore
import NotifyProviders
import NotifySpool

/// A private spool, settings with short timeouts, and one curl engine for all tests.
final class ProviderFixture: @unchecked Sendable {
    static let engine = CurlEngine()
    let base: String
    let spool: Spool
    var settings: Settings
    private var ids = JobIDGenerator()

    init(config: String = "", timeouts: String = "provider_connect_timeout = 2s\nprovider_timeout = 3s\n") throws {
        base = NSTemporaryDirectory() + "notifyd-providers-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        _ = try SpoolInitializer.initialize(root: base + "/spool", owners: .invokingUser)
        spool = try Spool.open(base + "/spool")
        settings = try Settings(file: ConfigFile.parse(timeouts + config, path: "test.conf"))
    }

    deinit { try? FileManager.default.removeItem(atPath: base) }

    var environment: ProviderEnvironment { ProviderEnvironment(engine: Self.engine, settings: settings, spool: spool) }

    /// The provider of one `<channel>_providers` entry, as the agent makes it.
    func provider(_ entry: String, channel: Channel) throws -> any DeliveryProvider {
        guard let provider = try ProviderCatalog.provider(for: entry, channel: channel, environment: environment) else {
            throw UnknownProvider()
        }
        return provider
    }

    struct UnknownProvider: Error {}

    func job(_ channel: Channel, to: [String], subject: String? = nil, body: String = "Your code is 123456",
             html: String? = nil, key: String? = nil, meta: [String: String] = [:]) -> Job {
        let now = WallClock.nowMilliseconds()
        return Job(id: ids.next(milliseconds: now), created: now, channel: channel, to: to, subject: subject, body: body,
                   html: html, idempotencyKey: key, meta: meta, submitter: Submitter(uid: getuid(), pid: getpid(), program: "test"))
    }

    /// Writes a credential file and returns its path.
    func credential(_ name: String, _ content: String) throws -> String {
        let path = base + "/" + name
        try content.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
