import Glibc

/// Runs `body` with environment variables set (`nil` value: unset), then restores them.
///
/// Only tests inside the serialized ``ProcessEnvironmentTests`` suite may use this, so no
/// two tests change the process environment at once.
func withEnvironment<T>(
    _ values: [String: String?],
    _ body: () async throws -> T
) async rethrows -> T {
    var saved: [String: String?] = [:]
    for (name, value) in values {
        saved[name] = getenv(name).map { String(cString: $0) }
        if let value { setenv(name, value, 1) } else { unsetenv(name) }
    }
    defer {
        for (name, value) in saved {
            if let value { setenv(name, value, 1) } else { unsetenv(name) }
        }
    }
    return try await body()
}
