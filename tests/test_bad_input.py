"""Every kind of bad input of issue 8, through ``kg build`` as a user runs it.

For each: no crash (no traceback), one clear line naming the file (and line), exit
code 2, and the store exactly as it was (sorted N-Quads before and after).  The
failing corpora put good documents *before* the bad one, so "unchanged" also shows
that a build checks all of its input before it writes anything.  Inputs that are odd
but legitimate (a 1 MB line, right-to-left text, HTML with scripts) must build, with
every offset still pointing at its text.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pyoxigraph import Literal, RdfFormat
from pyoxigraph import Store as OxStore

from kg.builder import BuildOptions, build
from kg.cli.build import EXIT_SKIPPED
from kg.errors import InputError
from kg.store import Store
from kg.validate import validate_store

KG = [sys.executable, "-m", "kg"]
MB = 1024 * 1024


def run_kg(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("GEOKG_STORE", None)
    env.pop("GEOKG_MAX_DOCUMENT_CHARS", None)
    return subprocess.run(
        [*KG, *map(str, args)], env=env, capture_output=True, text=True, timeout=300
    )


def nquads(store: Path) -> list[str]:
    return sorted(
        OxStore.read_only(str(store)).dump(format=RdfFormat.N_QUADS).decode().splitlines()
    )


def jsonl(*items: object) -> bytes:
    return "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items).encode("utf-8")


GOOD = [
    {"id": "good-1", "text": "Armenia asked the CSTO for help.", "published": "2022-09-16"},
    {"id": "good-2", "text": "Azerbaijan accused Armenia of shelling.", "lang": "en"},
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store with two documents, shared by every refusal (none may change it)."""
    folder = tmp_path_factory.mktemp("base")
    corpus = folder / "base.jsonl"
    corpus.write_bytes(jsonl({"id": "base", "text": "Russia and Belarus held talks in Minsk."}))
    result = run_kg("build", corpus, "--store", folder / "store")
    assert result.returncode == 0, result.stderr
    return folder / "store"


def assert_refused(result: subprocess.CompletedProcess[str], where: str, problem: str) -> str:
    """Exit code 2 and exactly one line on stderr: 'Error: <where>: ...<problem>...'."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert result.returncode == 2, result.stderr
    [line] = lines
    assert line.startswith(f"Error: {where}: "), line
    assert problem in line, line
    assert len(line) < 400, "a one-line message, not a dump of the input"
    return line


# --- refusals: one case per bad input -----------------------------------------------


def _noise(size: int) -> bytes:
    """Random bytes that are not UTF-8 and hold no NUL (so the decoder must catch them)."""
    rng = random.Random(8)
    data = b"\xff\xff" + bytes(rng.randrange(1, 256) for _ in range(size - 2))
    assert b"\x00" not in data
    return data


def _fifty_mb_article() -> bytes:
    paragraph = (
        "Armenia asked the Collective Security Treaty Organization for help after clashes "
        "with Azerbaijan near the border; Moscow and Minsk called for restraint.\n"
    )
    return (paragraph * (50 * MB // len(paragraph) + 1)).encode("utf-8")[: 50 * MB]


def _fifty_mb_jsonl() -> bytes:
    text = _fifty_mb_article().decode("utf-8")
    return jsonl(GOOD[0], {"id": "huge", "text": text}, GOOD[1])


# name -> (file content, where the message points (relative to tmp_path), problem)
Case = tuple[Callable[[], bytes], str, str]
CASES: dict[str, Case] = {
    "empty file": (lambda: b"", "empty.txt", "empty file"),
    "blank file": (lambda: b"  \n\n\t\n", "blank.txt", "empty file"),
    "empty corpus": (lambda: b"\n\n", "empty.jsonl", "no documents (empty file)"),
    "binary file (PNG named .txt)": (
        lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "image.txt",
        "binary file (NUL bytes), not text",
    ),
    "binary file (random bytes, no NUL)": (
        lambda: _noise(4096),
        "noise.txt:1",
        "invalid UTF-8 at byte 0",
    ),
    "UTF-16 text": (
        lambda: "\ufeffArmenia meminta bantuan CSTO.".encode("utf-16-le"),
        "utf16.txt",
        "UTF-16 or UTF-32 text (byte-order mark); save it as UTF-8",
    ),
    "binary file (unknown type)": (lambda: b"\x89PNG\x00", "photo.png", "unsupported file type"),
    "binary line in a corpus": (
        lambda: jsonl(*GOOD) + b'{"id": "x", "text": "\x00\x01"}\n',
        "binary.jsonl:3",
        "binary file (NUL bytes)",
    ),
    "invalid UTF-8 (Latin-1 text)": (
        lambda: "Armenia dan Azerbaijan\nCafé di Yerevan".encode("latin-1"),
        "latin1.txt:2",
        "invalid UTF-8 at byte 26 (invalid continuation byte)",
    ),
    "invalid UTF-8 in a corpus line": (
        lambda: jsonl(*GOOD) + '{"id": "x", "text": "Café"}\n'.encode("cp1252"),
        "cp1252.jsonl:3",
        # Offsets count from the start of the file, not of the line.
        f"invalid UTF-8 at byte {len(jsonl(*GOOD)) + 24}",
    ),
    "truncated UTF-8 sequence": (
        lambda: "Россия".encode()[:-1],
        "truncated.txt:1",
        "invalid UTF-8 at byte 10 (unexpected end of data)",
    ),
    "corrupt gzip stream": (
        lambda: b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff",
        "corrupt.jsonl.gz:1",
        "damaged compressed file (Error -3 while decompressing data: invalid block type)",
    ),
    "web archive cut inside a record's headers": (
        lambda: b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nabc",
        "cut.warc",
        "damaged WARC file at record 1 (garbled or cut headers)",
    ),
    "corrupt gzip web archive": (
        lambda: b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff",
        "corrupt.warc.gz",
        "not a readable WARC file (Error -3 while decompressing data: invalid block type)",
    ),
    "50 MB document": (_fifty_mb_article, "huge.txt", "document too large (52,428,800 bytes"),
    "6 MB document (under the byte bound, over the character limit)": (
        lambda: _fifty_mb_article()[: 6 * 1000 * 1000],
        "six.txt",
        "document too large (6,000,000 characters; the limit is 5,000,000",
    ),
    "50 MB corpus line": (_fifty_mb_jsonl, "huge.jsonl:2", "document too large"),
    "lone surrogate escaped in JSON": (
        lambda: jsonl(*GOOD) + b'{"id": "x", "text": "Armenia \\ud800 asked NATO."}\n',
        "surrogate.jsonl:3",
        "'text' holds a lone surrogate \\ud800 at character 8 (not valid Unicode)",
    ),
    "malformed JSON": (
        lambda: jsonl(*GOOD) + b'{"id": "bad", "text": "unterminated\n',
        "malformed.jsonl:3",
        "malformed JSON (Invalid control character at, column 36)",
    ),
    "not a JSON object": (lambda: jsonl(*GOOD, ["id", "text"]), "array.jsonl:3", "JSON object"),
    "missing text": (lambda: jsonl(*GOOD, {"id": "x"}), "notext.jsonl:3", "missing 'text'"),
    "missing id": (lambda: jsonl(*GOOD, {"text": "x"}), "noid.jsonl:3", "missing or invalid 'id'"),
    "text of the wrong type": (
        lambda: jsonl(*GOOD, {"id": "x", "text": ["Armenia"]}),
        "typed.jsonl:3",
        "'text' must be a non-empty string",
    ),
    "impossible ISO date": (
        lambda: jsonl(*GOOD, {"id": "x", "text": "Armenia.", "published": "2022-02-30"}),
        "feb30.jsonl:3",
        "impossible date '2022-02-30' (day is out of range for month)",
    ),
    "month 13": (
        lambda: jsonl(*GOOD, {"id": "x", "text": "Armenia.", "published": "2022-13-01"}),
        "month13.jsonl:3",
        "impossible date '2022-13-01' (month must be in 1..12)",
    ),
    "unknown month name": (
        lambda: jsonl(*GOOD, {"id": "x", "text": "Armenia.", "published": "31 Smarch 2022"}),
        "smarch.jsonl:3",
        "unparseable date '31 Smarch 2022'",
    ),
    "impossible date in an article's first line": (
        lambda: b"30 Februari 2022 08:40 WIB\nArmenia meminta bantuan CSTO.",
        "februari.txt:1",
        "unparseable date '30 Februari 2022 08:40 WIB'",
    ),
    "duplicate id with another text": (
        lambda: jsonl(*GOOD, {"id": "good-1", "text": "Russia left the CSTO."}),
        "dup.jsonl:3",
        "duplicate id 'good-1' with a different text (first read at",
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_input_is_refused_with_one_line_and_the_store_unchanged(
    case: str, store: Path, tmp_path: Path
) -> None:
    content, where, problem = CASES[case]
    name = where.split(":")[0]
    path = tmp_path / name
    path.write_bytes(content())
    before = nquads(store)
    started = time.monotonic()
    result = run_kg("build", path, "--store", store)
    seconds = time.monotonic() - started
    assert_refused(result, str(tmp_path / where), problem)
    assert nquads(store) == before
    assert seconds < 60, f"refusing {case} took {seconds:.0f} s"


def test_duplicate_id_across_files_is_refused(store: Path, tmp_path: Path) -> None:
    """Two files, one id, two texts: refused whichever file comes first and whatever the
    number of workers (before, 1 worker kept the first text and 2 workers the second)."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "report.txt").write_text("Armenia asked NATO for help.\n", encoding="utf-8")
    (tmp_path / "b" / "report.txt").write_text("Russia asked Iran for drones.\n", encoding="utf-8")
    before = nquads(store)
    for workers in ("1", "2"):
        result = run_kg(
            "build", tmp_path / "a", tmp_path / "b", "--store", store, "--workers", workers
        )
        assert_refused(
            result,
            str(tmp_path / "b" / "report.txt"),
            f"duplicate id 'report' with a different text (first read at {tmp_path / 'a'}",
        )
    assert nquads(store) == before


def test_repeated_identical_document_across_files_is_built_once(tmp_path: Path) -> None:
    corpus = tmp_path / "one.jsonl"
    corpus.write_bytes(jsonl(GOOD[0]))
    again = tmp_path / "two.jsonl"
    again.write_bytes(jsonl(GOOD[0], GOOD[1]))
    summary = build([corpus, again], tmp_path / "store")
    assert summary.documents == 2
    with Store.open(tmp_path / "store", read_only=True) as store:
        assert len(store.document_graphs()) == 2


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("text", "", "'text' must be a non-empty string"),
        ("text", "   \n", "'text' must be a non-empty string"),
        ("text", 5, "'text' must be a non-empty string"),
        ("text", None, "missing 'text'"),
        ("id", True, "missing or invalid 'id'"),
        ("id", "", "missing or invalid 'id'"),
        ("id", [1], "missing or invalid 'id'"),
        ("id", 1.5, "missing or invalid 'id'"),
        ("lang", 3, "'lang' must be a string, not int"),
        ("url", {"href": "x"}, "'url' must be a string, not dict"),
        ("title", ["a"], "'title' must be a string, not list"),
        ("published", 20220916, "'published' must be a string, not int"),
        ("published", "yesterday", "unparseable date 'yesterday'"),
        ("published", "1e9", "unparseable date '1e9'"),
        ("published", "2023-02-29T10:00", "impossible date"),
        ("published", "2022-09-16T25:00", "unparseable date"),
    ],
)
def test_missing_or_wrong_typed_field_stops_the_build_before_any_write(
    field: str, value: object, problem: str, store: Path, tmp_path: Path
) -> None:
    item: dict[str, object] = {"id": "x", "text": "Armenia asked the CSTO for help."}
    item[field] = value
    corpus = tmp_path / "fields.jsonl"
    corpus.write_bytes(jsonl(*GOOD, item))
    before = nquads(store)
    with pytest.raises(InputError) as raised:
        build([corpus], store)
    assert str(raised.value).startswith(f"{corpus}:3: {problem}"), str(raised.value)
    assert "\n" not in str(raised.value)
    assert nquads(store) == before


# --- --skip-bad: carry on, report every skipped line at the end -------------------


def test_skip_bad_builds_the_rest_and_reports_every_skipped_line(tmp_path: Path) -> None:
    corpus = tmp_path / "mixed.jsonl"
    lines = [
        jsonl(GOOD[0]),  # 1
        b'{"id": "b", "text": \n',  # 2 malformed
        jsonl({"id": "c"}),  # 3 missing text
        '{"id": "d", "text": "Café"}\n'.encode("latin-1"),  # 4 invalid UTF-8
        jsonl(GOOD[1]),  # 5
        jsonl({"id": "e", "text": "Armenia.", "published": "2022-02-30"}),  # 6 impossible date
        jsonl({"id": "good-1", "text": "Another text."}),  # 7 duplicate id
        b"\n",  # 8 blank: not an error
        jsonl({"id": "f", "text": "x" * 10, "lang": 7}),  # 9 wrong type
    ]
    corpus.write_bytes(b"".join(lines))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run_kg("build", corpus, empty, "--store", tmp_path / "store", "--skip-bad")
    assert result.returncode == EXIT_SKIPPED, result.stderr  # built, but not a clean run
    assert "Traceback" not in result.stderr
    assert "Built 2 document(s)" in result.stdout and "Skipped 7 bad input(s)." in result.stdout
    # Every skipped input, one line each, in input order, after the build.
    reported = result.stderr.strip().splitlines()
    assert [line.split(": ", 2)[1] for line in reported] == [
        f"{corpus}:{n}" for n in (2, 3, 4, 6, 7, 9)
    ] + [str(empty)]
    assert all(line.startswith("skipped: ") for line in reported)
    # The store holds the good documents, exactly as a build of them alone writes them.
    good_only = tmp_path / "good.jsonl"
    good_only.write_bytes(jsonl(*GOOD))
    build([good_only], tmp_path / "reference")
    assert _document_quads(tmp_path / "store") == _document_quads(tmp_path / "reference")


def _document_quads(store: Path) -> dict[str, list[str]]:
    with Store.open(store, read_only=True) as opened:
        return {
            graph: sorted(opened.dump("nquads", graph=graph).decode().splitlines())
            for graph in opened.document_graphs()
        }


def test_huge_file_is_refused_before_it_is_read(store: Path, tmp_path: Path) -> None:
    """An 8 GiB file (sparse: no disk used) is refused from its size, in seconds, without
    reading 8 GiB into memory."""
    path = tmp_path / "dump.txt"
    with open(path, "wb") as handle:
        handle.truncate(8 * 1024 * MB)
    before = nquads(store)
    started = time.monotonic()
    result = run_kg("build", path, "--store", store)
    assert time.monotonic() - started < 30
    assert_refused(result, str(path), "document too large (8,589,934,592 bytes; the limit is")
    assert nquads(store) == before


def test_skip_bad_skips_a_50_mb_document_quickly(tmp_path: Path) -> None:
    corpus = tmp_path / "huge.jsonl"
    corpus.write_bytes(_fifty_mb_jsonl())
    started = time.monotonic()
    summary = build([corpus], tmp_path / "store", BuildOptions(skip_bad=True))
    assert time.monotonic() - started < 60
    assert summary.documents == 2
    assert [(e.line, e.problem.split(" (")[0]) for e in summary.skipped] == [
        (2, "document too large")
    ]


# --- odd but legitimate input: builds, offsets intact ------------------------------

MIXED = (
    "🇦🇲 Armenia and Azerbaijan met in Brussels. "
    "\u200fوقالت وزارة الخارجية الأرمنية إن Armenia طلبت المساعدة من CSTO.\u200f "
    "\u202bהממשלה בירוואן אמרה כי Armenia תפנה ל-NATO.\u202c "
    "Россия и Армения — союзники; 俄罗斯 und die Türkei; e\u0301 Yerevan 👩\u200d👩\u200d👧."
)

HTML = """<!DOCTYPE html>
<html><head><title>Armenia &amp; Azerbaijan: talks in Brussels</title>
<script>var secret = "SCRIPT-IN-HEAD";</script>
<style>body { content: "STYLE-TEXT"; }</style></head>
<body><nav>Home | World</nav><article><h1>Armenia &amp; Azerbaijan: talks in Brussels</h1>
<p>Armenian Prime Minister Nikol Pashinyan said on Wednesday that Yerevan had asked the CSTO
for help after clashes with Azerbaijan &mdash; the &quot;worst&quot; since 2020. Caf&eacute;
owners in Yerevan &#8212; and in Baku &#x2014; were worried.</p>
<script>document.write("SCRIPT-IN-BODY")</script>
<p onclick="alert('HANDLER-TEXT')">The alliance said it would send a mission to Armenia,
according to a post quoted as &lt;script&gt;alert(1)&lt;/script&gt; by trolls.</p>
<noscript>NOSCRIPT-TEXT</noscript></article></body></html>"""


def _one_mb_line() -> str:
    """1 MiB without a space or a newline: random letters, digits and glued names."""
    rng = random.Random(1)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    parts: list[str] = []
    while sum(map(len, parts)) < MB:
        parts.append("".join(rng.choices(alphabet, k=rng.randint(5, 60))))
        parts.append(rng.choice(["Armenia", "NATO", "Россия", ",", "-", "."]))
    return "".join(parts)[:MB]


@pytest.fixture(scope="module")
def odd(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """One CLI build of the three odd inputs; the texts each was made from, by document id."""
    folder = tmp_path_factory.mktemp("odd")
    line = _one_mb_line()
    (folder / "oneline.txt").write_text(line, encoding="utf-8")
    (folder / "mixed.jsonl").write_bytes(jsonl({"id": "mixed", "text": MIXED}))
    (folder / "page.html").write_text(HTML, encoding="utf-8")
    store = folder / "store"
    started = time.monotonic()
    result = run_kg(
        "build", folder / "oneline.txt", folder / "mixed.jsonl", folder / "page.html",
        "--store", store, "--annotations", "full",  # every mention, to check its offsets
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Built 3 document(s)" in result.stdout
    assert time.monotonic() - started < 60
    return store, {"oneline": line, "mixed": MIXED}


def _stored_text(store: Path, doc_id: str) -> str:
    with Store.open(store, read_only=True) as opened:
        table = opened.query(
            "SELECT ?id ?text WHERE { ?d dcterms:identifier ?id ; gk:hasContext ?c . "
            "?c nif:isString ?text }",
            {"id": Literal(doc_id)},
        )
    [(_, text)] = table.rows
    assert isinstance(text, Literal)
    return text.value


def _mentions(store: Path, doc_id: str) -> list[tuple[int, int, str]]:
    with Store.open(store, read_only=True) as opened:
        table = opened.query(
            "SELECT ?id ?b ?e ?anchor WHERE { ?d dcterms:identifier ?id ; gk:hasContext ?c . "
            "?m nif:referenceContext ?c ; nif:beginIndex ?b ; nif:endIndex ?e ; "
            "nif:anchorOf ?anchor }",
            {"id": Literal(doc_id)},
        )
    found = []
    for _, b, e, anchor in table.rows:
        assert isinstance(b, Literal) and isinstance(e, Literal) and isinstance(anchor, Literal)
        found.append((int(b.value), int(e.value), anchor.value))
    return sorted(found)


def test_one_mb_line_without_spaces_is_stored_whole(odd: tuple[Path, dict[str, str]]) -> None:
    store, texts = odd
    assert _stored_text(store, "oneline") == texts["oneline"]
    for start, end, anchor in _mentions(store, "oneline"):
        assert texts["oneline"][start:end] == anchor


def test_mixed_scripts_and_right_to_left_text_keep_their_offsets(
    odd: tuple[Path, dict[str, str]],
) -> None:
    store, _ = odd
    text = _stored_text(store, "mixed")
    assert text == MIXED  # bidi marks, ZWJ sequences and combining accents kept as they were
    mentions = _mentions(store, "mixed")
    for start, end, anchor in mentions:
        assert text[start:end] == anchor
    # Offsets count code points: the flag emoji (two astral characters) before Armenia
    # shifts it by 3, not by the 5 UTF-16 units or 9 UTF-8 bytes.
    assert (3, 10, "Armenia") in mentions
    assert (MIXED.index("Armenia", 50), MIXED.index("Armenia", 50) + 7, "Armenia") in mentions
    assert any(anchor == "Россия" for _, _, anchor in mentions)


def test_html_scripts_are_not_text_and_entities_are_decoded(
    odd: tuple[Path, dict[str, str]],
) -> None:
    store, _ = odd
    text = _stored_text(store, "page")
    for hidden in ("SCRIPT-IN-HEAD", "SCRIPT-IN-BODY", "STYLE-TEXT", "HANDLER-TEXT", "alert('"):
        assert hidden not in text
    assert "Armenia & Azerbaijan" in text and "&amp;" not in text
    assert "Café" in text and '— the "worst"' in text and "Baku —" in text
    # An entity-escaped tag is article text (escaped again wherever it is shown).
    assert "<script>alert(1)</script>" in text
    for start, end, anchor in _mentions(store, "page"):
        assert text[start:end] == anchor


def test_odd_inputs_pass_validation(odd: tuple[Path, dict[str, str]]) -> None:
    store, _ = odd
    with Store.open(store, read_only=True) as opened:
        report = validate_store(opened)
    assert report.conforms, report.text
