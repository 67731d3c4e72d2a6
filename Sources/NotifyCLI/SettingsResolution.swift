#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

/// Loads the configuration and settles the spool directory. The config file is the
/// `--config` value, else `$NOTIFYD_CONFIG`, else /etc/notifyd/notifyd.conf; the spool is
/// the `--spool` value, else `$NOTIFYD_SPOOL`, else `spool_directory` from the config.
public func loadSettings(spool: String?, config: String?) throws(ConfigError) -> Settings {
    var settings = try Settings.load(path: configPath(config))
    if let spool = spool ?? environment("NOTIFYD_SPOOL") { settings.spoolDirectory = spool }
    return settings
}

/// The configuration file: the `--config` value, else `$NOTIFYD_CONFIG`, else the default.
public func configPath(_ config: String?) -> String {
    config ?? environment("NOTIFYD_CONFIG") ?? Settings.defaultConfigPath
}

func environment(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    let text = String(cString: value)
    return text.isEmpty ? nil : text
}
