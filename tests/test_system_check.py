"""tools/check-system.sh, which `make setup` runs before pip: a machine without the ICU
headers (or a C++ compiler) and without a usable apt-get gets one line saying what to
install, instead of a failure deep inside PyICU's build."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "tools" / "check-system.sh"


def _bin_with(folder: Path, tools: dict[str, str]) -> str:
    """A PATH of only ``folder``, holding stub tools (name -> shell body) and ``id``."""
    folder.mkdir()
    for name, body in tools.items():
        stub = folder / name
        stub.write_text(f"#!/bin/sh\n{body}\n")
        stub.chmod(0o755)
    real_id = shutil.which("id")
    assert real_id is not None
    (folder / "id").symlink_to(real_id)
    return str(folder)


def _run(path: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": path, "PKG_CONFIG_PATH": "", "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        ["/bin/sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30
    )


def test_without_icu_and_apt_it_says_in_one_line_what_to_install(tmp_path: Path) -> None:
    # pkg-config finds no icu-uc; no apt-get, no sudo, no compiler on the PATH.
    result = _run(_bin_with(tmp_path / "bin", {"pkg-config": "exit 1"}))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "ICU headers" in lines[0] and "libicu-dev pkg-config g++" in lines[0]
    assert "brew install icu4c" in lines[0] and "dnf install libicu-devel" in lines[0]


def test_with_icu_and_a_compiler_it_passes_quietly(tmp_path: Path) -> None:
    result = _run(_bin_with(tmp_path / "bin", {"pkg-config": "exit 0", "c++": "exit 0"}))
    assert (result.returncode, result.stderr) == (0, "")


def test_a_compiler_missing_is_found_out_too(tmp_path: Path) -> None:
    result = _run(_bin_with(tmp_path / "bin", {"pkg-config": "exit 0"}))
    assert result.returncode == 1 and "C++ compiler" in result.stderr
