"""A real SMTP server for the mail tests: aiosmtpd with STARTTLS or implicit TLS, required login, and a first
recipient refused with a temporary 451 when asked (to see the client retry). Messages go to a Maildir.
Usage: smtp_server.py PORT MAILDIR none|starttls|implicit CERT KEY USER PASSWORD REFUSE_FIRST(0|1)"""
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword

port, maildir, tls, cert, key, user, password, refuse_first = sys.argv[1:9]


class Handler(Mailbox):
    refused = refuse_first != "1"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if not Handler.refused:
            Handler.refused = True
            print("refused", address, flush=True)
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def authenticate(server, session, envelope, mechanism, data):
    ok = isinstance(data, LoginPassword) and data.login == user.encode() and data.password == password.encode()
    print("auth", mechanism, "ok" if ok else "refused", flush=True)
    # handled=False: aiosmtpd answers a refusal with 535 itself (with the default, True, it answers nothing).
    return AuthResult(success=ok, handled=False)


options = {}
if tls != "none":
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    if tls == "starttls":
        options = dict(tls_context=context, require_starttls=True)
    else:
        # The whole connection is TLS: login needs no STARTTLS first.
        options = dict(ssl_context=context, auth_require_tls=False)
if user:
    options.update(authenticator=authenticate, auth_required=True)
controller = Controller(Handler(maildir), hostname="127.0.0.1", port=int(port), **options)
controller.start()
print("ready", flush=True)
while True:
    time.sleep(3600)
