"""RSS and Atom feeds: one `Article` per entry.

The bytes are first parsed with defusedxml, which refuses entity declarations (the
"billion laughs" expansion, external entities such as ``SYSTEM "file:///etc/passwd"``)
and external references: such a document gives one `UnreadableInput` ("unsafe XML: …")
and is never handed to feedparser. A document that is well-formed up to its root element
but breaks later (an HTML entity such as ``&eacute;`` in a description, an unescaped ``&``)
is still read by feedparser's lenient parser, unless it carries a DOCTYPE or an entity
declaration anywhere.

For each entry:

- text: the entry's full content (``content:encoded``, Atom ``<content>``) when there is
  some, else its summary (``<description>``, ``<summary>``); HTML is turned into text
  (one paragraph a line) by a small converter of our own: feed content is the article body
  already, and trafilatura, made for whole pages, splits fragments at inline tags.
- title, url (the entry's link, when it is a web address), id (its ``guid``/``<id>``, as is);
- published: the entry's publication date, else its update date, in the feed's own local
  time (its UTC offset is dropped, as for HTML pages), to the minute, or to the day when the
  feed gives no time of day (or midnight);
- outlet: the feed's title; lang: the entry's or the feed's language;
  the caller's values fill in what the feed does not say;
- origin: ``path#entry-N`` (N counts from 1).

A feed that feedparser cannot read gives one error for the file; an entry with no text
gives one error for the entry, and the other entries are read.
"""

from __future__ import annotations

import email.utils
import io
import re
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from xml.etree.ElementTree import ParseError

import feedparser
from defusedxml import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from ondit.errors import InputError, NoArticleText, UnreadableInput
from ondit.ingest.readers import (
    _clean,
    _Defaults,
    _norm_lang,
    _normalise_newlines,
    _read_html,
    _same_line,
    _strip_bom,
)
from ondit.model import Article, BadDateError, PubDate

FEED_ROOTS = frozenset({"rss", "feed", "RDF"})
"""Local names of the root elements of RSS 0.9x/2.0, Atom, and RSS 0.90/1.0 (RDF)."""

_DTD_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)\b", re.IGNORECASE)
_WEB_ADDRESS = re.compile(r"^https?://\S+$", re.IGNORECASE)
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def read_feed(raw: bytes, origin: str, defaults: _Defaults) -> Iterator[Article | InputError]:
    """The entries of the RSS or Atom feed `raw` (already checked to be text), read from `origin`."""
    data = _strip_bom(raw).lstrip(b" \t\r\n")  # leading blanks make the XML declaration an error
    check = _check_xml(data, origin)
    if isinstance(check, InputError):
        yield check
        return
    root, not_well_formed = check
    local = root.rpartition("}")[2]
    if local.lower() == "html":  # XHTML saved as .xml
        yield _read_html(raw, origin, defaults)
        return
    if local not in FEED_ROOTS:
        yield UnreadableInput(origin, f"XML but not an RSS or Atom feed (root element <{local}>)")
        return
    try:
        parsed = feedparser.parse(io.BytesIO(data))
    except Exception as e:  # a bug in feedparser must not stop the other inputs
        yield UnreadableInput(origin, f"feed parsing failed ({type(e).__name__}: {e})")
        return
    entries: list[Any] = list(parsed.get("entries") or [])
    if parsed.get("bozo") and not any(_has_something(e) for e in entries):
        problem = not_well_formed or _one_line(str(parsed.get("bozo_exception") or "unknown error"))
        yield UnreadableInput(origin, f"malformed feed ({problem})")
        return
    if not entries:
        yield NoArticleText(origin, "the feed has no entries")
        return
    channel = parsed.get("feed") or {}
    outlet = _detail_text(channel.get("title_detail"), channel.get("title")) or defaults.outlet
    feed_lang = _norm_lang(_str(channel.get("language")))
    for n, entry in enumerate(entries, start=1):
        yield _entry(entry, f"{origin}#entry-{n}", outlet, feed_lang, defaults)


# --------------------------------------------------------------------------- XML safety


class _RootProbe:
    """A parser target that builds nothing and remembers the root element's tag."""

    def __init__(self) -> None:
        self.root: str | None = None

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if self.root is None:
            self.root = tag

    def end(self, tag: str) -> None:
        pass

    def data(self, data: str) -> None:
        pass

    def close(self) -> None:
        pass


def _check_xml(data: bytes, origin: str) -> tuple[str, str | None] | InputError:
    """The root element's tag and, if the XML breaks after it opened, why; or the error.

    feedparser only ever sees a document whose prolog (where a DTD would be) defusedxml
    has read in full and found without entity declarations or external references.
    """
    probe = _RootProbe()
    parser = DefusedXMLParser(target=probe, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    not_well_formed: str | None = None
    try:
        parser.feed(data)
        parser.close()
    except EntitiesForbidden as e:
        if e.sysid or e.pubid:
            ref = f"SYSTEM {e.sysid!r}" if e.sysid else f"PUBLIC {e.pubid!r}"
            return UnreadableInput(origin, f"unsafe XML: external entity '{e.name}' ({ref}) refused")
        return UnreadableInput(
            origin, f"unsafe XML: entity declaration '{e.name}' refused (entity expansion)"
        )
    except ExternalReferenceForbidden as e:
        return UnreadableInput(origin, f"unsafe XML: external reference {e.sysid!r} refused")
    except DefusedXmlException as e:
        return UnreadableInput(origin, f"unsafe XML: {e}")
    except ParseError as e:
        not_well_formed = f"not well-formed XML: {e}"
    except Exception as e:  # expat's own limits (nesting, amplification) and the like
        not_well_formed = f"XML parsing failed: {type(e).__name__}: {e}"
    if probe.root is None:
        return UnreadableInput(origin, f"malformed feed ({not_well_formed or 'no root element'})")
    if not_well_formed and _DTD_DECLARATION.search(data):
        return UnreadableInput(
            origin, f"unsafe XML: a DTD in a document that is not well-formed ({not_well_formed})"
        )
    return probe.root, not_well_formed


# --------------------------------------------------------------------------- entries


def _entry(
    entry: Any, where: str, outlet: str | None, feed_lang: str | None, defaults: _Defaults
) -> Article | InputError:
    title = _one_line(_detail_text(entry.get("title_detail"), entry.get("title")) or "")
    text, lang = _entry_text(entry)
    if not text:
        return NoArticleText(where, "no text in the feed entry (no content, no summary)")
    if title:
        first, _, rest = text.partition("\n")
        if _same_line(first, title) and rest.strip():
            text = rest.strip()
    link = _clean(_str(entry.get("link")))
    return Article(
        text=text,
        title=title,
        id=_clean(_str(entry.get("id"))),
        url=link if link and _WEB_ADDRESS.match(link) else None,
        published=_entry_date(entry) or defaults.published,
        outlet=outlet,
        lang=lang or feed_lang or defaults.lang,
        origin=where,
    )


def _has_something(entry: Any) -> bool:
    return any(entry.get(key) for key in ("title", "link", "id", "summary", "content"))


def _entry_text(entry: Any) -> tuple[str, str | None]:
    """The entry's full content if it has some, else its summary; and the language they are in."""
    details: list[Any] = [c for c in entry.get("content") or [] if isinstance(c, dict)]
    summary = entry.get("summary_detail")
    details.append(summary if isinstance(summary, dict) else {"value": entry.get("summary")})
    for detail in details:
        text = _detail_text(detail, None)
        if text:
            return text, _norm_lang(_str(detail.get("language")))
    return "", None


def _detail_text(detail: Any, fallback: Any) -> str | None:
    """The text of one of feedparser's ``*_detail`` dicts: HTML converted, plain text as is."""
    value = detail.get("value") if isinstance(detail, dict) else None
    if not isinstance(value, str):
        value = fallback
    if not isinstance(value, str):
        return None
    kind = detail.get("type") if isinstance(detail, dict) else None
    if kind in _HTML_TYPES or (kind is None and "<" in value):
        text = html_to_text(value)
    else:
        text = "\n".join(line.strip() for line in _normalise_newlines(value).split("\n"))
        text = re.sub(r"\n{2,}", "\n", text)
    return text.strip() or None


def _entry_date(entry: Any) -> PubDate | None:
    for key in ("published", "updated", "created"):
        raw = _str(entry.get(key))
        if raw:
            date = _feed_date(raw)
            if date:
                return date
        parsed = entry.get(f"{key}_parsed")
        if isinstance(parsed, time.struct_time):  # in UTC: feedparser converts
            return _day_or_minute(
                parsed.tm_year, parsed.tm_mon, parsed.tm_mday, parsed.tm_hour, parsed.tm_min
            )
    return None


def _feed_date(raw: str) -> PubDate | None:
    """A date as feeds write it (RFC 822 for RSS, RFC 3339 for Atom), in its own local time."""
    try:
        date = PubDate.parse(raw)
    except BadDateError:
        pass
    else:
        if date.day is None:  # a year or a month: as precise as the feed says
            return date
        return _day_or_minute(date.year, date.month, date.day, date.hour, date.minute)
    t = email.utils.parsedate_tz(raw)
    if t is None:
        return None
    return _day_or_minute(t[0], t[1], t[2], t[3], t[4])


def _day_or_minute(
    year: int, month: int | None, day: int | None, hour: int | None, minute: int | None
) -> PubDate | None:
    if month is None or day is None:
        return None
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    # 00:00 is what feeds write when they only know the day
    if hour is not None and minute is not None and (hour, minute) != (0, 0):
        iso += f"T{hour:02d}:{minute:02d}"
    try:
        return PubDate.parse(iso)
    except BadDateError:
        return None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- HTML to text

_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tr",
        "ul",
    }
)
_SKIPPED = frozenset({"script", "style", "noscript", "template", "head", "title", "svg", "iframe", "object"})
_CELLS = frozenset({"td", "th"})


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._current: list[str] = []
        self._skipping = 0

    def _flush(self) -> None:
        line = " ".join("".join(self._current).split())
        if line:
            self.lines.append(line)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag in _BLOCKS or tag == "br":
            self._flush()
        elif tag in _CELLS:
            self._current.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS or tag == "br":
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._current.append(data)


def html_to_text(html: str) -> str:
    """The text of an HTML fragment, one paragraph (block element or ``<br>``) a line."""
    collector = _TextCollector()
    try:
        collector.feed(html)
        collector.close()
    except Exception:  # html.parser is lenient; this is only a safety net
        pass
    collector._flush()
    return "\n".join(collector.lines)
