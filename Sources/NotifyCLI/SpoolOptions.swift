import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

/// `--spool` and `--config`, which every program takes, with their environment variables.
public struct SpoolOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The spool directory.",
        discussion: "Default: $NOTIFYD_SPOOL, else spool_directory in the config, else /var/spool/notifyd."))
    public var spool: String?

    @Option(help: ArgumentHelp(
        "The configuration file; a missing file means built-in defaults.",
        discussion: "Default: $NOTIFYD_CONFIG, else /etc/notifyd/notifyd.conf."))
    public var config: String?

    public init() {}

    public var configPath: String {
        config ?? environment("NOTIFYD_CONFIG") ?? Settings.defaultConfigPath
    }

    /// Loads the configuration and settles the spool directory: flag, environment, config.
    public func settings() throws(ConfigError) -> Settings {
        var settings = try Settings.load(path: configPath)
        if let spool = spool ?? environment("NOTIFYD_SPOOL") { settings.spoolDirectory = spool }
        return settings
    }
}

func environment(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    let text = String(cString: value)
    return text.isEmpty ? nil : text
}
