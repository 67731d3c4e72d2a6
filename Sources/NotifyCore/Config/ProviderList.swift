/// A channel's providers as written in `<channel>_providers`: provider URLs or names,
/// separated by commas and/or white space, in fallback order (providers.md). The URLs may
/// hold credentials, so everything that leaves the agent (notifyd's command line, logs,
/// history, status records) uses `label`, never the URLs themselves.
public enum ProviderList {
    /// Splits the parameter's value into its entries.
    public static func entries(_ value: String) -> [String] {
        value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init)
    }

    /// An entry without secrets: `scheme://host[:port][/path]`, dropping user, password,
    /// query and fragment. A plain name (`outbox`) is its own label.
    public static func redacted(_ entry: String) -> String {
        guard let schemeEnd = entry.firstRange(of: "://") else { return entry }
        let scheme = entry[..<schemeEnd.lowerBound]
        var rest = entry[schemeEnd.upperBound...]
        if let cut = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<cut] }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let path = rest[authorityEnd...]
        // A path can carry a secret too (a token in a webhook or ntfy URL): keep only its
        // first segment.
        let firstSegment = path.split(separator: "/", maxSplits: 1).first.map { "/" + $0 } ?? ""
        let elided = path.count > firstSegment.count + 1 ? "/…" : ""
        return "\(scheme)://\(authority)\(firstSegment)\(elided)"
    }

    /// The label of a whole list: its redacted entries joined by commas.
    public static func label(_ value: String) -> String {
        entries(value).map(redacted).joined(separator: ",")
    }
}
