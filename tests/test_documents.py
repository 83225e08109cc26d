"""Reading sources: the seed layout, JSON Lines, folders, and every kind of bad input."""

from __future__ import annotations

import io
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
    with pytest.raises(InputError, match="folder holds no .txt, .jsonl"):
        list(iter_records([tmp_path / "empty"]))


def test_repeated_identical_document_is_read_once(tmp_path: Path) -> None:
    line = json.dumps({"id": "a", "text": "same"})
    path = _write(tmp_path / "rep.jsonl", f"{line}\n{line}\n")
    assert [r.id for r in iter_records([path])] == ["a"]


def test_bom_is_dropped_and_offsets_index_the_decoded_text(tmp_path: Path) -> None:
    path = _write(tmp_path / "bom.txt", "\ufeffArmenia und Aserbaidschan.")
    [doc] = list(read_documents([path]))
    assert doc.text.startswith("Armenia")


# --- archive-scale inputs: gzip JSON Lines, web pages, web archives ---------

PAGE = """<html><head><title>Armenia asks the CSTO for help</title>
<meta property="article:published_time" content="2022-09-16T08:40:00+07:00">
<link rel="canonical" href="https://news.example.org/armenia-csto"></head>
<body><nav>Home | World | Sport</nav><article><h1>Armenia asks the CSTO for help</h1>
<p>Armenian Prime Minister Nikol Pashinyan said on Wednesday that Yerevan had formally asked
the CSTO for military help after clashes with Azerbaijan on the border.</p>
<p>The Collective Security Treaty Organization said it would send a mission to Armenia.</p>
<script>document.write("tracking pixel")</script></article>
<footer>Copyright 2022 Example News</footer></body></html>"""


def test_gzip_jsonl(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "corpus.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "z", "text": "Armenia and Azerbaijan."}) + "\n")
    assert [d.id for d in read_documents([path])] == ["z"]


def test_damaged_gzip_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "broken.jsonl.gz", b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(InputError, match=r"broken\.jsonl\.gz:1: damaged compressed file"):
        list(iter_records([path]))


def test_html_page_main_text_title_date_url(tmp_path: Path) -> None:
    path = _write(tmp_path / "page.html", PAGE)
    [doc] = list(read_documents([path]))
    assert doc.id == "page"
    assert doc.title == "Armenia asks the CSTO for help"
    assert doc.url == "https://news.example.org/armenia-csto"
    assert doc.published is not None and doc.published.date().isoformat() == "2022-09-16"
    assert "formally asked" in doc.text
    assert "tracking pixel" not in doc.text and "Copyright" not in doc.text


def _warc_with(path: Path, pages: list[tuple[str, str, str]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))
        for uri, content_type, body in pages:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body.encode()), http_headers=headers
            )
            writer.write_record(record)


def test_warc_html_responses_only(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _warc_with(
        path,
        [
            ("https://news.example.org/a", "text/html; charset=utf-8", PAGE),
            ("https://news.example.org/logo.png", "image/png", "PNG"),
        ],
    )
    docs = list(read_documents([path]))
    assert [d.id for d in docs] == ["https://news.example.org/a"]
    assert "Pashinyan" in docs[0].text


def test_not_a_warc(tmp_path: Path) -> None:
    path = _write(tmp_path / "fake.warc", "this is not a web archive")
    with pytest.raises(InputError, match=r"fake\.warc: not a readable WARC file"):
        list(iter_records([path]))


def test_skip_bad_collects_every_bad_line_and_reads_the_rest(tmp_path: Path) -> None:
    corpus = _write(
        tmp_path / "mixed.jsonl",
        "\n".join(
            [
                json.dumps({"id": "1", "text": "Armenia."}),
                '{"id": "2", "text": ',
                json.dumps({"id": "3"}),
                json.dumps({"id": "4", "text": "Azerbaijan."}),
            ]
        )
        + "\n",
    )
    empty = _write(tmp_path / "empty.txt", "")
    skipped: list[InputError] = []
    records = list(iter_records([corpus, empty], on_error=skipped.append))
    assert [r.id for r in records] == ["1", "4"]
    assert [(e.path, e.line) for e in skipped] == [
        (str(corpus), 2),
        (str(corpus), 3),
        (str(empty), None),
    ]


def test_duplicate_ids_kept_with_a_warning_where_nothing_is_stored(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = _write(
        tmp_path / "dup.jsonl",
        json.dumps({"id": "a", "text": "x"}) + "\n" + json.dumps({"id": "a", "text": "y"}) + "\n",
    )
    docs = list(read_documents([path], keep_duplicate_ids=True))
    assert [d.text for d in docs] == ["x", "y"]
    assert "duplicate id 'a' with a different text" in caplog.text
