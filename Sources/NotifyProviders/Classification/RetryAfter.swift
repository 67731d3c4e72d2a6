#if canImport(Glibc)
import Glibc
#endif

/// The provider's "try again in …" from response headers, in milliseconds (pure).
///
/// | header | form | provider |
/// |---|---|---|
/// | `Retry-After` | delta-seconds, or an HTTP-date (RFC 9110 §10.2.3) | any |
/// | `X-RateLimit-Reset` | Unix time in seconds when the limit resets | SendGrid |
/// | `x-sib-ratelimit-reset` | seconds until the limit resets | Brevo |
///
/// The first that parses wins, in that order. A time in the past gives 0.
public enum RetryAfter {
    public static func milliseconds(header: (String) -> String?, nowMilliseconds: Int64) -> Int64? {
        if let value = header("retry-after") {
            if let seconds = Int64(value.trimmed), seconds >= 0 { return seconds * 1000 }
            if let date = httpDateSeconds(value) { return max(0, date * 1000 - nowMilliseconds) }
        }
        if let value = header("x-ratelimit-reset"), let epoch = Int64(value.trimmed) {
            return max(0, epoch * 1000 - nowMilliseconds)
        }
        if let value = header("x-sib-ratelimit-reset"), let seconds = Double(value.trimmed), seconds >= 0, seconds < 1e9 {
            return Int64((seconds * 1000).rounded(.up))
        }
        return nil
    }

    /// IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`, to seconds since the epoch.
    static func httpDateSeconds(_ text: String) -> Int64? {
        let parts = text.trimmed.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let year = Int(parts[3]) else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let month = months.firstIndex(of: String(parts[2])) else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        var fields = tm()
        fields.tm_year = Int32(year - 1900)
        fields.tm_mon = Int32(month)
        fields.tm_mday = Int32(day)
        fields.tm_hour = Int32(clock[0])
        fields.tm_min = Int32(clock[1])
        fields.tm_sec = Int32(clock[2])
        return Int64(timegm(&fields))
    }
}

extension String {
    var trimmed: String { Substring(self).trimmingCharacters(while: { $0 == " " || $0 == "\t" }) }
}
