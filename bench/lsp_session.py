#!/usr/bin/env python3
"""Drives a language server through one fixed session over its stdio, each
step awaited before the next, so that the work it causes is the same on
every run (for counting the server's instructions: scripts/perf-guard.sh).

    python3 bench/lsp_session.py --mode push|pull [--edits N] FILE -- COMMAND...

The session: `initialize` (UTF-16, push or pull diagnostics), `didOpen` of
FILE and its diagnostics, then N one-character edits spread over the text
(an `x` typed, then deleted on the next keystroke, as benches/keystrokes.rs
does), each awaited to its diagnostics (push: the `publishDiagnostics` of
its version; pull: the answer to a `textDocument/diagnostic` sent right
after the change, with the last result id), then `shutdown` and `exit`.
After the first diagnostics it waits for the server's log line saying the
rules cache was filled (`RUST_LOG=aam=debug`), so that no edit races that
background work. The server's stderr is passed through to this stderr.
"""

import json
import os
import subprocess
import sys
import threading

URI = "file:///aam-lsp-session/article.aam"


def utf16_position(text, offset):
    line_start = text.rfind("\n", 0, offset) + 1
    line = text.count("\n", 0, offset)
    return {"line": line, "character": len(text[line_start:offset].encode("utf-16-le")) // 2}


class Session:
    def __init__(self, command):
        env = dict(os.environ)
        env.setdefault("RUST_LOG", "aam=debug,info")
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.log = []
        self.log_changed = threading.Condition()
        self.next_id = 1
        self.stderr_reader = threading.Thread(target=self._read_stderr, daemon=True)
        self.stderr_reader.start()

    def _read_stderr(self):
        for line in self.proc.stderr:
            sys.stderr.buffer.write(line)
            with self.log_changed:
                self.log.append(line.decode("utf-8", "replace"))
                self.log_changed.notify_all()

    def wait_log(self, needle):
        with self.log_changed:
            while not any(needle in line for line in self.log):
                if self.proc.poll() is not None:
                    sys.exit(f"lsp_session: the server ended before logging `{needle}`")
                self.log_changed.wait(1.0)

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        request_id = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == request_id and "method" not in m)

    def read(self):
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                sys.exit("lsp_session: the server closed its output")
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        return json.loads(self.proc.stdout.read(length))

    def wait(self, predicate):
        while True:
            message = self.read()
            if "method" in message and "id" in message:
                # A request of the server's: answer it empty.
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
                continue
            if predicate(message):
                return message


def main():
    args = sys.argv[1:]
    if "--" not in args:
        sys.exit(__doc__)
    split = args.index("--")
    options, command = args[:split], args[split + 1 :]
    mode = options[options.index("--mode") + 1] if "--mode" in options else "push"
    edits = int(options[options.index("--edits") + 1]) if "--edits" in options else 20
    edits = max(2, edits) // 2 * 2
    path = next(arg for idx, arg in enumerate(options) if not arg.startswith("--") and (idx == 0 or options[idx - 1] not in ("--mode", "--edits")))
    text = open(path, encoding="utf-8").read()

    capabilities = {"general": {"positionEncodings": ["utf-16"]}, "textDocument": {"publishDiagnostics": {"relatedInformation": True, "versionSupport": True}}}
    if mode == "pull":
        capabilities["textDocument"]["diagnostic"] = {"dynamicRegistration": False}
    session = Session(command)
    session.request("initialize", {"processId": None, "rootUri": None, "capabilities": capabilities})
    session.notify("initialized", {})
    result_id = None

    def diagnostics(version):
        nonlocal result_id
        if mode == "pull":
            params = {"textDocument": {"uri": URI}}
            if result_id is not None:
                params["previousResultId"] = result_id
            answer = session.request("textDocument/diagnostic", params)
            result_id = answer["result"]["resultId"]
        else:
            session.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == version)

    session.notify("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "aam", "version": 1, "text": text}})
    diagnostics(1)
    session.wait_log("warmed the rules cache")
    for idx in range(edits):
        if idx % 2 == 0:
            at = len(text) * (idx // 2) // (edits // 2)
            start = utf16_position(text, at)
            change = {"range": {"start": start, "end": start}, "text": "x"}
            text = text[:at] + "x" + text[at:]
        else:
            end = dict(start, character=start["character"] + 1)
            change = {"range": {"start": start, "end": end}, "text": ""}
            text = text[:at] + text[at + 1 :]
        session.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": idx + 2}, "contentChanges": [change]})
        diagnostics(idx + 2)
    session.request("shutdown", None)
    session.notify("exit", None)
    session.proc.stdin.close()
    status = session.proc.wait()
    session.stderr_reader.join()
    sys.stderr.flush()
    sys.exit(status)


if __name__ == "__main__":
    main()
