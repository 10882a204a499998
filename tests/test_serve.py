"""`catalog serve`: says where it serves, takes --port, and explains a busy port in Chinese."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from generator.cli import main

from .conftest import Writer, course_yaml


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_busy_port_is_one_chinese_message(project: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    root = project()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["--root", str(root), "serve", "--port", str(port)])
    out, err = capsys.readouterr()
    assert code == 1
    assert err.splitlines()[0].startswith(f"端口 {port} 已被占用")
    assert f"catalog serve --port {port + 1}" in err
    assert "Traceback" not in out + err


def test_serve_prints_its_address_and_previews_drafts(project: Writer, tmp_path: Path) -> None:
    draft = course_yaml("draft-course", "草稿课", "tour") + "status: draft\n"
    root = project({"content/courses/tour/draft-course.yml": draft})
    port = free_port()
    command = [sys.executable, "-m", "generator.cli", "--root", str(root), "serve", "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        assert first.startswith(f"本地预览：http://127.0.0.1:{port}/")
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/courses/draft-course/", timeout=5) as response:
                    page = response.read().decode("utf-8")
                    assert "草稿课" in page and 'class="cc-draft"' in page
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)
