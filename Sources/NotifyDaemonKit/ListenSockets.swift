import CSystemd
#if canImport(Glibc)
import Glibc
#endif

/// The sockets a daemon inherited through systemd socket activation (`sd_listen_fds(3)`).
public enum ListenSockets {
    /// The first inherited descriptor number (`SD_LISTEN_FDS_START`).
    public static let firstDescriptor: Int32 = 3

    /// The descriptors passed by the service manager, in order, starting at
    /// ``firstDescriptor``, with their names from `LISTEN_FDNAMES`.
    ///
    /// Returns an empty array when the process was not socket-activated (`LISTEN_FDS` unset,
    /// or `LISTEN_PID` names another process). Marks each descriptor close-on-exec.
    ///
    /// - Parameter unsetEnvironment: Remove `LISTEN_PID`, `LISTEN_FDS` and `LISTEN_FDNAMES`
    ///   from the environment afterwards. Only safe before other threads read the environment.
    /// - Throws: ``SystemdError`` when the variables are malformed or a descriptor is not open.
    public static func inherited(unsetEnvironment: Bool = false) throws(SystemdError) -> [ListenSocket] {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
        let count = sd_listen_fds_with_names(unsetEnvironment ? 1 : 0, &names)
        guard count >= 0 else {
            throw SystemdError(function: "sd_listen_fds_with_names", returnValue: count)
        }
        defer {
            if let names {
                for index in 0..<Int(count) { free(names[index]) }
                free(names)
            }
        }
        return (0..<count).map { offset in
            let name = names?[Int(offset)].map { String(cString: $0) } ?? "unknown"
            return ListenSocket(fileDescriptor: firstDescriptor + offset, name: name)
        }
    }
}
