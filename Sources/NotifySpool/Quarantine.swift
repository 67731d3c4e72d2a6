#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

extension Spool {
    /// Moves a file that is not a valid job out of the way, into `corrupt/`, under a name
    /// that says where it came from (`incoming.01J…`, `idem.7.1000.6b6579`). Readers call
    /// this instead of failing: one bad file never stops the queue.
    @discardableResult
    func quarantine(directory dirfd: Int32, name: String, from relativeDirectory: String) -> Bool {
        let origin = relativeDirectory.split(separator: "/").joined(separator: ".")
        return renameat(dirfd, name, rootFD, "corrupt/\(origin).\(name)") == 0
    }

    /// Quarantines a file given by its spool-relative path (e.g. `incoming/01J…`).
    @discardableResult
    public func quarantine(_ relativePath: String) -> Bool {
        guard let slash = relativePath.lastIndex(of: "/") else { return false }
        let directory = String(relativePath[..<slash])
        let name = String(relativePath[relativePath.index(after: slash)...])
        guard !name.isEmpty, let fd = try? directoryFD(directory) else { return false }
        return quarantine(directory: fd, name: name, from: directory)
    }
}
