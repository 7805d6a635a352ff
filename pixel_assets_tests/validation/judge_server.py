"""A scripted OpenAI-compatible chat server on 127.0.0.1 (the model service can't run here).

Each POST to ``/v1/chat/completions`` gets the reply the script gives for that call number:
a JSON answer, a malformed one, an HTTP status, or a delay (for timeouts and latency).
Used by the judge tests and by ``bench/validation.py``.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reply:
    """One scripted answer: ``content`` is the assistant message (a chat completion is built
    around it) unless ``body`` gives the whole response body."""

    status: int = 200
    content: str | None = None
    body: str | None = None
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


def scores_json(**overrides: Any) -> str:
    """A valid judge answer (all scores 0.8 unless overridden)."""
    answer = {
        "empathy": 0.8,
        "appropriateness": 0.8,
        "authenticity": 0.8,
        "naturalness": 0.8,
        "overall": 0.8,
        "crisis": False,
        "rationale": "Reflects the feeling and invites more.",
    }
    answer.update(overrides)
    return json.dumps(answer)


def sequence(*replies: Reply) -> Callable[[dict, int], Reply]:
    """Call n gets ``replies[n]``; calls after the last repeat the last."""
    return lambda _request, n: replies[min(n, len(replies) - 1)]


class ScriptedJudgeServer:
    """Context manager: ``with ScriptedJudgeServer(sequence(Reply(...))) as server: server.url``."""

    def __init__(self, script: Callable[[dict, int], Reply]) -> None:
        self.script = script
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def do_POST(self) -> None:  # noqa: N802 (stdlib name)
                length = int(self.headers.get("Content-Length") or 0)
                request = json.loads(self.rfile.read(length) or b"{}")
                with outer._lock:
                    n = len(outer.requests)
                    outer.requests.append(
                        {"path": self.path, "json": request,
                         "authorization": self.headers.get("Authorization")}
                    )
                reply = outer.script(request, n)
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                if reply.body is not None:
                    payload = reply.body
                elif reply.status == 200:
                    payload = json.dumps(
                        {
                            "id": f"chatcmpl-{n}",
                            "object": "chat.completion",
                            "model": request.get("model"),
                            "choices": [
                                {
                                    "index": 0,
                                    "message": {"role": "assistant", "content": reply.content},
                                    "finish_reason": "stop",
                                }
                            ],
                        }
                    )
                else:
                    payload = json.dumps({"error": {"message": f"scripted {reply.status}"}})
                data = payload.encode("utf-8")
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    @property
    def calls(self) -> int:
        return len(self.requests)

    def __enter__(self) -> ScriptedJudgeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def main() -> None:
    """Serve valid answers after a fixed latency until killed; prints the URL first.

    ``python judge_server.py --latency-ms 200`` (the benchmark runs it in its own process, as
    a real model server would be).
    """
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--latency-ms", type=float, default=200.0)
    args = parser.parse_args()
    reply = Reply(content=scores_json(), delay_s=args.latency_ms / 1000)
    with ScriptedJudgeServer(lambda _request, _n: reply) as server:
        print(server.url, flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()
