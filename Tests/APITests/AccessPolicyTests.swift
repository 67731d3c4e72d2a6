import NotifyAPI
import NotifyCore
import Testing

/// `api_access` parsing and the rights it grants, without a server.
@Suite struct AccessPolicyTests {
    @Test func parsesRulesAndGrantsTheUnion() throws {
        let rules = try AccessRule.parseList("uid:0 admin; uid:45001 submit:sms+email read_own inbox:alice+bob; gid:45100 read_stats inbox:*")
        #expect(rules.count == 3)
        let policy = AccessPolicy(rules: rules)
        let app = policy.rights(for: PeerCredentials(pid: 1, uid: 45001, gid: 45100))
        #expect(app.maySubmit(.sms) && app.maySubmit(.email) && !app.maySubmit(.push))
        #expect(app.readOwn && app.readStats && !app.admin)
        #expect(app.mayRead(inbox: "carol"))  // inbox:* through the group
        let other = policy.rights(for: PeerCredentials(pid: 1, uid: 45001, gid: 1))
        #expect(other.mayRead(inbox: "bob") && !other.mayRead(inbox: "carol"))
        let root = policy.rights(for: PeerCredentials(pid: 1, uid: 0, gid: 0))
        #expect(root.admin && root.maySubmit(.push) && root.mayRead(inbox: "anyone"))
        #expect(!policy.rights(for: PeerCredentials(pid: 1, uid: 45999, gid: 45999)).maySubmitAnything)
    }

    @Test(arguments: ["uid:x admin", "uid:1", "host:1 admin", "uid:1 submit:fax", "uid:1 fly", "uid:1 inbox:../x"])
    func rejectsBadRules(_ text: String) {
        #expect(throws: FieldError.self) { try AccessRule.parseList(text) }
    }

    @Test func configurationNamesTheParameter() {
        #expect(throws: ConfigError.self) {
            try Settings(file: ConfigFile.parse("api_access = uid:1 fly\n", path: "t.conf"))
        }
        #expect(throws: ConfigError.self) { try Settings(file: ConfigFile.parse("api_socket_mode = 999\n", path: "t.conf")) }
    }
}

/// What a reload takes at once and what waits for a restart.
@Suite struct APIReloadTests {
    @Test func namesTheKeysBoundAtStart() throws {
        let started = try Settings(file: ConfigFile.parse("api_access = uid:0 admin\n", path: "t.conf"))
        let policyOnly = try Settings(file: ConfigFile.parse("api_access = uid:0 admin; uid:5 submit\napi_body_size_limit = 64k\n", path: "t.conf"))
        #expect(APIReload.restartOnlyChanges(from: started, to: policyOnly).isEmpty)
        let bound = try Settings(file: ConfigFile.parse("api_socket = /run/x.sock\napi_commit_threads = 2\nidempotency_window = 1h\n", path: "t.conf"))
        #expect(APIReload.restartOnlyChanges(from: started, to: bound) == ["idempotency_window", "api_socket", "api_commit_threads"])
        #expect(APIReload.policy(policyOnly).rights(for: PeerCredentials(pid: 1, uid: 5, gid: 5)).maySubmitAnything)
    }
}
