import NotifyCore

/// What a reload (SIGHUP) of notify-apid changes. The access policy, the limits, the
/// validation settings (templates, channel limits), the batch row limit and the /health
/// thresholds take effect for the next request. What is bound at start stays until a
/// restart; a reload that changes it says so.
public enum APIReload {
    /// The keys whose new values wait for a restart, in configuration-file order.
    public static func restartOnlyChanges(from old: Settings, to new: Settings) -> [String] {
        var keys: [String] = []
        if old.spoolDirectory != new.spoolDirectory { keys.append("spool") }
        if old.submitGroup != new.submitGroup && new.api.socketGroup.isEmpty { keys.append("submit_group (the socket's group)") }
        if old.idempotencyWindow != new.idempotencyWindow { keys.append("idempotency_window") }
        if old.api.socket != new.api.socket { keys.append("api_socket") }
        if old.api.socketMode != new.api.socketMode { keys.append("api_socket_mode") }
        if old.api.socketGroup != new.api.socketGroup { keys.append("api_socket_group") }
        if old.api.commitGroupLimit != new.api.commitGroupLimit { keys.append("api_commit_group_limit") }
        if old.api.commitThreads != new.api.commitThreads { keys.append("api_commit_threads") }
        return keys
    }

    /// The policy `api_access` describes, or the built-in one when it is not set.
    public static func policy(_ settings: Settings) -> AccessPolicy {
        AccessPolicy(rules: settings.api.access.isEmpty
            ? AccessPolicy.defaultRules(submitGroup: settings.submitGroup) : settings.api.access)
    }
}
