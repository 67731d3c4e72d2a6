// Fuzz target: the template renderer. Input: TEMPLATE, optionally followed by a NUL byte
// and a JSON data object. The template is rendered with NotificationTemplate.renderText
// (Mustache, as for bodies, subjects and idempotency-key patterns); the data goes through
// JSONValue.parse first. Errors are fine; crashes and hangs are not.
import NotifyCore
import NotifyTemplates

let defaultData: JSONValue = (try? JSONValue.parse(Array(#"{"name":"Asha","items":[{"n":1},{"n":2}],"ok":true,"nested":{"x":"<b>"}}"#.utf8)))!

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTemplate(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let split = bytes.firstIndex(of: 0)
    let template = String(decoding: bytes[..<(split ?? bytes.endIndex)], as: UTF8.self)
    var value = defaultData
    if let split, let parsed = try? JSONValue.parse(bytes[(split + 1)...]) { value = parsed }
    _ = try? NotificationTemplate.renderText(template, data: value, field: "body")
    return 0
}
