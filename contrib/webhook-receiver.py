#!/usr/bin/env python3
"""contrib/webhook-receiver.py: a webhook endpoint for contrib/systemd-checks.sh.

    webhook-receiver.py PORT KEY_FILE RESULT_FILE

Listens on 127.0.0.1:PORT, answers every POST with 200, and appends one line per request
to RESULT_FILE: "valid JOB_ID" when X-Notifyd-Signature is v1=hex(HMAC-SHA256(key,
timestamp + "." + body)) with the key from KEY_FILE (providers.md), else "invalid JOB_ID".
"""
import hashlib
import hmac
import http.server
import sys

port, key_file, result_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(key_file, "rb") as f:
    key = f.read().rstrip(b"\r\n")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        timestamp = self.headers.get("X-Notifyd-Timestamp", "")
        expected = "v1=" + hmac.new(key, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        valid = hmac.compare_digest(expected, self.headers.get("X-Notifyd-Signature", ""))
        with open(result_file, "a") as out:
            out.write(f"{'valid' if valid else 'invalid'} {self.headers.get('X-Notifyd-Job', '')}\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
