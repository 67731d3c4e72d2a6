#if canImport(Glibc)
import Glibc
#endif

extension Spool {
    /// Wakes the queue manager through the trigger FIFO (`public/trigger`), like Postfix's
    /// `public/qmgr`. Never blocks and never fails: with nobody listening (ENXIO), a full
    /// pipe (EAGAIN: a wake-up is already pending) or no FIFO, the periodic rescan is the
    /// safety net.
    public func wakeQueueManager() {
        let fd = openat(rootFD, SpoolLayout.triggerPath, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return }
        var byte = UInt8(ascii: "W")
        _ = write(fd, &byte, 1)
        close(fd)
    }
}
