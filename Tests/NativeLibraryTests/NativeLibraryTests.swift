import CCurl
import CNotifyShims
import CSystemd
import Glibc
import Testing

/// The native libraries link through their system-library targets and answer.
@Suite struct NativeLibraryTests {
    @Test func libcurlReportsSMTPAndHTTPSupport() throws {
        let info = try #require(curl_version_info(CURLVERSION_ELEVENTH))
        var protocols: Set<String> = []
        var cursor = info.pointee.protocols
        while let name = cursor?.pointee {
            protocols.insert(String(cString: name))
            cursor = cursor!.advanced(by: 1)
        }
        #expect(protocols.isSuperset(of: ["http", "https", "smtp", "smtps"]))
    }

    @Test func curlSetoptShimTypeChecks() throws {
        let handle = try #require(curl_easy_init())
        defer { curl_easy_cleanup(handle) }
        #expect(notifyd_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, 1000) == CURLE_OK)
        #expect(notifyd_curl_setopt_str(handle, CURLOPT_URL, "http://127.0.0.1:9/") == CURLE_OK)
    }

    @Test func sdNotifyIsHarmlessWithoutSystemd() {
        unsetenv("NOTIFY_SOCKET")
        #expect(sd_notify(0, "READY=1") == 0)
        #expect(sd_listen_fds(0) == 0)
    }

    @Test func syncfsAndRenameNoReplaceShims() throws {
        let dir = "/tmp/notifyd-shim-\(getpid())"
        mkdir(dir, 0o700)
        defer { unlink(dir + "/a"); unlink(dir + "/b"); rmdir(dir) }
        let a = open(dir + "/a", O_CREAT | O_WRONLY, 0o600)
        let b = open(dir + "/b", O_CREAT | O_WRONLY, 0o600)
        close(a)
        close(b)
        let dirfd = open(dir, O_RDONLY | O_DIRECTORY)
        defer { close(dirfd) }
        #expect(notifyd_syncfs(dirfd) == 0)
        #expect(notifyd_rename_noreplace(AT_FDCWD, dir + "/a", AT_FDCWD, dir + "/b") == -1)
        #expect(errno == EEXIST)
    }
}
