#!/usr/bin/env python3
"""A local emulator of the HTTP providers notifyd's agents talk to (tests only).

    provider-emulator.py DIR

Listens on 127.0.0.1 (a free port, printed as the first line of stdout) and, per
provider, checks the exact method, path, auth header and body encoding the provider
documents. A request that breaks a rule gets 400 {"emulator_error": ...}.

Every request is appended to DIR/requests.jsonl: provider, method, path, query,
headers (lowercased names), body (text), violation (or null), answered status.

DIR/control.json (re-read on every request) sets a provider's answer:
    {"twilio": {"status": 429, "headers": {"Retry-After": "7"}, "body": {...}},
     "webhook": {"hang": 5}}
"hang": N sleeps N seconds before answering. Without an entry the provider's
documented success answer is sent (201/202/200 with a message id).

DIR/revoke-tokens, when present, makes the next FCM send forget every access token
minted so far (and is removed): that send gets 401 UNAUTHENTICATED.

DIR/fcm-public-key.pem, when present, is the RSA key that must have signed the JWT of
an OAuth2 token exchange (checked with python3-cryptography).
"""
import base64, http.server, json, os, sys, threading, time, urllib.parse

DIR = sys.argv[1]
LOCK = threading.Lock()
TOKENS = set()
COUNTER = [0]


def next_id(prefix):
    with LOCK:
        COUNTER[0] += 1
        return "%s%06d" % (prefix, COUNTER[0])


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_jwt(assertion):
    parts = assertion.split(".")
    if len(parts) != 3:
        return "assertion is not a JWT"
    header, claims = json.loads(b64url_decode(parts[0])), json.loads(b64url_decode(parts[1]))
    if header.get("alg") != "RS256" or header.get("typ") != "JWT":
        return "JWT header is not RS256"
    for claim in ("iss", "scope", "aud", "iat", "exp"):
        if claim not in claims:
            return "JWT lacks " + claim
    if claims["scope"] != "https://www.googleapis.com/auth/firebase.messaging":
        return "wrong scope"
    if claims["exp"] - claims["iat"] > 3600:
        return "JWT lives longer than an hour"
    key_path = os.path.join(DIR, "fcm-public-key.pem")
    if os.path.exists(key_path):
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding
        key = serialization.load_pem_public_key(open(key_path, "rb").read())
        try:
            key.verify(b64url_decode(parts[2]), (parts[0] + "." + parts[1]).encode(), padding.PKCS1v15(), hashes.SHA256())
        except Exception:
            return "JWT signature does not verify"
    return None


def basic_auth(headers):
    value = headers.get("authorization", "")
    if not value.startswith("Basic "):
        return None
    return base64.b64decode(value[6:]).decode().split(":", 1)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.handle_request()

    def do_POST(self):
        self.handle_request()

    def handle_request(self):
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        provider, violation, status, reply_headers, reply = self.route(url, headers, body)
        try:
            control = json.load(open(os.path.join(DIR, "control.json")))
        except (OSError, ValueError):
            control = {}
        behaviour = control.get(provider, {})
        if violation is None and behaviour:
            time.sleep(behaviour.get("hang", 0))
            if "status" in behaviour:
                status = behaviour["status"]
                reply_headers = behaviour.get("headers", {})
                reply = behaviour.get("body", {"error": "emulated %d" % status})
        with LOCK, open(os.path.join(DIR, "requests.jsonl"), "a") as log:
            log.write(json.dumps({"provider": provider, "method": self.command, "path": url.path,
                                  "query": dict(urllib.parse.parse_qsl(url.query)), "headers": headers,
                                  "body": body.decode("utf-8", "replace"), "violation": violation,
                                  "status": status}) + "\n")
        data = json.dumps(reply).encode()
        try:
            self.send_response(status)
            for name, value in reply_headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def route(self, url, headers, body):
        """(provider, violation, status, headers, body) of the documented success answer."""
        path, method = url.path, self.command
        def bad(provider, why):
            return provider, why, 400, {}, {"emulator_error": why}
        def need_json():
            if not headers.get("content-type", "").startswith("application/json"):
                raise ValueError("content type is not application/json")
            return json.loads(body)
        def need_form():
            if headers.get("content-type") != "application/x-www-form-urlencoded":
                raise ValueError("content type is not application/x-www-form-urlencoded")
            return dict(urllib.parse.parse_qsl(body.decode(), strict_parsing=True))

        parts = path.split("/")
        try:
            if len(parts) == 5 and parts[1] == "2010-04-01" and parts[2] == "Accounts" and parts[4] == "Messages.json":
                auth = basic_auth(headers)
                if method != "POST": return bad("twilio", "method is not POST")
                if not auth or auth[0] != parts[3]: return bad("twilio", "basic auth user is not the account SID")
                form = need_form()
                for field in ("To", "From", "Body"):
                    if field not in form: return bad("twilio", "form lacks " + field)
                return "twilio", None, 201, {}, {"sid": next_id("SM"), "status": "queued"}
            if path == "/v3/smtp/email":
                if method != "POST": return bad("brevo", "method is not POST")
                if not headers.get("api-key"): return bad("brevo", "no api-key header")
                message = need_json()
                if "email" not in message.get("sender", {}) or not message.get("to") or "subject" not in message:
                    return bad("brevo", "body lacks sender, to or subject")
                return "brevo", None, 201, {}, {"messageId": "<%s@smtp-relay.mailin.fr>" % next_id("")}
            if path == "/v3/mail/send":
                if method != "POST": return bad("sendgrid", "method is not POST")
                if not headers.get("authorization", "").startswith("Bearer "): return bad("sendgrid", "no bearer token")
                message = need_json()
                if not message.get("personalizations") or "email" not in message.get("from", {}) or not message.get("content"):
                    return bad("sendgrid", "body lacks personalizations, from or content")
                return "sendgrid", None, 202, {"X-Message-Id": next_id("sg")}, {}
            if path == "/token":
                if method != "POST": return bad("oauth", "method is not POST")
                form = need_form()
                if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer":
                    return bad("oauth", "wrong grant_type")
                why = verify_jwt(form.get("assertion", ""))
                if why: return bad("oauth", why)
                token = next_id("ya29.")
                with LOCK:
                    TOKENS.add(token)
                return "oauth", None, 200, {}, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}
            if len(parts) == 5 and parts[1] == "v1" and parts[2] == "projects" and parts[4] == "messages:send":
                if method != "POST": return bad("fcm", "method is not POST")
                auth = headers.get("authorization", "")
                try:
                    os.remove(os.path.join(DIR, "revoke-tokens"))
                    with LOCK:
                        TOKENS.clear()
                except FileNotFoundError:
                    pass
                if not auth.startswith("Bearer ") or auth[7:] not in TOKENS:
                    return "fcm", "unknown bearer token", 401, {}, {"error": {"code": 401, "status": "UNAUTHENTICATED"}}
                message = need_json().get("message", {})
                if not (message.get("token") or message.get("topic")): return bad("fcm", "message lacks token or topic")
                return "fcm", None, 200, {}, {"name": "projects/%s/messages/%s" % (parts[3], next_id(""))}
            if path == "/v1/messages":
                auth = basic_auth(headers)
                if not auth: return bad("bulksms", "no basic auth")
                if method == "POST":
                    message = need_json()
                elif method == "GET":
                    message = dict(urllib.parse.parse_qsl(url.query))
                else:
                    return bad("bulksms", "method is not GET or POST")
                if not message.get("to") or not message.get("body"): return bad("bulksms", "lacks to or body")
                return "bulksms", None, 201, {}, [{"id": next_id(""), "type": "SENT"}]
            if parts[1:2] == ["hook"]:
                if method != "POST": return bad("webhook", "method is not POST")
                need_json()
                return "webhook", None, 200, {"X-Request-Id": next_id("wh")}, {}
            if len(parts) == 2 and parts[1]:
                if method != "POST": return bad("ntfy", "method is not POST")
                if not body: return bad("ntfy", "empty message")
                return "ntfy", None, 200, {}, {"id": next_id("nt"), "topic": parts[1], "event": "message"}
        except ValueError as error:
            return bad(parts[1] if len(parts) > 1 else "unknown", str(error))
        return bad("unknown", "no provider at " + path)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
