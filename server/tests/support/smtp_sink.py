"""A real SMTP server on loopback for the invitation tests (aiosmtpd from PyPI).

Usage: python3 smtp_sink.py PORT
Prints "ready" once listening, then one JSON line per message received:
{"from", "to", "subject", "body", "ics"} (the text/plain part and the text/calendar part).
"""
import asyncio
import email
import json
import sys
from email import policy

from aiosmtpd.controller import Controller


class Sink:
    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        body = ics = ""
        for part in msg.walk():
            ctype = part.get_content_type()
            if ctype == "text/plain" and not body:
                body = part.get_content()
            elif ctype == "text/calendar":
                ics = part.get_content()
                if isinstance(ics, bytes):
                    ics = ics.decode("utf-8")
        print(json.dumps({
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "subject": str(msg["subject"]),
            "body": body,
            "ics": ics,
        }), flush=True)
        return "250 OK"


async def main(port):
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        controller.stop()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
