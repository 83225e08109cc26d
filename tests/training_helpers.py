"""Run a `kg train-*` command as a user does, for the trainers' tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from kg.cli import cli


def train_twice(
    tmp_path: Path, command: str, docs: list[dict[str, Any]], model_env: str
) -> list[str]:
    """``kg COMMAND`` twice on a corpus whose train split is ``docs``, writing
    ``a.json`` then ``b.json`` in ``tmp_path``; the second run with ``model_env`` naming
    the first run's model, which training must not read.  Asserts both runs succeed and
    write the same bytes; returns each run's output."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = [json.dumps(doc) for doc in docs]
    (corpus / "train.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    runner = CliRunner()
    written, said = [], []
    for name in ("a.json", "b.json"):
        out = tmp_path / name
        env = {model_env: str(tmp_path / "a.json")} if name == "b.json" else {}
        result = runner.invoke(cli, [command, str(corpus), "-o", str(out)], env=env)
        assert result.exit_code == 0, result.output
        written.append(out.read_bytes())
        said.append(result.output)
    assert written[0] == written[1]
    return said
