"""A real SMTP server for the mail tests: Debian's python3-aiosmtpd on 127.0.0.1, keeping every message it accepts
as a file (FOLDER/<n>.eml, with the SMTP envelope beside it in <n>.json), written whole before it answers 250.

Usage: /usr/bin/python3 sink.py PORT FOLDER [REFUSE]
With REFUSE, every recipient whose address contains it is refused with a 550 that repeats the address, as many
servers do. Prints "ready" once it listens; runs until killed.
"""
import json
import os
import sys
import threading
import time
import uuid

try:
    from aiosmtpd.controller import Controller
except ImportError:
    sys.exit("python3-aiosmtpd is not installed: apt-get install -y python3-aiosmtpd")


class Keep:
    def __init__(self, folder, refuse=None):
        self.folder = folder
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse and self.refuse.lower() in address.lower():
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time_ns()}-{uuid.uuid4().hex}"
        with open(os.path.join(self.folder, name + ".json"), "w", encoding="utf-8") as f:
            json.dump({"mailFrom": envelope.mail_from, "rcptTos": envelope.rcpt_tos}, f)
        tmp = os.path.join(self.folder, name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(envelope.original_content)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, os.path.join(self.folder, name + ".eml"))
        return "250 Message accepted"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    refuse = sys.argv[3] if len(sys.argv) > 3 else None
    os.makedirs(folder, exist_ok=True)
    controller = Controller(Keep(folder, refuse), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
