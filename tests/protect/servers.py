"""Real nginx and HAProxy around generated configuration, on 127.0.0.1 only.

:func:`nginx_check` and :func:`haproxy_check` wrap the files ``protect edge`` writes in
the smallest configuration the programs accept and run their own checkers
(``nginx -t``, ``haproxy -c``). :func:`running_nginx` and :func:`running_haproxy`
start them in front of :class:`Upstream`, a small HTTP server that answers every
request with 200, for the loopback load tests. In CI (``CI`` set) a missing program
fails the test; elsewhere it skips it.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.ci.external import missing

_UPSTREAM_RE = re.compile(r"proxy_pass http://(cg_[a-z0-9_]+);")
START_TIMEOUT = 10.0


def program(name: str) -> str:
    """``name``'s path (``/usr/sbin`` searched too: Debian installs both there)."""
    __tracebackhide__ = True
    found = shutil.which(name, path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")
    if found is None:
        missing(f"{name} is not installed (apt-get install -y --no-install-recommends {name})")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def nginx_config(files: dict[str, str], folder: Path, port: int, upstream: int) -> Path:
    """The generated nginx files included in a minimal nginx.conf in ``folder``."""
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    upstreams = sorted(set(_UPSTREAM_RE.findall(files["nginx-server.conf"])))
    blocks = "".join(f"upstream {u} {{ server 127.0.0.1:{upstream}; }}\n" for u in upstreams)
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""daemon off;
master_process off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/nginx-http.conf;
    {blocks}
    server {{
        listen 127.0.0.1:{port};
        include {folder}/nginx-server.conf;
    }}
}}
""",
        encoding="utf-8",
    )
    return conf


def nginx_check(files: dict[str, str], folder: Path) -> subprocess.CompletedProcess[str]:
    conf = nginx_config(files, folder, free_port(), free_port())
    return subprocess.run(
        [program("nginx"), "-t", "-p", str(folder), "-c", str(conf)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def haproxy_config(files: dict[str, str], folder: Path, port: int, upstream: int) -> list[Path]:
    """The generated HAProxy files around a minimal frontend and backend in ``folder``."""
    tables = folder / "haproxy-tables.cfg"
    tables.write_text(files["haproxy-tables.cfg"], encoding="utf-8")
    main = folder / "haproxy.cfg"
    main.write_text(
        f"""global
    log stdout format raw local0
defaults
    mode http
    log global
    option httplog
    timeout connect 5s
    timeout client 10s
    timeout server 10s
frontend fe_campaign
    bind 127.0.0.1:{port}
{files["haproxy-frontend.cfg"]}
    default_backend be_app
backend be_app
    server app 127.0.0.1:{upstream}
""",
        encoding="utf-8",
    )
    return [main, tables]


def haproxy_check(files: dict[str, str], folder: Path) -> subprocess.CompletedProcess[str]:
    paths = haproxy_config(files, folder, free_port(), free_port())
    command = [program("haproxy"), "-c"]
    for path in paths:
        command += ["-f", str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)


class _Answer(BaseHTTPRequestHandler):
    def _ok(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_GET = do_POST = _ok

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # a burst's connections at once (the default is 5)
    daemon_threads = True


@contextmanager
def upstream() -> Iterator[int]:
    """A small HTTP server on 127.0.0.1 answering 200 to everything; its port."""
    server = _Server(("127.0.0.1", 0), _Answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def running(command: list[str], port: int, output: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``command`` started, once ``port`` on 127.0.0.1 accepts; stopped after. What it
    prints goes to ``output``."""
    with output.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise AssertionError(f"{command[0]} stopped: {output.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError(f"{command[0]} did not start") from None
                time.sleep(0.05)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def running_nginx(files: dict[str, str], folder: Path, upstream_port: int) -> Iterator[int]:
    port = free_port()
    conf = nginx_config(files, folder, port, upstream_port)
    command = [program("nginx"), "-p", str(folder), "-c", str(conf)]
    with running(command, port, folder / "nginx.out"):
        yield port


@contextmanager
def running_haproxy(files: dict[str, str], folder: Path, upstream_port: int) -> Iterator[int]:
    """HAProxy with the generated files; its log (stdout) goes to haproxy.log."""
    port = free_port()
    paths = haproxy_config(files, folder, port, upstream_port)
    command = [program("haproxy"), "-db"]
    for path in paths:
        command += ["-f", str(path)]
    with running(command, port, folder / "haproxy.log"):
        yield port
