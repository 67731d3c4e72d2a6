import Glibc
import Testing
@testable import NotifyDaemonKit

extension ProcessEnvironmentTests {
    @Suite struct ListenSocketsTests {
        @Test func noSocketsWithoutActivation() async throws {
            try await withEnvironment(["LISTEN_FDS": nil, "LISTEN_PID": nil, "LISTEN_FDNAMES": nil]) { () async throws in
                #expect(try ListenSockets.inherited().isEmpty)
            }
        }

        @Test func socketsForAnotherProcessAreIgnored() async throws {
            try await withEnvironment(["LISTEN_FDS": "1", "LISTEN_PID": "\(getpid() + 1)", "LISTEN_FDNAMES": "api"]) { () async throws in
                #expect(try ListenSockets.inherited().isEmpty)
            }
        }

        /// A positive case without clobbering descriptors: the test process's own fd 3 (if
        /// open) stands in for a passed socket; if it is closed, libsystemd must report EBADF.
        @Test func namesComeFromListenFdNames() async throws {
            try await withEnvironment(["LISTEN_FDS": "1", "LISTEN_PID": "\(getpid())", "LISTEN_FDNAMES": "api"]) { () async throws in
                if fcntl(ListenSockets.firstDescriptor, F_GETFD) >= 0 {
                    #expect(try ListenSockets.inherited() == [ListenSocket(fileDescriptor: 3, name: "api")])
                } else {
                    #expect(throws: SystemdError(function: "sd_listen_fds_with_names", returnValue: -EBADF)) {
                        try ListenSockets.inherited()
                    }
                }
            }
        }
    }
}
