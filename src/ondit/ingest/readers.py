"""Turn files, folders and stdin into `Article`s.

Formats, chosen by extension:

- plain text (``.txt``, ``-`` for stdin, or any other extension named explicitly):
  UTF-8 (a BOM is accepted); the first non-empty line is the title, the rest the text.
  A file with a single non-empty line has no title: that line is the text.
- HTML (``.html``, ``.htm``, or a text file whose content starts like an HTML page):
  the main text, title, date, site name and URL are taken out with trafilatura.
- JSON Lines (``.jsonl``, ``.ndjson``, ``.json``): one object per line with the keys
  ``id, url, title, text, published, outlet, lang`` (only ``text`` is required).
- RSS and Atom feeds (``.rss``, ``.atom``, ``.xml``, or a file whose content starts like a
  feed): one article per entry, see `ondit.ingest.feeds`. The XML is checked with defusedxml
  first: entity declarations and external references are refused.
- WARC web archives (``.warc``, ``.warc.gz``, or a file that starts like one, gzipped or not):
  one article per HTML page fetched with status 200, see `ondit.ingest.warc`. They are
  streamed record by record; the size limit applies to each page, not to the archive.

Folders are read recursively in sorted order, taking only the extensions above and
skipping hidden files and folders (so README.md and other notes are left alone).

Every bad input gives exactly one `InputError` (for JSON Lines: one per bad line) in
the stream, in place of the article; nothing raises out of `read_inputs`.
The language is not checked here.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import trafilatura

from ondit.errors import InputError, NoArticleText, UnreadableInput
from ondit.model import Article, BadDateError, PubDate

MAX_BYTES = 20 * 1024 * 1024
"""Inputs larger than this are refused without being read in full."""

STDIN = "-"
STDIN_ORIGIN = "<stdin>"

TEXT_EXTENSIONS = frozenset({".txt"})
HTML_EXTENSIONS = frozenset({".html", ".htm"})
JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson", ".json"})
FEED_EXTENSIONS = frozenset({".rss", ".atom", ".xml"})
WARC_EXTENSIONS = (".warc", ".warc.gz")  # full endings: ".warc.gz" is not a suffix
FOLDER_EXTENSIONS = TEXT_EXTENSIONS | HTML_EXTENSIONS | JSONL_EXTENSIONS | FEED_EXTENSIONS

_SNIFF_BYTES = 8192
_CONTROL_RATIO = 0.10  # more control characters than this in the first 8 KB: binary
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")
_CONTROL_BYTES = frozenset(range(32)) - _TEXT_CONTROLS | {0x7F}
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
)

_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAG = re.compile(r"<html\b", re.IGNORECASE)
# an XML prolog (declaration, comments, processing instructions, a DOCTYPE even with an
# internal subset, so that an unsafe feed is still taken for a feed) and a feed's root element
_FEED_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?"
    rb"(?:(?:<!--.*?-->|<\?[^>]*\?>|<!DOCTYPE\b[^\[>]*(?:\[.*?\]\s*)?>)\s*)*"
    rb"<(?:rss|feed|(?:[A-Za-z_][\w.-]*:)?RDF)\b",
    re.IGNORECASE | re.DOTALL,
)
_WARC_MAGIC = b"WARC/"
_GZIP_MAGIC = b"\x1f\x8b"
_WARC_SNIFF_BYTES = 4096  # of a file too large to read: enough to see a (gzipped) WARC header
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""")
_JSONLD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{10,40})"')

# meta names/properties that carry the publication date, for the time of day
_PUBLISHED_META = frozenset(
    {
        "article:published_time",
        "og:published_time",
        "og:article:published_time",
        "published_time",
        "datepublished",
        "date",
        "pubdate",
        "publishdate",
        "publish_date",
        "publication_date",
        "dc.date",
        "dc.date.issued",
        "dcterms.created",
        "dcterms.issued",
        "sailthru.date",
        "parsely-pub-date",
    }
)
_META_SCAN_CHARS = 1_000_000


@dataclass(frozen=True)
class _Defaults:
    """What the caller says about the inputs; a file's own values win over these."""

    published: PubDate | None
    outlet: str | None
    lang: str | None


class _TooLarge(Exception):
    def __init__(self, size: int | None, head: bytes = b"") -> None:
        super().__init__(size)
        self.size = size
        self.head = head  # the first bytes, to recognise a WARC archive (those are streamed)


def read_inputs(
    paths: Iterable[str | Path],
    published: PubDate | None = None,
    outlet: str | None = None,
    lang: str | None = None,
) -> Iterator[Article | InputError]:
    """Yield an `Article` for each article found in `paths`, or an `InputError` in its place.

    `paths` are files, folders (read recursively, sorted) or ``-`` for stdin (plain text).
    `published`, `outlet` and `lang` fill in what an input does not say itself.
    """
    defaults = _Defaults(published, _clean(outlet), _norm_lang(lang))
    for p in paths:
        if str(p) == STDIN:
            yield from _read_stdin(defaults)
        else:
            yield from _read_path(Path(p), defaults)


# --------------------------------------------------------------------------- files and folders


def _read_path(path: Path, defaults: _Defaults) -> Iterator[Article | InputError]:
    origin = str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        reason = "broken symbolic link" if path.is_symlink() else "no such file or directory"
        yield UnreadableInput(origin, reason)
        return
    except OSError as e:
        yield UnreadableInput(origin, f"cannot access ({_os_reason(e)})")
        return
    if stat.S_ISDIR(st.st_mode):
        for item in _walk(path):
            if isinstance(item, InputError):
                yield item
            else:
                yield from _read_file(item, defaults)
    elif stat.S_ISREG(st.st_mode):
        yield from _read_file(path, defaults)
    else:
        yield UnreadableInput(origin, "not a regular file or folder")


def _walk(folder: Path) -> Iterator[Path | InputError]:
    """Files with a known extension under `folder`, sorted, hidden ones left out.

    Symbolic links to folders are not followed (no loops); links to files are.
    """
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:
        yield UnreadableInput(str(folder), f"cannot list folder ({_os_reason(e)})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(path)
                continue
            is_file = entry.is_file()
        except OSError:
            is_file = False
        if is_file and _wanted_in_folder(entry.name):
            yield path


def _wanted_in_folder(name: str) -> bool:
    lower = name.lower()
    return Path(lower).suffix in FOLDER_EXTENSIONS or lower.endswith(WARC_EXTENSIONS)


def _read_file(path: Path, defaults: _Defaults) -> Iterator[Article | InputError]:
    from ondit.ingest import feeds, warc  # they build on this module

    origin = str(path)
    if path.name.lower().endswith(WARC_EXTENSIONS):
        yield from warc.read_warc(path, defaults)
        return
    try:
        raw = _read_limited(path)
    except _TooLarge as e:
        if _is_warc(e.head):
            yield from warc.read_warc(path, defaults)
        else:
            yield UnreadableInput(origin, _too_large(e.size))
        return
    except OSError as e:
        yield UnreadableInput(origin, f"cannot read ({_os_reason(e)})")
        return
    if _is_warc(raw[:_WARC_SNIFF_BYTES]):
        yield from warc.read_warc(path, defaults)
        return
    problem = _check_bytes(raw)
    if problem:
        yield UnreadableInput(origin, problem)
        return
    suffix = path.suffix.lower()
    head = _strip_bom(raw)[:_SNIFF_BYTES]
    if suffix in JSONL_EXTENSIONS:
        yield from _read_jsonl(raw, origin, defaults)
    elif suffix in FEED_EXTENSIONS or (suffix not in HTML_EXTENSIONS and _FEED_START.match(head)):
        yield from feeds.read_feed(raw, origin, defaults)
    elif suffix in HTML_EXTENSIONS or _HTML_START.match(head):
        yield _read_html(raw, origin, defaults)
    else:
        yield _read_plain(raw, origin, defaults)


def _is_warc(head: bytes) -> bool:
    """Whether these first bytes of a file are those of a WARC archive, gzipped or not."""
    if head.startswith(_GZIP_MAGIC):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            return False
    return head.startswith(_WARC_MAGIC)


def _read_stdin(defaults: _Defaults) -> Iterator[Article | InputError]:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        yield UnreadableInput(STDIN_ORIGIN, "no standard input")
        return
    try:
        raw: bytes = stream.read(MAX_BYTES + 1)
    except OSError as e:
        yield UnreadableInput(STDIN_ORIGIN, f"cannot read ({_os_reason(e)})")
        return
    if len(raw) > MAX_BYTES:
        yield UnreadableInput(STDIN_ORIGIN, _too_large(None))
        return
    problem = _check_bytes(raw)
    if problem:
        yield UnreadableInput(STDIN_ORIGIN, problem)
        return
    yield _read_plain(raw, STDIN_ORIGIN, defaults)


def _read_limited(path: Path) -> bytes:
    """The file's bytes; `_TooLarge` without reading more than `MAX_BYTES` + 1 of them."""
    limit = MAX_BYTES
    with path.open("rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size > limit:
            raise _TooLarge(size, f.read(_WARC_SNIFF_BYTES))
        data = f.read(limit + 1)
    if len(data) > limit:  # grew while we looked, or a size the OS does not know
        raise _TooLarge(None)
    return data


def _too_large(size: int | None) -> str:
    if size is None:
        return f"file too large (more than {MAX_BYTES} bytes, limit {MAX_BYTES})"
    return f"file too large ({size} bytes, limit {MAX_BYTES})"


def _os_reason(e: OSError) -> str:
    return e.strerror or type(e).__name__


# --------------------------------------------------------------------------- bytes


def _check_bytes(raw: bytes) -> str | None:
    """Why these bytes are not text worth reading, or None."""
    if not _strip_bom(raw).strip():
        return "empty file"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "not UTF-8 text (UTF-16 byte order mark at offset 0)"
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            return f"binary file ({kind})"
    head = raw[:_SNIFF_BYTES]
    if b"\x00" in head:
        return "binary file (NUL bytes)"
    controls = sum(1 for b in head if b in _CONTROL_BYTES)
    if controls > _CONTROL_RATIO * len(head):
        return f"binary file ({controls} control characters in the first {len(head)} bytes)"
    return None


def _strip_bom(raw: bytes) -> bytes:
    return raw.removeprefix(codecs.BOM_UTF8)


class _Undecodable(Exception):
    """Bytes that are not text in the expected encoding; `str()` is the reason."""


def _decode_utf8(raw: bytes) -> str:
    """The text (a UTF-8 BOM is dropped); `_Undecodable` says where it is not UTF-8."""
    body = _strip_bom(raw)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        offset = e.start + len(raw) - len(body)
        reason = f"not UTF-8 text (byte 0x{body[e.start]:02x} at offset {offset})"
        raise _Undecodable(reason) from None


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- plain text


def _read_plain(raw: bytes, origin: str, defaults: _Defaults) -> Article | InputError:
    try:
        text = _decode_utf8(raw)
    except _Undecodable as e:
        return UnreadableInput(origin, str(e))
    lines = _normalise_newlines(text).split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return UnreadableInput(origin, "empty file")
    title = lines[first].strip()
    body = "\n".join(lines[first + 1 :]).strip()
    if not body:  # a single line: it is the text, not a title
        title, body = "", title
    return Article(
        text=body,
        title=title,
        published=defaults.published,
        outlet=defaults.outlet,
        lang=defaults.lang,
        origin=origin,
    )


# --------------------------------------------------------------------------- HTML


def _read_html(
    raw: bytes, origin: str, defaults: _Defaults, charset: str | None = None
) -> Article | InputError:
    """One article from an HTML page; `charset` is what the HTTP headers declare, if known."""
    try:
        html = _decode_html(raw, charset)
    except _Undecodable as e:
        return UnreadableInput(origin, str(e))
    if not _HTML_TAG.search(html, 0, _SNIFF_BYTES):
        html = f"<html><body>{html}</body></html>"  # trafilatura refuses bare fragments
    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            date_extraction_params={"original_date": True, "extensive_search": False},
        )
    except Exception as e:  # a bug in trafilatura must not stop the other inputs
        return UnreadableInput(origin, f"HTML extraction failed ({type(e).__name__}: {e})")
    text = _normalise_newlines(_doc_str(doc, "text") or "").strip()
    title = _doc_str(doc, "title") or ""
    if text and title:
        first, _, rest = text.partition("\n")
        if _same_line(first, title):
            text = rest.strip()
    if not text:
        return NoArticleText(origin, "no article text found in the HTML")
    meta = _HeadScan.of(html)
    return Article(
        text=text,
        title=title,
        url=_doc_str(doc, "url"),
        published=_html_date(_doc_str(doc, "date"), meta) or defaults.published,
        outlet=_doc_str(doc, "sitename") or defaults.outlet,
        lang=_norm_lang(meta.lang) or defaults.lang,
        origin=origin,
    )


def _decode_html(raw: bytes, charset: str | None = None) -> str:
    """Decode with the declared charset, else UTF-8 (`_Undecodable` if neither fits).

    The charset of the HTTP headers (`charset`) wins over the page's own, as in browsers.

    Bytes that are valid UTF-8 with non-ASCII characters in them are read as UTF-8 whatever
    the page declares: legacy text is practically never valid UTF-8 by accident, while
    pages saved from a browser are re-encoded to UTF-8 and keep their old declaration.
    """
    if raw.startswith(codecs.BOM_UTF8):
        return _decode_utf8(raw)
    declared = _charset_codec(charset) if charset else None
    declared = declared or _declared_charset(raw[:_SNIFF_BYTES])
    if declared is None or declared == "utf-8" or raw.isascii():
        return _decode_utf8(raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode(declared)
    except UnicodeDecodeError:
        try:
            return _decode_utf8(raw)
        except _Undecodable as e:
            raise _Undecodable(f"{e}, nor {declared} as declared") from None


def _declared_charset(head: bytes) -> str | None:
    """The codec named by <meta charset> or the XML declaration, as browsers read it."""
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not m:
        return None
    try:
        return _charset_codec(m.group(1).decode("ascii"))
    except UnicodeDecodeError:
        return None


def _charset_codec(label: str) -> str | None:
    """The codec to decode a page labelled `label` with, as browsers read it; None if unknown."""
    try:
        name = codecs.lookup(label.strip().strip("'\"")).name
        b"x".decode(name, "replace")  # "base64", "rot13"…: codecs, but not text encodings
    except LookupError:
        return None
    if name in {"iso8859-1", "ascii"}:  # the web reads these as windows-1252
        return "cp1252"
    if name.startswith(("utf-16", "utf-32")):  # an ASCII-compatible page cannot be UTF-16
        return "utf-8"
    return name


def _doc_str(doc: Any, name: str) -> str | None:
    value = doc.get(name) if isinstance(doc, dict) else getattr(doc, name, None)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _same_line(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _html_date(day: str | None, meta: _HeadScan) -> PubDate | None:
    """trafilatura's date (a day), to the minute when the page's metadata gives that day a time."""
    if not day:
        return None
    try:
        date = PubDate.parse(day)
    except BadDateError:
        return None
    for candidate in meta.published:
        try:
            fine = PubDate.parse(candidate)
        except BadDateError:
            continue
        same_day = (fine.year, fine.month, fine.day) == (date.year, date.month, date.day)
        # 00:00 is what sites write when they only know the day
        if same_day and fine.minute is not None and (fine.hour, fine.minute) != (0, 0):
            return fine
    return date


class _HeadScan(HTMLParser):
    """The page's language and the publication date-times its metadata gives."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.locale: str | None = None
        self.published: list[str] = []

    @classmethod
    def of(cls, html: str) -> _HeadScan:
        scan = cls()
        try:
            scan.feed(html[:_META_SCAN_CHARS])
            scan.close()
        except Exception:  # html.parser is lenient; this is only a safety net
            pass
        scan.published.extend(_JSONLD_PUBLISHED.findall(html[:_META_SCAN_CHARS]))
        scan.lang = scan.lang or scan.locale
        return scan

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "").strip() for k, v in attrs}
        if tag == "html" and a.get("lang") and self.lang is None:
            self.lang = a["lang"]
        elif tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            content = a.get("content", "")
            if key in _PUBLISHED_META and content:
                self.published.append(content)
            elif key == "og:locale" and content and self.locale is None:
                self.locale = content
        elif (
            tag == "time"
            and a.get("datetime")
            and ("pubdate" in a or a.get("itemprop", "").lower() == "datepublished")
        ):
            self.published.append(a["datetime"])


# --------------------------------------------------------------------------- JSON Lines

_RECORD_STRINGS = ("url", "title", "outlet", "lang")


def _read_jsonl(raw: bytes, origin: str, defaults: _Defaults) -> Iterator[Article | InputError]:
    offset = 0
    seen_record = False
    for lineno, line in enumerate(raw.split(b"\n"), start=1):
        start, offset = offset, offset + len(line) + 1
        where = f"{origin}:{lineno}"
        if lineno == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
            start += len(codecs.BOM_UTF8)
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as e:
            at = start + e.start
            yield UnreadableInput(where, f"not UTF-8 text (byte 0x{line[e.start]:02x} at offset {at})")
            seen_record = True
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as e:
            if not seen_record and _is_json_document(raw):
                yield UnreadableInput(
                    origin, "a JSON document, not JSON Lines (one object per line expected)"
                )
                return
            yield UnreadableInput(where, f"not JSON ({e.msg} at column {e.colno})")
            seen_record = True
            continue
        seen_record = True
        yield _record(obj, where, defaults)


def _is_json_document(raw: bytes) -> bool:
    try:
        json.loads(_strip_bom(raw).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
    return True


def _record(obj: object, where: str, defaults: _Defaults) -> Article | InputError:
    if not isinstance(obj, dict):
        return UnreadableInput(where, f"not a JSON object (got {_json_type(obj)})")
    text = obj.get("text")
    if text is None:
        return NoArticleText(where, "no 'text' key")
    if not isinstance(text, str):
        return UnreadableInput(where, f"'text' must be a string, got {_json_type(text)}")
    if not text.strip():
        return NoArticleText(where, "empty 'text'")
    fields: dict[str, str | None] = {}
    for key in _RECORD_STRINGS:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            return UnreadableInput(where, f"'{key}' must be a string, got {_json_type(value)}")
        fields[key] = _clean(value)
    raw_id = obj.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int | None):
        return UnreadableInput(where, f"'id' must be a string, got {_json_type(raw_id)}")
    published = defaults.published
    raw_date = obj.get("published")
    if raw_date is not None and not isinstance(raw_date, str):
        return UnreadableInput(where, f"'published' must be a string, got {_json_type(raw_date)}")
    if raw_date and raw_date.strip():
        try:
            published = PubDate.parse(raw_date)
        except BadDateError as e:
            return UnreadableInput(where, f"bad 'published' date ({e})")
    return Article(
        text=text,  # as given, so that offsets into it stay valid
        title=fields["title"] or "",
        id=_clean(str(raw_id)) if raw_id is not None else None,
        url=fields["url"],
        published=published,
        outlet=fields["outlet"] or defaults.outlet,
        lang=_norm_lang(fields["lang"]) or defaults.lang,
        origin=where,
    )


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


# --------------------------------------------------------------------------- small helpers


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _norm_lang(value: str | None) -> str | None:
    """ "fr-FR", "fr_FR", "FR" → "fr"."""
    value = _clean(value)
    if value is None:
        return None
    return re.split(r"[-_]", value, maxsplit=1)[0].lower() or None
