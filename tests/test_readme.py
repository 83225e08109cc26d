"""Every command README.md's tour shows runs, as a new user would type it, in a folder
holding the sample articles and the corpus (the quickstart's two commands are what CI runs)."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block(heading: str, language: str) -> str:
    section = README.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    found = re.search(rf"```{language}\n(.*?)```", section, re.S)
    assert found, f"README's {heading!r} has no {language} block"
    return found.group(1)


TOUR = [line.split() for line in _block("A five-minute tour", "sh").splitlines() if line]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user's folder: the sample articles and the corpus, and nothing built yet."""
    where = tmp_path_factory.mktemp("tour")
    (where / "seeds").symlink_to(ROOT / "seeds")
    (where / "news-corpus").symlink_to(ROOT / "news-corpus")
    return where


def _kg(args: list[str], where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], cwd=where, capture_output=True, text=True, timeout=300
    )


def test_the_tour_shows_the_commands_it_promises() -> None:
    commands = [args[1] for args in TOUR]
    assert all(args[0] == "kg" for args in TOUR)
    assert {"build", "query", "export", "evaluate", "serve"} <= set(commands)


@pytest.mark.parametrize("args", [a for a in TOUR if a[1] != "serve"], ids=" ".join)
def test_each_tour_command_runs(args: list[str], folder: Path) -> None:
    if args[1] != "build" and not (folder / "my-store").exists():
        assert _kg(["build", "seeds/", "--store", "my-store"], folder).returncode == 0
    result = _kg(args[1:], folder)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() or (folder / "my-export").exists()


def test_the_tour_serve_answers(folder: Path) -> None:
    (args,) = [a for a in TOUR if a[1] == "serve"]
    if not (folder / "my-store").exists():
        assert _kg(["build", "seeds/", "--store", "my-store"], folder).returncode == 0
    with socket.socket() as probe:  # the README's port may be taken here: use a free one
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    shown = args[1:]
    shown[shown.index("--port") + 1] = str(port)
    server = subprocess.Popen(
        [sys.executable, "-m", "kg", *shown], cwd=folder, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                    assert page.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "kg serve did not answer in 60 s"
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_python_tour_runs(folder: Path) -> None:
    code = _block("A five-minute tour", "python")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
