#!/usr/bin/env python3
"""notifyd_client.py: queue a notification through notify-apid's Unix socket, with the
standard library only (http.client over AF_UNIX).

    python3 notifyd_client.py sms +15551234567 "Your code is 482913"
    python3 notifyd_client.py email a@example.com "Report" "Body text" --wait

As a module:

    from notifyd_client import NotifydClient
    client = NotifydClient()                       # $NOTIFYD_SOCKET or /run/notifyd/api.sock
    accepted = client.enqueue("sms", "+15551234567", body="Your code is 482913")
    print(client.job(accepted["ids"][0])["state"])

The socket is mode 0660, group notify: the calling user must be in the submit group.
notify-apid records the caller's uid (SO_PEERCRED) as the job's submitter. Errors come
back as HTTP statuses with a JSON body naming the field and the reason; this client raises
NotifydError with both.
"""
import http.client
import json
import os
import socket
import sys
import time

DEFAULT_SOCKET = "/run/notifyd/api.sock"


class UnixHTTPConnection(http.client.HTTPConnection):
    """An HTTP/1.1 connection whose transport is a Unix stream socket."""

    def __init__(self, path, timeout=10.0):
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self.socket_path)
        self.sock = sock


class NotifydError(Exception):
    def __init__(self, status, body):
        self.status = status
        self.body = body
        super().__init__(f"HTTP {status}: {body}")


class NotifydClient:
    def __init__(self, socket_path=None, timeout=10.0):
        self.socket_path = socket_path or os.environ.get("NOTIFYD_SOCKET") or DEFAULT_SOCKET
        self.timeout = timeout

    def request(self, method, path, document=None, headers=None):
        connection = UnixHTTPConnection(self.socket_path, self.timeout)
        try:
            body = None if document is None else json.dumps(document).encode()
            all_headers = {"Accept": "application/json"}
            if body is not None:
                all_headers["Content-Type"] = "application/json"
            all_headers.update(headers or {})
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            if response.status >= 400:
                try:
                    raise NotifydError(response.status, json.loads(text))
                except json.JSONDecodeError:
                    raise NotifydError(response.status, text) from None
            return json.loads(text) if text else None
        finally:
            connection.close()

    def enqueue(self, channel, to, body, subject=None, idempotency_key=None, **fields):
        """POST /v1/notifications: {"ids": [...], "channels": [...], "duplicate": bool}.

        `to` is a recipient or a list; other fields (priority, ttl, meta, send_at...) as in
        notify-apid's openapi.yaml."""
        document = {"channel": channel, "to": to, "body": body}
        if subject is not None:
            document["subject"] = subject
        document.update(fields)
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
        return self.request("POST", "/v1/notifications", document, headers)

    def job(self, job_id):
        """GET /v1/jobs/{id}: where the job is and what happened to it."""
        return self.request("GET", f"/v1/jobs/{job_id}")


def main(argv):
    wait = "--wait" in argv
    argv = [a for a in argv if a != "--wait"]
    if len(argv) not in (4, 5):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 64
    channel, to = argv[1], argv[2]
    subject, body = (argv[3], argv[4]) if len(argv) == 5 else (None, argv[3])
    client = NotifydClient()
    try:
        accepted = client.enqueue(channel, to, body, subject=subject)
        for job_id in accepted["ids"]:
            print(job_id)
        for job_id in accepted["ids"] if wait else []:
            while True:
                job = client.job(job_id)
                if job.get("state") in ("done", "dead"):
                    print(json.dumps(job))
                    break
                time.sleep(0.2)
    except NotifydError as error:
        print(f"notifyd_client: {error}", file=sys.stderr)
        return 65 if 400 <= error.status < 500 else 75
    except OSError as error:
        print(f"notifyd_client: {client.socket_path}: {error}", file=sys.stderr)
        return 69
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
