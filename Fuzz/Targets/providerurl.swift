// Fuzz target: the provider-URL parser. Arbitrary text as a `<channel>_providers` value:
// ProviderList (comma-separated, redaction of secrets) and ProviderURL for each entry
// (scheme, userinfo with percent-decoding, [IPv6]:port, path, query). Credential files
// named by *_file= are not read here (that is I/O, not parsing).
import NotifyCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProviderURL(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = ProviderList.label(text)
    for entry in ProviderList.entries(text) {
        _ = ProviderList.redacted(entry)
        guard let url = try? ProviderURL(entry) else { continue }
        _ = url.baseURL(default: "https://example.com/")
        _ = try? url.required("from")
        if !url.query.keys.contains(where: { $0.hasSuffix("_file") }) {
            _ = try? url.user()
            _ = try? url.password()
        }
    }
    return 0
}
