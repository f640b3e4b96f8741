"""A mail server of the test's own on a free port: one that accepts connections and never says
a word (a hung server), or a tiny working one that keeps each message it takes."""

import socket
import threading


class SmtpServer:
    def __init__(
        self, *, hang: bool = False, refuse: set[str] = frozenset(), later: set[str] = frozenset()
    ) -> None:
        # refuse: 550 for good; later: 450 (greylisting, "try again later")
        self.hang, self.refuse, self.later = hang, set(refuse), set(later)
        self.received: list[tuple[str, str]] = []  # (recipient, message text)
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return  # closed
            if self.hang:
                self.held.append(conn)  # accepted, never answered
            else:
                threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as lines:

            def say(text: str) -> None:
                conn.sendall(text.encode() + b"\r\n")

            say("220 test ESMTP")
            recipient = ""
            for raw in lines:
                command = raw.decode(errors="replace").strip()
                verb = command[:4].upper()
                if verb in ("EHLO", "HELO"):
                    say("250 test")
                elif verb == "MAIL":
                    say("250 OK")
                elif verb == "RCPT":
                    recipient = command.split("<", 1)[1].split(">", 1)[0]
                    if recipient in self.refuse:
                        say("550 5.1.1 mailbox unavailable")
                    elif recipient in self.later:
                        say("450 4.2.0 greylisted, try again later")
                    else:
                        say("250 OK")
                elif verb == "DATA":
                    say("354 go ahead")
                    body = b"".join(iter(lines.readline, b".\r\n"))
                    self.received.append((recipient, body.decode(errors="replace")))
                    say("250 OK")
                elif verb == "RSET" or verb == "NOOP":
                    say("250 OK")
                elif verb == "QUIT":
                    say("221 bye")
                    return
                else:
                    say("502 not implemented")

    def close(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()
