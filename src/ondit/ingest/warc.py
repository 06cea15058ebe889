"""WARC web archives, gzipped or not: one `Article` per HTML page fetched with status 200.

The archive is streamed record by record with warcio, never read in full: the size limit
(`readers.MAX_BYTES`) applies to each page's payload. Only ``response`` records with HTTP
status 200 and a Content-Type of ``text/html`` or ``application/xhtml+xml`` are articles;
their payload goes through the HTML reader (with the charset of the HTTP headers), and
their url is the record's ``WARC-Target-URI``. Every other record (``warcinfo``,
``request``, ``metadata``, redirects, 404s, images…) is passed by silently.

Records are numbered from 1 in the order of the file, and ``path#record-N`` is the origin
of the article (or of the error) record N gives. A record that cannot be parsed, one
shorter than its Content-Length, or gzip data that breaks off, gives one `UnreadableInput`
for that record, and the rest of the file is skipped (where the next record starts is
unknown); the articles of the records before it are kept. A gzipped archive is read
through Python's gzip module: one gzip member per record (the usual ``.warc.gz``) or one
for the whole file both work.
"""

from __future__ import annotations

import dataclasses
import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader
from warcio.statusandheaders import StatusAndHeadersParserException

from ondit.errors import InputError, NoArticleText, UnreadableInput
from ondit.ingest import readers
from ondit.ingest.readers import _Defaults, _os_reason, _read_html
from ondit.model import Article

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

_CHUNK = 64 * 1024


class _BrokenArchive(Exception):
    """The archive's bytes cannot be read on (gzip data cut short or corrupt, a read error)."""


class _Gunzip:
    """A gzip stream whose breakages come out as `_BrokenArchive`.

    warcio takes an `EOFError` for the end of the archive: a truncated file would look
    complete.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        self._gz = gzip.GzipFile(fileobj=raw, mode="rb")
        self.at_eof = False

    def read(self, size: int = -1) -> bytes:
        # read1: a failing read must not take with it the data decompressed before the failure
        try:
            data = self._gz.read1(size)
            self.at_eof = self.at_eof or (not data and size != 0)
            return data
        except EOFError:
            raise _BrokenArchive("truncated gzip data (the file breaks off)") from None
        except (gzip.BadGzipFile, zlib.error) as e:
            raise _BrokenArchive(f"bad gzip data ({e})") from None
        except OSError as e:
            raise _BrokenArchive(f"cannot read ({_os_reason(e)})") from None

    def tell(self) -> int:
        return self._gz.tell()


class _Plain:
    """An uncompressed archive, read errors coming out as `_BrokenArchive`."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.at_eof = False

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._raw.read(size)
            self.at_eof = self.at_eof or (not data and size != 0)
            return data
        except OSError as e:
            raise _BrokenArchive(f"cannot read ({_os_reason(e)})") from None

    def tell(self) -> int:
        return self._raw.tell()


class _QuietArchiveIterator(ArchiveIterator):  # type: ignore[misc]
    # warcio writes this warning to stderr; the count it keeps (err_count) is checked instead
    INC_RECORD = ""


def read_warc(path: Path, defaults: _Defaults) -> Iterator[Article | InputError]:
    """The HTML pages of the WARC archive at `path`, streamed."""
    origin = str(path)
    try:
        f = path.open("rb")
    except OSError as e:
        yield UnreadableInput(origin, f"cannot read ({_os_reason(e)})")
        return
    with f:
        try:
            head = f.read(2)
            f.seek(0)
        except OSError as e:
            yield UnreadableInput(origin, f"cannot read ({_os_reason(e)})")
            return
        if not head:
            yield UnreadableInput(origin, "empty file")
            return
        stream = _Gunzip(f) if head == readers._GZIP_MAGIC else _Plain(f)
        yield from _read_records(stream, origin, defaults)


def _read_records(
    stream: _Gunzip | _Plain, origin: str, defaults: _Defaults
) -> Iterator[Article | InputError]:
    records = _QuietArchiveIterator(stream)
    pages = 0
    n = 0
    while True:
        n += 1
        where = f"{origin}#record-{n}"
        warnings = records.err_count
        try:
            record = next(records)
        except StopIteration:
            # warcio ends quietly on a record whose headers break off: bytes left unaccounted for
            if records.offset is not None and records.offset < stream.tell():
                yield _broken(where, n, _HEADERS_BREAK_OFF)
                return
            break
        except Exception as e:  # warcio's ArchiveLoadFailed, header parsing errors, _BrokenArchive
            yield _broken(where, n, _HEADERS_BREAK_OFF if n > 1 and _all_read(records, stream) else e)
            return
        if records.err_count > warnings:
            yield _broken(where, n, "the record before is longer than its Content-Length says")
            return
        try:
            length = int(record.rec_headers.get_header("Content-Length") or "")
            if length < 0:
                raise ValueError
        except ValueError:
            yield _broken(
                where,
                n,
                _HEADERS_BREAK_OFF if n > 1 and _all_read(records, stream) else "no valid Content-Length",
            )
            return
        try:
            item = _page(record, where, defaults)
            missing = _rest_of_record(record)
        except Exception as e:  # _BrokenArchive, or a bug in warcio
            yield _broken(where, n, e)
            return
        if missing:
            yield _broken(where, n, f"truncated record ({missing} bytes missing)")
            return
        if item is not None:
            pages += 1
            yield item
    if pages == 0:
        yield NoArticleText(origin, "no HTML page in the WARC (no HTML response with status 200)")


_HEADERS_BREAK_OFF = "truncated record (its WARC headers break off)"


def _all_read(records: Any, stream: _Gunzip | _Plain) -> bool:
    """Whether the whole file has been read and handed to the record parser."""
    reader = records.reader
    return stream.at_eof and reader is not None and reader.rem_length() == 0


def _broken(where: str, n: int, problem: BaseException | str) -> InputError:
    """The error for record `n`, after which the file is not read on."""
    rest = "; the rest of the file is skipped" if n > 1 else ""
    if isinstance(problem, _BrokenArchive):
        return UnreadableInput(where, f"{problem}{rest}")
    reason = problem if isinstance(problem, str) else _warcio_reason(problem)
    if reason.startswith("truncated"):
        return UnreadableInput(where, f"{reason}{rest}")
    if n == 1:
        return UnreadableInput(where, f"not a WARC archive, or a malformed first record ({reason})")
    return UnreadableInput(where, f"malformed WARC record ({reason}){rest}")


def _warcio_reason(e: BaseException) -> str:
    if isinstance(e, ArchiveLoadFailed | StatusAndHeadersParserException):
        text = " ".join(str(e).split()) or type(e).__name__
    else:  # warcio stumbling over headers it did not expect
        text = f"unreadable WARC headers: {type(e).__name__}: {' '.join(str(e).split())}"
    if len(text) > 160:
        text = text[:157] + "..."
    return text


def _page(record: Any, where: str, defaults: _Defaults) -> Article | InputError | None:
    """The article in `record`, an error in its place, or None for a record that is no page."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    if record.http_headers.get_statuscode() != "200":
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    mime, _, params = content_type.partition(";")
    if mime.strip().lower() not in HTML_TYPES:
        return None
    limit = readers.MAX_BYTES
    try:
        payload = _read_at_most(record.content_stream(), limit + 1)
    except _BrokenArchive:
        raise
    except Exception as e:  # a bad Content-Encoding in the HTTP payload: this record only
        return UnreadableInput(where, f"cannot decode the HTTP payload ({type(e).__name__}: {e})")
    if len(payload) > limit:
        return UnreadableInput(where, f"page too large (more than {limit} bytes, limit {limit})")
    if not payload.strip():
        return NoArticleText(where, "empty HTML page")
    item = _read_html(payload, where, defaults, charset=_charset(params))
    url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip() or None
    if isinstance(item, Article) and url:
        item = dataclasses.replace(item, url=url)
    return item


def _charset(params: str) -> str | None:
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("'\"")
    return None


def _read_at_most(stream: Any, size: int) -> bytes:
    parts: list[bytes] = []
    got = 0
    while got < size:
        chunk: bytes = stream.read(min(_CHUNK, size - got))
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def _rest_of_record(record: Any) -> int:
    """Read the record to its end; how many bytes its Content-Length promised and the file lacks."""
    raw = record.raw_stream
    while raw.read(_CHUNK):
        pass
    return raw.limit if isinstance(raw, LimitReader) else 0
