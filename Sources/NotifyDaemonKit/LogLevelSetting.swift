import Logging

/// The daemons' log level from `NOTIFYD_LOG_LEVEL` (trace, debug, info, notice, warning,
/// error, critical), `info` when unset or not one of these. The agents inherit notifyd's
/// environment, so one `Environment=NOTIFYD_LOG_LEVEL=debug` in a drop-in of
/// notifyd.service makes the whole delivery path log every attempt and every final job.
public enum LogLevelSetting {
    public static let variable = "NOTIFYD_LOG_LEVEL"

    public static func level(_ value: String?) -> Logger.Level {
        guard let value else { return .info }
        return Logger.Level(rawValue: value.lowercased()) ?? .info
    }
}
