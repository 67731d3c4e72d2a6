import Foundation
import Glibc
import NotifyCore
import NotifySpool
import Testing

/// Every endpoint through notify-apid's real Unix socket, against a temporary spool.
@Suite(.serialized) struct EndpointTests {
    @Test func submissionReplayAndJobs() throws {
        let api = try RunningAPI()
        let sms = #"{"channel":"sms","to":"+14155550123","body":"Your code is 123456","meta":{"type":"otp"},"callback_url":"https://example.com/cb"}"#
        let first = try api.request("POST", "/v1/notifications", body: sms, headers: ["Idempotency-Key: order-1"])
        #expect(first.status == 201, "\(first.body)")
        let ids = try #require(first.json["ids"] as? [String])
        #expect(ids.count == 1)
        #expect(api.files("incoming") == ids)
        // Replay: the same IDs, nothing new.
        let replay = try api.request("POST", "/v1/notifications", body: sms, headers: ["Idempotency-Key: order-1"])
        #expect(replay.status == 200)
        #expect(replay.json["ids"] as? [String] == ids)
        #expect(api.files("incoming").count == 1)

        let shown = try api.request("GET", "/v1/jobs/\(ids[0])")
        #expect(shown.status == 200)
        #expect(shown.json["state"] as? String == "incoming")
        #expect(shown.json["callback_url"] as? String == "https://example.com/cb")
        #expect((shown.json["submitter"] as? [String: Any])?["uid"] as? Int == Int(getuid()))
        #expect((shown.json["submitter"] as? [String: Any])?["program"] as? String == "notify-apid")

        let list = try api.request("GET", "/v1/jobs?state=incoming&channel=sms&limit=10")
        #expect((list.json["jobs"] as? [[String: Any]])?.map { $0["id"] as? String } == ids)
        #expect(try api.request("GET", "/v1/jobs?channel=email").json["jobs"] as? [Any] != nil)

        #expect(try api.request("POST", "/v1/jobs/\(ids[0])/retry").status == 409)  // not dead or deferred
        let cancelled = try api.request("DELETE", "/v1/jobs/\(ids[0])")
        #expect(cancelled.status == 200, "\(cancelled.body)")
        let after = try api.request("GET", "/v1/jobs/\(ids[0])")
        #expect(after.json["state"] as? String == "done")
        #expect(after.json["final_state"] as? String == "cancelled")
        #expect(try api.request("DELETE", "/v1/jobs/\(ids[0])").status == 409)  // no longer pending
        #expect(try api.request("GET", "/v1/jobs/01M7ZEC7A41ZWQR9G8AG2P1694").status == 404)
        #expect([400, 422].contains(try api.request("GET", "/v1/jobs/not-an-id").status))
        #expect(try api.request("PATCH", "/v1/jobs/\(ids[0])").status == 405)
        #expect(try api.request("GET", "/v2/nothing").status == 404)
    }

    @Test func retryRequeuesADeadLetter() throws {
        let api = try RunningAPI()
        let created = try api.request("POST", "/v1/notifications", body: #"{"channel":"sms","to":"+14155550123","body":"x"}"#)
        let id = try #require((created.json["ids"] as? [String])?.first)
        let store = try Spool.open(api.spool)
        #expect(try store.move(JobMove(try JobID(validating: id), from: .incoming, to: .dead)))
        let retried = try api.request("POST", "/v1/jobs/\(id)/retry")
        #expect(retried.status == 200, "\(retried.body)")
        #expect(retried.json["from"] as? String == "dead")
        #expect(api.files("incoming") == [id])
    }

    @Test func templatesFanOutAndBatches() throws {
        let api = try RunningAPI()
        let directory = api.templates + "/welcome"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "channels = sms, email\nsms_to = {{phone}}\nemail_to = {{email}}\nemail_subject = Welcome {{name}}\n"
            .write(toFile: directory + "/template.conf", atomically: true, encoding: .utf8)
        try "Hi {{name}}".write(toFile: directory + "/sms.mustache", atomically: true, encoding: .utf8)
        try "Hello {{name}}".write(toFile: directory + "/email.mustache", atomically: true, encoding: .utf8)
        let one = try api.request("POST", "/v1/notifications",
                                  body: #"{"template":"welcome","data":{"name":"Ann","phone":"+14155550123","email":"ann@example.com"}}"#)
        #expect(one.status == 201, "\(one.body)")
        #expect((one.json["channels"] as? [String])?.sorted() == ["email", "sms"])
        #expect(try api.request("POST", "/v1/notifications", body: #"{"template":"nope","data":{}}"#).json["field"] as? String == "template")

        let batch = #"{"template":"welcome","idempotency_key":"wave-1","recipients":[{"name":"A","phone":"+14155550001","email":"a@example.com"},{"name":"B","phone":"12","email":"b@example.com"},{"name":"C","phone":"+14155550003","email":"c@example.com"}]}"#
        let accepted = try api.request("POST", "/v1/batches", body: batch)
        #expect(accepted.status == 201, "\(accepted.body)")
        let batchID = try #require(accepted.json["batch"] as? String)
        #expect((accepted.json["jobs"] as? [String])?.count == 4)
        #expect((accepted.json["rejected"] as? [[String: Any]])?.first?["row"] as? Int == 2)
        let replay = try api.request("POST", "/v1/batches", body: batch)
        #expect(replay.status == 200)
        #expect(replay.json["batch"] as? String == batchID)
        #expect(replay.json["jobs"] as? [String] == accepted.json["jobs"] as? [String])

        let progress = try api.request("GET", "/v1/batches/\(batchID)")
        #expect(progress.status == 200, "\(progress.body)")
        #expect(progress.json["jobs"] as? Int == 4)
        #expect(progress.json["pending"] as? Int == 4)
        #expect((progress.json["states"] as? [String: Int])?["incoming"] == 4)
        #expect(try api.request("GET", "/v1/batches/01M7ZEC7A41ZWQR9G8AG2P1694").status == 404)
        let job = try #require((accepted.json["jobs"] as? [String])?.first)
        #expect(try api.request("GET", "/v1/jobs/\(job)").json["batch"] as? String == batchID)
    }

    @Test func inboxReadCountAndDelete() throws {
        let api = try RunningAPI()
        let store = try Spool.open(api.spool)
        for index in 1...3 {
            let message = "Subject: Hello \(index)\r\nX-Notifyd-Job: 01M7ZEC7A41ZWQR9G8AG2P169\(index)\r\nX-Notifyd-Meta-type: \(index == 3 ? "promo" : "order")\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n\(Data("body \(index)".utf8).base64EncodedString())\r\n"
            try store.deliverToMaildir(Array(message.utf8), user: "alice", name: "17000000\(index).01M7ZEC7A41ZWQR9G8AG2P169\(index)_1.notifyd")
        }
        #expect(try api.request("GET", "/v1/inbox/alice/count?unread=true").json["count"] as? Int == 3)
        let page = try api.request("GET", "/v1/inbox/alice?unread=true&limit=2")
        let messages = try #require(page.json["messages"] as? [[String: Any]])
        #expect(messages.count == 2)
        #expect(messages[0]["subject"] as? String == "Hello 3")
        #expect(messages[0]["body"] as? String == "body 3")
        #expect(page.json["total"] as? Int == 3)
        let promo = try api.request("GET", "/v1/inbox/alice?type=promo")
        #expect((promo.json["messages"] as? [[String: Any]])?.count == 1)

        let name = "170000001.01M7ZEC7A41ZWQR9G8AG2P1691_1.notifyd"
        #expect(try api.request("POST", "/v1/inbox/alice/\(name)/read").status == 200)
        #expect(api.files("inbox/alice/cur") == [name + ":2,S"])
        #expect(try api.request("GET", "/v1/inbox/alice/count?unread=true").json["count"] as? Int == 2)
        #expect(try api.request("GET", "/v1/inbox/alice/count").json["count"] as? Int == 3)
        #expect(try api.request("POST", "/v1/inbox/alice/read-all").json["count"] as? Int == 2)
        #expect(try api.request("GET", "/v1/inbox/alice/count?unread=true").json["count"] as? Int == 0)
        #expect(try api.request("DELETE", "/v1/inbox/alice/\(name)").status == 200)
        #expect(try api.request("DELETE", "/v1/inbox/alice/\(name)").status == 404)
        #expect(try api.request("GET", "/v1/inbox/alice/count").json["count"] as? Int == 2)
        #expect(try api.request("GET", "/v1/inbox/nobody/count").json["count"] as? Int == 0)
    }

    @Test func preferencesRoundTrip() throws {
        let api = try RunningAPI()
        let empty = try api.request("GET", "/v1/preferences/%2B14155550123")
        #expect(empty.status == 200)
        #expect(empty.json["opt_out"] as? [String] == [])
        let put = try api.request("PUT", "/v1/preferences/%2B14155550123", body:
            #"{"opt_out":["sms"],"opt_out_types":["marketing"],"quiet_hours":{"start":"22:00","end":"07:00","time_zone":"Europe/Berlin","allow_high":true}}"#)
        #expect(put.status == 200, "\(put.body)")
        let store = try Spool.open(api.spool)
        let saved = try #require(store.preferences(of: "+14155550123"))
        #expect(saved.optOut == ["sms"])
        #expect(saved.optOutTypes == ["marketing"])
        #expect(saved.quietHours?.timeZone == "Europe/Berlin")
        var job = Job(id: try JobID(validating: "01M7ZEC7A41ZWQR9G8AG2P1694"), created: 0, channel: .email, to: ["a@example.com"], body: "x",
                      meta: ["type": "marketing"], submitter: Submitter(uid: 0, pid: 0, program: "t"))
        #expect(saved.declines(job))
        job.meta = [:]
        #expect(!saved.declines(job))
        let bad = try api.request("PUT", "/v1/preferences/x", body: #"{"quiet_hours":{"start":"25:00","end":"07:00"}}"#)
        #expect(bad.status == 422)
        #expect(bad.json["field"] as? String == "quiet_hours.start")
        #expect(try api.request("PUT", "/v1/preferences/x", body: #"{"opt_out":["fax"]}"#).json["field"] as? String == "opt_out[0]")
        // A control character is no part of any address: 422, and no preferences file for it.
        for recipient in ["%00", "a%0D%0Ab", "%7F", "x%C2%85"] {
            let control = try api.request("PUT", "/v1/preferences/\(recipient)", body: #"{"opt_out":["sms"]}"#)
            #expect(control.status == 422, "\(recipient): \(control.body)")
            #expect(control.json["field"] as? String == "recipient")
            #expect(try api.request("GET", "/v1/preferences/\(recipient)").status == 422)
        }
        #expect(api.files("prefs").count == 1)
    }

    @Test func healthReportsComponents() throws {
        let api = try RunningAPI()
        let health = try api.request("GET", "/health")
        #expect(health.status == 503)  // no notifyd runs
        let components = try #require(health.json["components"] as? [String: [String: Any]])
        #expect(components["spool_writable"]?["ok"] as? Bool == true)
        #expect(components["free_space"]?["ok"] as? Bool == true)
        #expect(components["notifyd"]?["ok"] as? Bool == false)
        // A live queue manager's snapshot makes notifyd healthy.
        let store = try Spool.open(api.spool)
        try store.writeQueueManagerState(QueueManagerState(pid: getpid(), written: Timestamp.format(millisecondsSinceEpoch: WallClock.nowMilliseconds()),
                                                           breakers: [], active: [:], inFlight: [:]))
        let again = try api.request("GET", "/health").json["components"] as? [String: [String: Any]]
        #expect(again?["notifyd"]?["ok"] as? Bool == true)
        #expect(again?["breakers"]?["ok"] as? Bool == true)
    }
}
