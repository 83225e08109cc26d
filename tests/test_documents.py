"""Reading sources: the seed layout, JSON Lines, folders, and every kind of bad input."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from kg.documents import iter_records, parse_published, read_documents
from kg.errors import InputError


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_seed_article_layout(seed_path: Path) -> None:
    [doc] = list(read_documents([seed_path]))
    assert doc.id == "jitunews-2022-09-16-armenia-csto"
    assert doc.lang == "id"
    assert doc.published == datetime(2022, 9, 16, 8, 40, tzinfo=timezone(timedelta(hours=7)))
    assert doc.published_iso == "2022-09-16T08:40:00+07:00"
    assert doc.title is not None and doc.title.startswith("PM Armenia mengatakan")
    # The timestamp line and the closing source line are not article body.
    assert not any(span.text.startswith("16 September 2022") for span in doc.body)
    assert not any("bersumber dari" in span.text for span in doc.body)
    for span in doc.body:
        assert doc.text[span.start : span.end] == span.text


def test_text_article_without_timestamp_or_source(tmp_path: Path) -> None:
    path = _write(tmp_path / "plain.txt", "Armenia asked the CSTO for help.\nMore text.\n")
    [doc] = list(read_documents([path]))
    assert doc.published is None
    assert doc.lang == "en"
    assert [s.text for s in doc.body] == ["Armenia asked the CSTO for help.", "More text."]


def test_jsonl_corpus_fields(tmp_path: Path) -> None:
    lines = [
        {"id": "a", "text": "Die NATO tagte in Brüssel.", "published": "2023-04-04"},
        {"id": 7, "text": "Россия и Армения.", "lang": "ru", "url": "https://example.org/7"},
    ]
    path = _write(tmp_path / "c.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n\n")
    docs = list(read_documents([path]))
    assert [d.id for d in docs] == ["a", "7"]
    assert docs[0].lang == "de" and docs[0].published == datetime(2023, 4, 4)
    assert docs[1].lang == "ru" and docs[1].url == "https://example.org/7"
    assert docs[1].source == f"{path}:2"


def test_folder_reads_txt_and_jsonl_in_order(tmp_path: Path) -> None:
    _write(tmp_path / "b.txt", "Second article text.")
    _write(tmp_path / "a.jsonl", json.dumps({"id": "first", "text": "First."}) + "\n")
    _write(tmp_path / "notes.md", "ignored")
    assert [d.id for d in read_documents([tmp_path])] == ["first", "b"]


def test_non_iso_dates_keep_their_zone() -> None:
    moscow = parse_published("16 сентября 2022 08:40 MSK", "x")
    assert moscow.utcoffset() == timedelta(hours=3)
    assert parse_published("2022-09-16T08:40:00+07:00", "x").utcoffset() == timedelta(hours=7)
    assert parse_published("16 September 2022", "x").tzinfo is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", "", "empty.txt: empty file"),
        ("blank.txt", "  \n\n", "blank.txt: empty file"),
        ("bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "bin.txt: binary file"),
        (
            "latin.txt",
            b"Armenia\n" + "Caf\xe9".encode("latin-1"),
            "latin.txt:2: invalid UTF-8 at byte 11",
        ),
        ("date.txt", "31 Smarch 2022 08:40 WIB\nText.", "date.txt:1: unparseable date"),
        (
            "bad.jsonl",
            '{"id": "a", "text": "ok"}\n{"id": "b", "text": \n',
            "bad.jsonl:2: malformed JSON",
        ),
        ("notext.jsonl", '{"id": "a"}\n', "notext.jsonl:1: missing 'text'"),
        (
            "typed.jsonl",
            '{"id": "a", "text": 5}\n',
            "typed.jsonl:1: 'text' must be a non-empty string",
        ),
        ("noid.jsonl", '{"text": "x"}\n', "noid.jsonl:1: missing or invalid 'id'"),
        ("array.jsonl", "[1, 2]\n", "array.jsonl:1: a line must hold a JSON object"),
        (
            "when.jsonl",
            '{"id": "a", "text": "x", "published": "not a date"}\n',
            "when.jsonl:1: unparseable date",
        ),
        (
            "lang.jsonl",
            '{"id": "a", "text": "x", "lang": 3}\n',
            "lang.jsonl:1: 'lang' must be a string",
        ),
        ("empty.jsonl", "\n\n", "empty.jsonl: no documents"),
        (
            "dup.jsonl",
            '{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n',
            "dup.jsonl:2: duplicate id 'a'",
        ),
        ("notes.md", "hello", "notes.md: unsupported file type"),
    ],
)
def test_bad_input_is_one_line_naming_file_and_line(
    tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    path = _write(tmp_path / name, content)
    with pytest.raises(InputError) as raised:
        list(iter_records([path]))
    text = str(raised.value)
    assert "\n" not in text
    assert text.startswith(str(tmp_path)), text
    assert message in text, text


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        list(iter_records([tmp_path / "nope.txt"]))
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="folder holds no .txt or .jsonl files"):
        list(iter_records([tmp_path / "empty"]))


def test_repeated_identical_document_is_read_once(tmp_path: Path) -> None:
    line = json.dumps({"id": "a", "text": "same"})
    path = _write(tmp_path / "rep.jsonl", f"{line}\n{line}\n")
    assert [r.id for r in iter_records([path])] == ["a"]


def test_bom_is_dropped_and_offsets_index_the_decoded_text(tmp_path: Path) -> None:
    path = _write(tmp_path / "bom.txt", "\ufeffArmenia und Aserbaidschan.")
    [doc] = list(read_documents([path]))
    assert doc.text.startswith("Armenia")
