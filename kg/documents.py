"""Read sources into ``Document``s: plain-text articles, JSON Lines corpora, folders.

Reading is split in two steps so that a build can check all of its input
before it writes anything:

* ``iter_records(paths)`` decodes and checks every source (UTF-8, JSON,
  required fields, dates) and yields ``Record``s; any problem raises
  ``InputError`` naming the file and line.
* ``to_document(record)`` adds what costs time (language identification).

``read_documents(paths)`` chains both.  Everything streams: one file, one
line at a time.

Decoding rule: input must be UTF-8 (a leading BOM is dropped); invalid bytes
are rejected with the byte offset and line, never replaced, because replaced
characters would silently shift every offset of the evidence spans.  The same
goes for a lone surrogate escaped in JSON ("\\ud800"), which is no character.

Other rules every reader applies:

* A document's text (or a web page's HTML) may hold at most
  ``MAX_DOCUMENT_CHARS`` characters (5 million; ``$GEOKG_MAX_DOCUMENT_CHARS``
  changes it): a larger one is an input error, not an hour-long extraction.
* Ids are unique across everything one call reads: an id read before with the
  same text is skipped as a repeat, with another text it is an error (two texts
  cannot share one document graph), wherever the first one came from.
* Publication dates are absolute: relative ones ("yesterday", "3 days ago")
  and bare numbers are refused, since they would change with the day of the
  build; a year-first numeric date is year-month-day, and an impossible one
  ("2022-02-30", "2022-13-01") is an error, never swapped or rolled over.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from kg import __version__
from kg.errors import InputError
from kg.model import Document, Span
from kg.paths import DATA_DIR
from kg.text import lines

log = logging.getLogger(__name__)

MAX_DOCUMENT_CHARS = 5_000_000
MAX_DOCUMENT_CHARS_ENV = "GEOKG_MAX_DOCUMENT_CHARS"

OnError = Callable[[InputError], None]


@dataclass
class Record:
    """A checked source item, not yet analysed."""

    id: str
    text: str
    where: str  # "path" or "path:line", for messages and provenance
    lang: str | None = None
    published: datetime | None = None
    url: str | None = None
    title: str | None = None
    body: list[Span] = field(default_factory=list)
    line: int | None = None  # line number in a JSON Lines file

    @property
    def fingerprint(self) -> str:
        """A content hash of everything the extraction reads from this record.

        The extractor version is part of it: a new geokg re-extracts with
        ``--replace``, and a re-run of the same version skips the record.
        """
        parts = [self.id, self.text, self.lang or "", self.url or "", self.title or ""]
        parts += [self.published.isoformat() if self.published else "", __version__]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@cache
def _layout() -> dict[str, Any]:
    with open(DATA_DIR / "documents.json", encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


@cache
def _source_line_patterns() -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE) for p in _layout()["source_line_patterns"]]


@cache
def _timestamp_line_pattern() -> re.Pattern[str]:
    return re.compile(_layout()["timestamp_line_pattern"])


# --- locating files -------------------------------------------------------


def expand_paths(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Files to read: the given files, and the readable files under folders."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _reader_for(p))
            if not found:
                raise InputError(str(path), f"folder holds no {_KNOWN} files")
            yield from found
        elif path.exists():
            if _reader_for(path) is None:
                raise InputError(str(path), f"unsupported file type (expected {_KNOWN})")
            yield path
        else:
            raise InputError(str(path), "no such file or folder")


def raise_error(error: InputError) -> None:
    """The default error policy: the first bad input stops everything."""
    raise error


@dataclass(frozen=True)
class ReadOptions:
    """How readers treat bad input.

    ``on_error`` decides what a bad file or line does: raise (the default),
    or, e.g. for ``kg build --skip-bad``, be collected while reading goes on.
    ``keep_duplicate_ids``: a JSONL id seen before with another text is an
    error for a build (two texts cannot share one graph) but is kept, with a
    warning, where nothing is stored (``kg extract``).
    """

    on_error: OnError = raise_error
    keep_duplicate_ids: bool = False


def iter_records(
    paths: Iterable[Path | str],
    on_error: OnError = raise_error,
    keep_duplicate_ids: bool = False,
) -> Iterator[Record]:
    """Checked records from every file, in a stable order (see ``ReadOptions``)."""
    options = ReadOptions(on_error, keep_duplicate_ids)
    seen: dict[str, tuple[str, int]] = {}  # id -> (where first read, hash of its text)
    for path in expand_paths(paths):
        reader = _reader_for(path)
        assert reader is not None  # expand_paths yields only readable kinds
        try:
            for record in reader(path, options):
                try:
                    if _is_repeat(record, seen, path, keep_duplicate_ids):
                        continue
                except InputError as error:
                    on_error(error)
                    continue
                seen[record.id] = (record.where, hash(record.text))
                yield record
        except InputError as error:
            on_error(error)


def read_documents(
    paths: Iterable[Path | str], keep_duplicate_ids: bool = False
) -> Iterator[Document]:
    """Documents from text files, JSON Lines corpora and folders of them."""
    for record in iter_records(paths, keep_duplicate_ids=keep_duplicate_ids):
        yield to_document(record)


def to_document(record: Record) -> Document:
    return Document(
        id=record.id,
        text=record.text,
        lang=record.lang or detect_language(record.text),
        published=record.published,
        url=record.url,
        source=record.where,
        title=record.title,
        body=record.body,
        fingerprint=record.fingerprint,
    )


# --- plain-text articles --------------------------------------------------


def read_text_file(path: Path, options: ReadOptions = ReadOptions()) -> Iterator[Record]:
    """One article per file, laid out like the seed.

    First line: publication time with time zone (optional); then title and
    paragraphs, one per line; last line: where the article came from
    (optional, e.g. "Artikel ini bersumber dari www.jitunews.com.").
    """
    text = _decode(path, _read_bytes(path))
    if not text.strip():
        raise InputError(str(path), "empty file")
    _check_size(str(path), text)
    yield parse_text_article(text, doc_id=path.stem, where=str(path))


def parse_text_article(text: str, doc_id: str, where: str) -> Record:
    body = lines(text)
    published = None
    if body and _timestamp_line_pattern().search(body[0].text):
        published = parse_published(body[0].text, where, line=_line_of(text, body[0].start))
        body = body[1:]
    if body and any(p.search(body[-1].text) for p in _source_line_patterns()):
        body = body[:-1]
    if not body:
        raise InputError(where, "no article text after the timestamp and source lines")
    return Record(
        id=doc_id,
        text=text,
        where=where,
        published=published,
        title=body[0].text if _looks_like_title(body[0].text) else None,
        body=body,
    )


def _looks_like_title(line: str) -> bool:
    return not line.rstrip().endswith((".", "!", "?", "”", '"')) and len(line) < 300


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


# --- JSON Lines corpora ---------------------------------------------------


def read_jsonl(path: Path, options: ReadOptions = ReadOptions()) -> Iterator[Record]:
    """One document per line: {"id", "text"} and optionally lang, url, published.

    Repeated ids are handled by ``iter_records``, across files.
    """
    nonblank = 0
    offset = 0  # of the line's first byte in the (decompressed) file
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        handle = opener(path, "rb")
    except OSError as error:
        raise InputError(str(path), f"cannot read: {error.strerror}") from error
    try:
        for number, raw in _numbered_lines(path, handle):
            start, offset = offset, offset + len(raw)
            if not raw.strip():
                continue
            nonblank += 1
            try:
                record = _jsonl_record(path, number, raw, start)
            except InputError as error:
                options.on_error(error)
                continue
            yield record
    finally:
        handle.close()
    if nonblank == 0:
        raise InputError(str(path), "no documents (empty file)")


def _is_repeat(record: Record, seen: dict[str, tuple[str, int]], path: Path, keep: bool) -> bool:
    """True for an exact repeat of an earlier record; an error for a conflicting one."""
    first = seen.get(record.id)
    if first is None:
        return False
    if first[1] != hash(record.text):
        problem = f"duplicate id {record.id!r} with a different text (first read at {first[0]})"
        if not keep:
            if record.line is None:
                raise InputError(record.where, problem)
            raise InputError(str(path), problem, record.line)
        log.warning("%s: %s; kept", record.where, problem)
        return False
    log.info("%s: skipping repeat of id %r", record.where, record.id)
    return True


def _numbered_lines(path: Path, handle: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    """Lines with their numbers; a damaged gzip stream is an input error."""
    number = 0
    try:
        for number, raw in enumerate(handle, start=1):  # noqa: B007 -- used after the loop
            yield number, raw
    except (OSError, EOFError, zlib.error) as error:
        raise InputError(str(path), f"damaged compressed file ({error})", number + 1) from error


def _jsonl_record(path: Path, number: int, raw: bytes, offset: int = 0) -> Record:
    where = f"{path}:{number}"
    line = _decode(path, raw, line=number, offset=offset)
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(
            str(path), f"malformed JSON ({error.msg}, column {error.colno})", number
        ) from error
    if not isinstance(item, dict):
        raise InputError(str(path), "a line must hold a JSON object", number)
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        problem = "missing 'text'" if text is None else "'text' must be a non-empty string"
        raise InputError(str(path), problem, number)
    _check_size(str(path), text, number)
    doc_id = item.get("id")
    if isinstance(doc_id, bool) or not isinstance(doc_id, str | int) or str(doc_id) == "":
        raise InputError(str(path), "missing or invalid 'id' (a string or an integer)", number)
    published = item.get("published")
    for key in ("id", "text", "lang", "url", "title", "published"):
        _check_unicode(item.get(key), key, path, number)
    return Record(
        id=str(doc_id),
        text=text,
        where=where,
        lang=_optional_string(item, "lang", path, number),
        url=_optional_string(item, "url", path, number),
        published=parse_published(published, str(path), number) if published else None,
        title=_optional_string(item, "title", path, number),
        line=number,
    )


def _check_unicode(value: object, key: str, path: Path, number: int) -> None:
    """JSON can escape a lone surrogate ("\\ud800"), which is no character: refuse it
    here rather than fail later, when the text is hashed, stored or printed."""
    if not isinstance(value, str):
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(value[error.start])
        problem = f"'{key}' holds a lone surrogate \\u{code:04x} at character {error.start}"
        raise InputError(str(path), f"{problem} (not valid Unicode)", number) from error


def _optional_string(item: dict[str, Any], key: str, path: Path, number: int) -> str | None:
    value = item.get(key)
    if value is None or isinstance(value, str):
        return value or None
    raise InputError(str(path), f"'{key}' must be a string, not {type(value).__name__}", number)


# --- decoding, size and dates ---------------------------------------------


def max_document_chars() -> int:
    """The size limit of one document (``$GEOKG_MAX_DOCUMENT_CHARS`` or the default)."""
    value = os.environ.get(MAX_DOCUMENT_CHARS_ENV, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else MAX_DOCUMENT_CHARS


def _check_size(where: str, text: str, line: int | None = None) -> None:
    limit = max_document_chars()
    if len(text) > limit:
        raise InputError(
            where,
            f"document too large ({len(text):,} characters; the limit is {limit:,},"
            f" set ${MAX_DOCUMENT_CHARS_ENV} to change it)",
            line,
        )


def _read_bytes(path: Path) -> bytes:
    """A whole file; one too large to hold a document is refused before it is read."""
    try:
        size = path.stat().st_size
        if size > 4 * max_document_chars():  # more than the limit even at 4 bytes a character
            raise InputError(
                str(path),
                f"document too large ({size:,} bytes; the limit is {max_document_chars():,}"
                f" characters, set ${MAX_DOCUMENT_CHARS_ENV} to change it)",
            )
        return path.read_bytes()
    except OSError as error:
        raise InputError(str(path), f"cannot read: {error.strerror}") from error


def _decode(path: Path, data: bytes, line: int | None = None, offset: int = 0) -> str:
    """UTF-8 text, or an InputError with the line and the byte offset in the file
    (``offset``: where ``data`` starts in it)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        raise InputError(
            str(path), "UTF-16 or UTF-32 text (byte-order mark); save it as UTF-8", line
        )
    if b"\x00" in data:
        raise InputError(str(path), "binary file (NUL bytes), not text", line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        at_line = line if line is not None else data.count(b"\n", 0, error.start) + 1
        raise InputError(
            str(path), f"invalid UTF-8 at byte {offset + error.start} ({error.reason})", at_line
        ) from error
    return text.removeprefix("\ufeff")


def parse_published(value: object, where: str, line: int | None = None) -> datetime:
    """A publication time, keeping its time zone where one is given.

    ISO 8601 is read directly; other forms ("16 September 2022 08:40 WIB",
    "16 сентября 2022") go to dateparser, which knows month names and time
    zone abbreviations in many languages.  A time without a zone stays naive
    rather than being given one that the source never stated.
    """
    if not isinstance(value, str):
        raise InputError(where, f"'published' must be a string, not {type(value).__name__}", line)
    text = value.strip()
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    year_first = _YEAR_FIRST.match(text)
    if year_first:
        year, month, day = (int(part) for part in year_first.groups())
        try:
            date(year, month, day)
        except ValueError as error:
            raise InputError(where, f"impossible date {value!r} ({error})", line) from error
    parsed = _dateparser_parse(text, year_first=bool(year_first))
    if parsed is None:
        raise InputError(where, f"unparseable date {value!r}", line)
    return parsed


# "2022-09-16", "2022/9/16 08:40": dateparser would read "2022-13-01" as 13 January.
_YEAR_FIRST = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")


def _dateparser_parse(text: str, year_first: bool = False) -> datetime | None:
    import dateparser  # imported here: costs start-up time, needed only for non-ISO dates

    settings: dict[str, Any] = {
        "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": ["day", "month", "year"],
        # Absolute dates only: no "yesterday", no Unix timestamps.
        "PARSERS": ["custom-formats", "absolute-time"],
    }
    if year_first:
        settings["DATE_ORDER"] = "YMD"
    try:
        return dateparser.parse(text, settings=settings)  # type: ignore[arg-type]
    except (ValueError, OverflowError):
        return None


# --- language -------------------------------------------------------------


@cache
def _language_identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    # Restricting to news languages avoids close confusions (id vs ms).
    identifier.set_languages(_layout()["languages"])
    return identifier


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language (py3langid)."""
    lang, _score = _language_identifier().classify(text[:5000])
    return str(lang)


# --- web pages and web archives -------------------------------------------


def read_html_file(path: Path, options: ReadOptions = ReadOptions()) -> Iterator[Record]:
    """One web page: its main text, title, date and URL (trafilatura)."""
    html = _decode(path, _read_bytes(path))
    _check_size(str(path), html)
    yield _html_record(html, doc_id=path.stem, where=str(path))


def read_warc(path: Path, options: ReadOptions = ReadOptions()) -> Iterator[Record]:
    """Every HTML response in a WARC file (plain or gzip), streamed with warcio.

    A damaged archive (cut short, corrupt gzip member, garbled headers) is an input
    error naming the record where reading failed; the records before it were read.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    _check_warc_magic(path)
    # What warcio raises on damaged input: its own error, zlib's, or, for a record cut
    # inside its headers, an AttributeError from its header parser.
    damage = (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error, AttributeError)
    with open(path, "rb") as handle:
        records = ArchiveIterator(handle)
        number = 0
        while True:
            try:
                record = next(records, None)
                if record is None:
                    break
                number += 1
                page = _warc_html(record)
                uri = record.rec_headers.get_header("WARC-Target-URI")
                doc_id = uri or record.rec_headers.get_header("WARC-Record-ID")
            except damage as error:
                detail = "garbled or cut headers" if isinstance(error, AttributeError) else error
                problem = f"damaged WARC file at record {number + 1} ({detail})"
                if number == 0 and isinstance(error, ArchiveLoadFailed):
                    problem = f"not a readable WARC file ({error})"
                raise InputError(str(path), " ".join(problem.split())) from error
            if page is None:
                continue
            where = f"{path}#{number}"
            try:
                html = _decode(path, page, line=number)
                _check_size(where, html)
                yield _html_record(html, doc_id=doc_id, where=where, url=uri)
            except InputError as error:
                options.on_error(error)


def _check_warc_magic(path: Path) -> None:
    """warcio reads almost anything as a legacy ARC record: insist on a WARC header."""
    opener = gzip.open if _read_prefix(path, 2) == b"\x1f\x8b" else open
    try:
        with opener(path, "rb") as handle:
            head = handle.read(5)
    except (OSError, EOFError, zlib.error) as error:
        raise InputError(str(path), f"not a readable WARC file ({error})") from error
    if head != b"WARC/":
        raise InputError(str(path), "not a readable WARC file (no WARC/ header)")


def _read_prefix(path: Path, size: int) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except OSError as error:
        raise InputError(str(path), f"cannot read: {error.strerror}") from error


def _warc_html(record: Any) -> bytes | None:
    if record.rec_type != "response" or record.http_headers is None:
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    if "html" not in content_type.lower():
        return None
    data: bytes = record.content_stream().read()
    return data


# The page's own date metadata only: htmldate's extensive search guesses from the text
# ("since 2020" became 2020-01-01), and its default latest date is today's, which would
# make a build depend on the day it runs.
_HTML_DATES = {"original_date": True, "extensive_search": False, "max_date": "2999-12-31"}


def _html_record(html: str, doc_id: str, where: str, url: str | None = None) -> Record:
    import trafilatura  # heavy import, needed only for web pages

    page = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, date_extraction_params=_HTML_DATES
    )
    text = getattr(page, "text", None) if page is not None else None
    if not text or not text.strip():
        raise InputError(where, "no article text found in the HTML")
    published = getattr(page, "date", None)
    return Record(
        id=doc_id,
        text=text,
        where=where,
        lang=getattr(page, "language", None),
        url=getattr(page, "url", None) or url,
        title=getattr(page, "title", None),
        published=parse_published(published, where) if published else None,
        body=lines(text),
    )


_READERS = {
    ".txt": read_text_file,
    ".jsonl": read_jsonl,
    ".jsonl.gz": read_jsonl,
    ".html": read_html_file,
    ".htm": read_html_file,
    ".warc": read_warc,
    ".warc.gz": read_warc,
}
_KNOWN = ", ".join(_READERS)


def _reader_for(path: Path) -> Any:
    name = path.name.lower()
    for suffix in sorted(_READERS, key=len, reverse=True):
        if name.endswith(suffix):
            return _READERS[suffix]
    return None
