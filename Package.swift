// swift-tools-version:6.1
//
// notifyd: a Postfix-style notification delivery suite.
//
// Module map (see README.md and spool-layout.md):
//   NotifyCore        job model, validation, config parser, exit codes. No I/O on the spool.
//   NotifySpool       the only module that builds spool paths or creates, renames, links
//                     or removes spool files.
//   NotifyScheduling  pure state machines: backoff, retry decision, breaker, token bucket,
//                     priority dispatch. No I/O; tested with an injected clock.
//   NotifyDaemonKit   the daemon skeleton: readiness, watchdog, socket activation, signals,
//                     journal logging.
//   NotifyTemplates   Mustache templates, channel fan-out, CSV/JSONL batch rows.
//   NotifyCLI         the submission pipeline, settings resolution and error reporting of
//                     the command-line programs (no ArgumentParser: notify-enqueue uses it).
//   NotifyArguments   the ArgumentParser option groups shared by notify-render and notifyctl.
//
// notify-enqueue must start fast: it links neither libcurl, full Foundation nor a server
// framework. Template and batch modes need the template engine (which imports Foundation),
// so notify-enqueue hands them to notify-render by exec.
import PackageDescription

let package = Package(
    name: "notifyd",
    products: [
        .executable(name: "notify-enqueue", targets: ["notify-enqueue"]),
        .executable(name: "notify-render", targets: ["notify-render"]),
        .executable(name: "notifyctl", targets: ["notifyctl"]),
        .executable(name: "notifyd", targets: ["notifyd"]),
        .executable(name: "notify-email", targets: ["notify-email"]),
        .executable(name: "notify-sms", targets: ["notify-sms"]),
        .executable(name: "notify-push", targets: ["notify-push"]),
        .executable(name: "notify-webhook", targets: ["notify-webhook"]),
        .executable(name: "notify-inbox", targets: ["notify-inbox"]),
        .executable(name: "notify-apid", targets: ["notify-apid"]),
        .executable(name: "notify-statsd", targets: ["notify-statsd"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        // HMAC for webhook signatures, RS256 (RSA in _CryptoExtras) for FCM's OAuth2 JWT.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // notify-apid: HTTP/1.1 on a Unix socket, with the raw fd for SO_PEERCRED.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        // notify-statsd: latency histograms, and the Prometheus text exposition.
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Native libraries from Debian's -dev packages.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        .target(name: "CNotifyShims", cSettings: [.define("_GNU_SOURCE")]),

        .target(name: "NotifyCore"),
        .target(name: "NotifySpool", dependencies: ["NotifyCore", "CNotifyShims"]),
        .target(name: "NotifyScheduling"),
        .target(
            name: "NotifyDaemonKit",
            dependencies: ["CSystemd", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "NotifyTemplates",
            dependencies: [
                "NotifyCore",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        .target(name: "NotifyCLI", dependencies: ["NotifyCore", "NotifySpool"]),
        .target(
            name: "NotifyArguments",
            dependencies: ["NotifyCLI", "NotifyCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        .executableTarget(name: "notify-enqueue", dependencies: ["NotifyCLI"]),
        .executableTarget(name: "notify-render", dependencies: ["NotifyArguments", "NotifyCLI", "NotifyTemplates"]),
        // Statistics: the pure aggregation of status records, the snapshot schema, the queue
        // shape, and the views of them (seeds' /v1/stats, Prometheus, the status page).
        .target(
            name: "NotifyStats",
            dependencies: [
                "NotifyCore", "NotifySpool",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "notify-statsd",
            dependencies: [
                "NotifyCore", "NotifySpool", "NotifyStats", "NotifyDaemonKit", "NotifyArguments", "NotifyCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "notifyctl",
            dependencies: [
                "NotifyArguments", "NotifyCLI", "NotifyCore", "NotifySpool", "NotifyStats",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // The queue manager and its delivery agents (agent-protocol.md).
        .target(
            name: "NotifyAgentKit",
            dependencies: [
                "NotifyCore", "NotifySpool", "NotifyArguments", "NotifyCLI", "NotifyDaemonKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "notifyd",
            dependencies: [
                "NotifyCore", "NotifySpool", "NotifyScheduling", "NotifyDaemonKit", "NotifyAgentKit", "NotifyArguments", "NotifyCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The real providers: libcurl's multi interface for the network ones, the spool's
        // maildirs for the inbox (providers.md).
        .target(
            name: "NotifyProviders",
            dependencies: [
                "CCurl", "NotifyCore", "NotifySpool", "NotifyAgentKit", "NotifyCLI",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "notify-email", dependencies: ["NotifyAgentKit", "NotifyProviders", "NotifyCore"]),
        .executableTarget(name: "notify-sms", dependencies: ["NotifyAgentKit", "NotifyProviders", "NotifyCore"]),
        .executableTarget(name: "notify-push", dependencies: ["NotifyAgentKit", "NotifyProviders", "NotifyCore"]),
        .executableTarget(name: "notify-webhook", dependencies: ["NotifyAgentKit", "NotifyProviders", "NotifyCore"]),
        .executableTarget(name: "notify-inbox", dependencies: ["NotifyAgentKit", "NotifyProviders", "NotifyCore"]),
        // notify-apid (issue 5): the Unix-socket HTTP API. NotifyAPI holds routing, handlers,
        // the access policy and limits; the executable only wires it to the daemon skeleton.
        .target(
            name: "NotifyAPI",
            dependencies: [
                "NotifyCore", "NotifySpool", "NotifyTemplates", "NotifyDaemonKit", "NotifyStats", "CNotifyShims",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "notify-apid",
            dependencies: [
                "NotifyAPI", "NotifyArguments", "NotifyCLI", "NotifyCore", "NotifySpool", "NotifyDaemonKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Test only: an agent whose answers the job's metadata scripts. Never installed.
        .executableTarget(name: "notify-test-agent", dependencies: ["NotifyAgentKit", "NotifyCore"]),
        // Benchmarks only (bench/dispatch): load generator and meter. Never installed.
        .executableTarget(
            name: "notify-bench",
            dependencies: [
                "NotifyArguments", "NotifyCLI", "NotifyCore", "NotifySpool",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "NotifyCoreTests", dependencies: ["NotifyCore"]),
        .testTarget(name: "NotifySpoolTests", dependencies: ["NotifySpool", "NotifyCore"]),
        .testTarget(name: "NotifySchedulingTests", dependencies: ["NotifyScheduling"]),
        .testTarget(name: "NotifyDaemonKitTests", dependencies: ["NotifyDaemonKit", "NotifyTestSupport"]),
        .testTarget(name: "NotifyTemplatesTests", dependencies: ["NotifyTemplates", "NotifyCore"]),
        .testTarget(name: "CommandLineTests", dependencies: ["NotifyCore", "NotifySpool", "NotifyAgentKit", "NotifyStats", "NotifyTestSupport"]),
        .testTarget(name: "StatsTests", dependencies: ["NotifyStats", "NotifySpool", "NotifyCore"]),
        // Test support, never linked into a program: the notify-socket listener, and the
        // launchers of the provider emulator and the SMTP server (Python scripts in
        // Tests/Support) on loopback; _CryptoExtras makes the FCM test service account.
        .target(
            name: "NotifyTestSupport",
            dependencies: [.product(name: "_CryptoExtras", package: "swift-crypto")],
            path: "Tests/Support", exclude: ["provider-emulator.py", "smtp-server.py"]
        ),
        // Providers against real servers on loopback: the emulator in Tests/Support, aiosmtpd.
        .testTarget(
            name: "ProviderTests",
            dependencies: [
                "NotifyProviders", "NotifyTestSupport", "NotifyAgentKit", "NotifyCore", "NotifySpool",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // notify-apid through its real Unix socket, against temporary spools.
        .testTarget(
            name: "APITests",
            dependencies: ["NotifyAPI", "NotifyCore", "NotifySpool", "NotifyTestSupport"]
        ),
        // Links libcurl and libsystemd through the system-library targets and calls them.
        .testTarget(name: "NativeLibraryTests", dependencies: ["CCurl", "CSystemd", "CNotifyShims"]),
    ]
)
