import Foundation

/// The contents of a UTF-8 text file, or nil if it cannot be read.
func readTextFile(_ path: String) -> String? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    return String(data: data, encoding: .utf8)
}
