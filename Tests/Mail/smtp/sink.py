"""A real SMTP server for the mail tests: Debian's python3-aiosmtpd on 127.0.0.1, keeping every message it accepts
as a file (FOLDER/<n>.eml, with the SMTP envelope beside it in <n>.json), written whole before it answers 250.

Usage: /usr/bin/python3 sink.py PORT FOLDER
Prints "ready" once it listens; runs until killed.
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
    def __init__(self, folder):
        self.folder = folder

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
    os.makedirs(folder, exist_ok=True)
    controller = Controller(Keep(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
