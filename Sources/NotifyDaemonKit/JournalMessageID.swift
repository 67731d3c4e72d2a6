/// The journal's `MESSAGE_ID` of the suite's records that an operator looks for by kind,
/// e.g. `journalctl MESSAGE_ID=fd19d1a576d14762a1124ef392a9e697` for every dead letter.
///
/// Each is a fixed random 128-bit ID (as `journalctl --new-id128` makes), in lower-case
/// hex, passed as the metadata `message_id`, which ``JournalFields`` turns into
/// `MESSAGE_ID`. Never change one: saved journal queries and alerts depend on them.
public enum JournalMessageID {
    /// A delivery agent's answer for one attempt (debug).
    public static let attemptAnswered = "bce895f1294e4a73a3356df885ad703f"
    /// A job reached done/.
    public static let jobDelivered = "eef20d30ca604eeb82d7011421d8202a"
    /// A job reached dead/ (failed, expired).
    public static let jobDeadLettered = "fd19d1a576d14762a1124ef392a9e697"
    /// A job ended in done/ without a delivery (suppressed by the recipient's opt-out).
    public static let jobEnded = "65e7daca2dbc439c806c70b22f3d5545"
    /// A channel's circuit breaker opened.
    public static let breakerOpened = "c117175dc7ec411f9a2b92a1ca730884"
    /// A channel's circuit breaker closed again.
    public static let breakerClosed = "cbbc4ff6f1fa4671855751837f010572"
    /// A delivery agent exited and is restarted.
    public static let agentExited = "d288169c47814ce2ba883b95a90523ea"
    /// A daemon reloaded its configuration (SIGHUP), or kept the old one.
    public static let configurationReloaded = "aae40fa928bc450b8532cbce38801804"
}
