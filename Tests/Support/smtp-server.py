#!/usr/bin/env python3
"""A real SMTP server on loopback for notifyd's tests (python3-aiosmtpd).

    smtp-server.py DIR [--tls CERT KEY | --smtps CERT KEY] [--user NAME PASSWORD]

Prints its port as the first line of stdout. With --tls it offers STARTTLS with that
certificate and requires it before AUTH; with --smtps the whole connection is TLS from
the first byte (implicit TLS, port 465 style); with --user it requires AUTH with that user.
Each accepted message is saved as DIR/N.eml, its envelope as DIR/N.json.
Recipients starting with "reject" are refused with 550 5.1.1; those starting with
"later" with 451 4.3.0.
"""
import asyncio, json, os, socket, ssl, sys
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

args = sys.argv[1:]
DIR = args.pop(0)
tls, implicit, user = None, None, None
while args:
    option = args.pop(0)
    if option in ("--tls", "--smtps"):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.pop(0), args.pop(0))
        if option == "--tls":
            tls = context
        else:
            implicit = context
    elif option == "--user":
        user = (args.pop(0), args.pop(0))


class Handler:
    count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if address.startswith("later"):
            return "451 4.3.0 <%s>: Temporary lookup failure" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        Handler.count += 1
        name = os.path.join(DIR, str(Handler.count))
        with open(name + ".eml", "wb") as f:
            f.write(envelope.original_content)
        with open(name + ".json", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                       "auth": session.authenticated,
                       "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None}, f)
        return "250 2.0.0 Ok: queued as Q%d" % Handler.count


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = user is not None and auth_data.login.decode() == user[0] and auth_data.password.decode() == user[1]
    # handled=False: aiosmtpd answers a refusal itself, 535 5.7.8 (its default would send nothing).
    return AuthResult(success=ok, handled=False)


probe = socket.socket()
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
controller = Controller(Handler(), hostname="127.0.0.1", port=port, tls_context=tls, require_starttls=tls is not None,
                        ssl_context=implicit,
                        authenticator=authenticator if user else None, auth_required=user is not None,
                        auth_require_tls=tls is not None, server_hostname="localhost")
controller.start()
print(port, flush=True)
try:
    asyncio.new_event_loop().run_forever()
finally:
    controller.stop()
