// Fuzz target: the configuration parser. Arbitrary text through ConfigFile.parse (main.cf
// syntax: parameters, comments, continuation lines) and, when it parses, through the whole
// schema (Settings(file:), which reads every key with ConfigReader: durations, sizes,
// integers with ranges, provider lists). Errors are expected; crashes are not.
import NotifyCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let file = try? ConfigFile.parse(text, path: "fuzz.conf") else { return 0 }
    _ = try? Settings(file: file)
    return 0
}
