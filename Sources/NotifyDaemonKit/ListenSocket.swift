/// One file descriptor passed in by socket activation.
public struct ListenSocket: Sendable, Equatable {
    /// The inherited descriptor; it has `FD_CLOEXEC` set.
    public let fileDescriptor: Int32
    /// The name from `FileDescriptorName=` in the socket unit, or systemd's default
    /// (`unknown`, or the socket unit's name on newer systemd) when none was given.
    public let name: String

    /// Creates a value describing one inherited descriptor.
    public init(fileDescriptor: Int32, name: String) {
        self.fileDescriptor = fileDescriptor
        self.name = name
    }
}
