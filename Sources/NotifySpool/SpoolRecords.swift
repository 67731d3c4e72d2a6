#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

extension Spool {
    /// Writes a small file with the commit protocol: `tmp/<staging>` (O_EXCL), then a
    /// rename to `directory/name`, replacing an older file of that name. With `sync`, the
    /// file is fsynced before the rename; otherwise the caller's batch sync covers it.
    func commitRecord(_ bytes: [UInt8], staging: String, directory: String, name: String, sync: Bool) throws(SpoolError) {
        try stageRecord(bytes, staging: staging, sync: sync)
        let toFD = try directoryFD(directory)
        if !io.rename(tmpFD, staging, toFD, name) {
            let saved = errno
            unlinkat(tmpFD, staging, 0)
            throw SpoolError("rename", path: display("\(directory)/\(name)"), errno: saved)
        }
    }

    /// Writes `tmp/<staging>` whole (fsynced if `sync`), replacing a leftover of a crashed
    /// earlier try; on failure nothing is left behind.
    func stageRecord(_ bytes: [UInt8], staging: String, sync: Bool) throws(SpoolError) {
        unlinkat(tmpFD, staging, 0)
        let fd = io.openExclusive(tmpFD, staging, mode: 0o640)
        if fd < 0 { throw SpoolError("create", path: display("tmp/\(staging)"), errno: errno) }
        let written = io.writeAll(fd, bytes) && (!sync || io.fsyncFile(fd))
        let saved = errno
        close(fd)
        guard written else {
            unlinkat(tmpFD, staging, 0)
            throw SpoolError("write", path: display("tmp/\(staging)"), errno: saved)
        }
    }

    /// fsyncs a spool directory (after a group of renames into it).
    public func syncDirectory(_ relative: String) throws(SpoolError) {
        let fd = try directoryFD(relative)
        if !io.fsyncDirectory(fd) { throw SpoolError("fsync", path: display(relative), errno: errno) }
    }
}

func encodeRecord(_ value: some Encodable) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var bytes = [UInt8]((try? encoder.encode(value)) ?? Data())
    bytes.append(UInt8(ascii: "\n"))
    return bytes
}
