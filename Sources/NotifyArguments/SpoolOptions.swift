import ArgumentParser
import NotifyCLI
import NotifyCore

/// `--spool` and `--config`, which every program takes, with their environment variables.
public struct SpoolOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The spool directory.",
        discussion: "Default: $NOTIFYD_SPOOL, else spool_directory in the config, else /var/spool/notifyd.",
        valueName: "dir"))
    public var spool: String?

    @Option(help: ArgumentHelp(
        "The configuration file; a missing file means built-in defaults.",
        discussion: "Default: $NOTIFYD_CONFIG, else /etc/notifyd/notifyd.conf.",
        valueName: "file"))
    public var config: String?

    public init() {}

    /// The configuration file this invocation reads (for reloads and messages).
    public var configPath: String { NotifyCLI.configPath(config) }

    /// Loads the configuration and settles the spool directory: flag, environment, config.
    public func settings() throws(ConfigError) -> Settings {
        try loadSettings(spool: spool, config: config)
    }
}
