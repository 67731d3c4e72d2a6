#if canImport(Glibc)
import Glibc
#endif

/// Reads a file descriptor to its end. Returns nil with errno set on a read error, or with
/// errno EFBIG when the data exceeds `limit` bytes. EINTR is retried.
public func readToEnd(_ fd: Int32, limit: Int = 64 << 20) -> [UInt8]? {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            return nil
        }
        if n == 0 { return bytes }
        bytes.append(contentsOf: chunk[0..<n])
        if bytes.count > limit {
            errno = EFBIG
            return nil
        }
    }
}
