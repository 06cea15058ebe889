"""Reading inputs: plain text, HTML, JSON Lines, folders, and one InputError per bad input."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ondit.errors import InputError, NoArticleText, UnreadableInput
from ondit.ingest import read_inputs, readers
from ondit.model import Article, PubDate

TITLE = "Michelin rachète un spécialiste allemand des capteurs"
BODY = (
    "Le fabricant de pneumatiques Michelin a annoncé mardi l'acquisition de la société "
    "allemande Sensotek pour 120 millions d'euros.\n"
    "Selon Les Échos, l'opération devrait être finalisée au second semestre."
)
PLAIN = f"{TITLE}\n\n{BODY}\n"

HTML_PAGE = """<!DOCTYPE html>
<html lang="fr-FR">
<head>
<meta charset="utf-8">
<title>Stellantis et CATL s'allient en Espagne - Auto Infos</title>
<meta property="og:title" content="Stellantis et CATL s'allient en Espagne">
<meta property="og:site_name" content="Auto Infos">
<meta property="og:url" content="https://www.auto-infos.example/industrie/stellantis-catl">
<meta property="article:published_time" content="2024-12-10T08:45:00+01:00">
<link rel="canonical" href="https://www.auto-infos.example/industrie/stellantis-catl">
</head>
<body>
<header><nav><a href="/">Accueil</a> | <a href="/industrie">Industrie</a></nav></header>
<main><article>
<h1>Stellantis et CATL s'allient en Espagne</h1>
<p>Stellantis et le chinois CATL vont construire une usine de batteries à Saragosse,
ont annoncé mardi les deux groupes dans un communiqué commun.</p>
<p>L'investissement pourrait atteindre 4,1 milliards d'euros, selon Reuters.</p>
<p>La production devrait démarrer fin 2026.</p>
</article></main>
<footer><p>© 2024 Auto Infos</p></footer>
</body>
</html>
"""

BARE_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Airbus relève ses objectifs</title></head>
<body><article><h1>Airbus relève ses objectifs</h1>
<p>Airbus a relevé jeudi ses objectifs de livraisons pour l'année, porté par la demande
des compagnies asiatiques.</p>
<p>Le constructeur vise désormais 770 appareils livrés, contre 720 auparavant.</p>
</article></body></html>
"""

EMPTY_HTML = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Le Quotidien de l'Industrie</title></head>
<body><div id="root"></div><script src="/app.js"></script></body></html>
"""

CLI_DATE = PubDate(2020, 1, 2)


def read(*paths: str | Path, **kw: object) -> list[Article | InputError]:
    return list(read_inputs(paths, **kw))  # type: ignore[arg-type]


def articles(items: list[Article | InputError]) -> list[Article]:
    out = [i for i in items if isinstance(i, Article)]
    assert len(out) + len(errors(items)) == len(items)
    return out


def errors(items: list[Article | InputError]) -> list[InputError]:
    return [i for i in items if isinstance(i, InputError)]


def only_article(items: list[Article | InputError]) -> Article:
    assert len(items) == 1, items
    item = items[0]
    assert isinstance(item, Article), item
    return item


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_bytes(content.encode("utf-8"))
    else:
        path.write_bytes(content)
    return path


# --------------------------------------------------------------------------- plain text


def test_plain_text_title_and_text(tmp_path: Path) -> None:
    f = write(tmp_path / "michelin.txt", "\n\n  " + PLAIN)
    a = only_article(read(f))
    assert a.title == TITLE
    assert a.text == BODY
    assert a.origin == str(f)
    assert (a.id, a.url, a.published, a.outlet, a.lang) == (None, None, None, None, None)


def test_plain_text_crlf_and_bom(tmp_path: Path) -> None:
    f = write(tmp_path / "michelin.txt", b"\xef\xbb\xbf" + PLAIN.replace("\n", "\r\n").encode())
    a = only_article(read(f))
    assert a.title == TITLE
    assert a.text == BODY
    assert "\r" not in a.text


def test_plain_text_takes_cli_values(tmp_path: Path) -> None:
    f = write(tmp_path / "michelin.txt", PLAIN)
    a = only_article(read(f, published=CLI_DATE, outlet="Les Échos", lang="fr"))
    assert (a.published, a.outlet, a.lang) == (CLI_DATE, "Les Échos", "fr")


def test_single_line_is_text_not_title(tmp_path: Path) -> None:
    line = "Danone cède sa filiale russe à un fonds local, selon Reuters."
    a = only_article(read(write(tmp_path / "danone.txt", line + "\n")))
    assert (a.title, a.text) == ("", line)


def test_unknown_extension_named_explicitly_is_plain_text(tmp_path: Path) -> None:
    f = write(tmp_path / "depeche.dat", PLAIN)
    assert only_article(read(f)).title == TITLE


def test_markdown_named_explicitly_is_read(tmp_path: Path) -> None:
    f = write(tmp_path / "README.md", PLAIN)
    assert only_article(read(f)).text == BODY


def test_stdin_is_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(PLAIN.encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    a = only_article(read("-", lang="fr"))
    assert (a.title, a.text, a.origin, a.lang) == (TITLE, BODY, "<stdin>", "fr")


# --------------------------------------------------------------------------- HTML


def test_html_page(tmp_path: Path) -> None:
    f = write(tmp_path / "stellantis.html", HTML_PAGE)
    a = only_article(read(f, published=CLI_DATE, outlet="Autre", lang="en"))
    assert a.title == "Stellantis et CATL s'allient en Espagne"
    # the title that trafilatura repeats as the first line is dropped
    assert a.text.startswith("Stellantis et le chinois CATL vont construire")
    assert "L'investissement pourrait atteindre 4,1 milliards d'euros" in a.text
    assert a.text.endswith("La production devrait démarrer fin 2026.")
    assert "Accueil" not in a.text and "©" not in a.text
    # the page's own values win over the caller's
    assert a.published == PubDate(2024, 12, 10, 8, 45)
    assert a.published.precision == "minute"
    assert a.outlet == "Auto Infos"
    assert a.lang == "fr"
    assert a.url == "https://www.auto-infos.example/industrie/stellantis-catl"
    assert a.origin == str(f)


def test_html_date_only_is_day_precision(tmp_path: Path) -> None:
    page = HTML_PAGE.replace("2024-12-10T08:45:00+01:00", "2024-12-10")
    a = only_article(read(write(tmp_path / "stellantis.htm", page)))
    assert a.published == PubDate(2024, 12, 10)
    assert a.published.precision == "day"


def test_html_midnight_is_day_precision(tmp_path: Path) -> None:
    page = HTML_PAGE.replace("2024-12-10T08:45:00+01:00", "2024-12-10T00:00:00Z")
    a = only_article(read(write(tmp_path / "stellantis.html", page)))
    assert a.published == PubDate(2024, 12, 10)


def test_html_without_metadata_takes_cli_values(tmp_path: Path) -> None:
    f = write(tmp_path / "airbus.html", BARE_HTML)
    a = only_article(read(f, published=CLI_DATE, outlet="La Tribune", lang="fr"))
    assert a.title == "Airbus relève ses objectifs"
    assert a.text.startswith("Airbus a relevé jeudi")
    assert (a.published, a.outlet, a.lang, a.url) == (CLI_DATE, "La Tribune", "fr", None)


def test_html_body_date_is_not_taken_for_publication_date(tmp_path: Path) -> None:
    page = BARE_HTML.replace("jeudi", "le 3 janvier 2023")
    a = only_article(read(write(tmp_path / "airbus.html", page)))
    assert a.published is None


def test_html_declared_charset(tmp_path: Path) -> None:
    page = BARE_HTML.replace('charset="utf-8"', 'charset="iso-8859-1"')
    a = only_article(read(write(tmp_path / "airbus.html", page.encode("latin-1"))))
    assert a.title == "Airbus relève ses objectifs"
    assert "Le constructeur vise désormais 770 appareils" in a.text


@pytest.mark.parametrize("declared", ["windows-1252", "shift_jis", "no-such-charset"])
def test_html_utf8_bytes_win_over_a_wrong_declaration(tmp_path: Path, declared: str) -> None:
    # a page saved from a browser: re-encoded to UTF-8, old declaration kept
    page = BARE_HTML.replace('charset="utf-8"', f'charset="{declared}"')
    a = only_article(read(write(tmp_path / "airbus.html", page)))
    assert a.title == "Airbus relève ses objectifs"


def test_html_neither_declared_charset_nor_utf8(tmp_path: Path) -> None:
    page = BARE_HTML.replace('charset="utf-8"', 'charset="ascii"').encode("latin-1")
    page = page.replace("è".encode("latin-1"), b"\x81")  # undefined in windows-1252
    f = write(tmp_path / "airbus.html", page)
    (err,) = read(f)
    assert isinstance(err, UnreadableInput)
    assert err.reason.startswith("not UTF-8 text (byte 0x81 at offset ")
    assert err.reason.endswith(", nor cp1252 as declared")


@pytest.mark.parametrize("declared", ["base64", "rot13"])
def test_html_declaring_a_codec_that_is_no_text_encoding(tmp_path: Path, declared: str) -> None:
    page = BARE_HTML.replace('charset="utf-8"', f'charset="{declared}"').encode("latin-1")
    (err,) = read(write(tmp_path / "airbus.html", page))
    assert isinstance(err, UnreadableInput)  # and not a LookupError out of read_inputs
    assert err.reason.startswith("not UTF-8 text (byte 0xe8 at offset ")


def test_html_fragment(tmp_path: Path) -> None:
    fragment = "<h1>Airbus relève ses objectifs</h1>\n<p>Airbus vise 770 livraisons.</p>\n"
    a = only_article(read(write(tmp_path / "airbus.html", fragment)))
    assert (a.title, a.text) == ("Airbus relève ses objectifs", "Airbus vise 770 livraisons.")


def test_html_sniffed_in_text_file(tmp_path: Path) -> None:
    a = only_article(read(write(tmp_path / "airbus.txt", BARE_HTML)))
    assert a.title == "Airbus relève ses objectifs"
    assert "<" not in a.text


# --------------------------------------------------------------------------- JSON Lines

RECORDS: list[dict[str, object]] = [
    {
        "id": "lt-2024-0042",
        "url": "https://www.latribune.example/renault",
        "title": "Renault en discussions avec Geely",
        "text": "Renault serait en discussions avec Geely, selon Bloomberg.\r\nRien n'est signé.",
        "published": "2024-05-06T14:30",
        "outlet": "La Tribune",
        "lang": "fr",
    },
    {"id": 17, "text": "Orange a finalisé le rachat de MasOrange, a indiqué le groupe."},
]


def jsonl(*objs: object) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs)


def test_jsonl_records(tmp_path: Path) -> None:
    f = write(tmp_path / "lot.jsonl", jsonl(RECORDS[0]) + "\n" + jsonl(RECORDS[1]))
    items = read(f, published=CLI_DATE, outlet="Agence", lang="en")
    first, second = articles(items)
    assert len(items) == 2
    # the record's own values win
    assert first.id == "lt-2024-0042"
    assert first.title == "Renault en discussions avec Geely"
    assert first.text == RECORDS[0]["text"]  # kept as given: offsets stay valid
    assert first.url == "https://www.latribune.example/renault"
    assert first.published == PubDate(2024, 5, 6, 14, 30)
    assert (first.outlet, first.lang) == ("La Tribune", "fr")
    assert first.origin == f"{f}:1"
    # the caller's values fill in what the record does not say
    assert second.id == "17"
    assert second.title == ""
    assert (second.published, second.outlet, second.lang) == (CLI_DATE, "Agence", "en")
    assert second.origin == f"{f}:3"


BAD_LINES: list[tuple[str, bytes, type[InputError], str]] = [
    ("not json", b'{"text": "Total rach\xc3\xa8te', UnreadableInput, "not JSON"),
    ("array", b'["Total rach\xc3\xa8te Eren"]', UnreadableInput, "not a JSON object"),
    ("no text", b'{"id": "x", "title": "Total"}', NoArticleText, "'text'"),
    ("empty text", b'{"id": "x", "text": "  "}', NoArticleText, "empty 'text'"),
    ("text not a string", b'{"text": 12}', UnreadableInput, "'text' must be a string"),
    ("bad date", b'{"text": "Total.", "published": "12/03/2024"}', UnreadableInput, "published"),
    ("bad title", b'{"text": "Total.", "title": ["a"]}', UnreadableInput, "'title'"),
    ("latin-1", b'{"text": "Total rach\xe8te Eren."}', UnreadableInput, "byte 0xe8 at offset"),
]


@pytest.mark.parametrize(
    ("line", "cls", "reason"),
    [b[1:] for b in BAD_LINES],
    ids=[b[0] for b in BAD_LINES],
)
def test_jsonl_bad_line_in_the_middle(
    tmp_path: Path, line: bytes, cls: type[InputError], reason: str
) -> None:
    good1 = jsonl({"id": "a", "text": "Engie signe un contrat d'électricité avec Amazon."})
    good3 = jsonl({"id": "c", "text": "Sanofi lance un vaccin contre la grippe aviaire."})
    f = write(tmp_path / "lot.jsonl", good1.encode() + line + b"\n" + good3.encode())
    items = read(f)
    assert len(items) == 3
    assert [a.id for a in articles(items)] == ["a", "c"]
    (err,) = errors(items)
    assert type(err) is cls
    assert err.origin == f"{f}:2"
    assert reason in err.reason
    assert str(err).startswith(f"{f}:2: ")
    assert "\n" not in str(err)


def test_jsonl_bad_byte_offset_is_in_the_file(tmp_path: Path) -> None:
    first = jsonl({"text": "Engie signe."}).encode()
    f = write(tmp_path / "lot.jsonl", first + b'{"text": "\xe8"}\n')
    ok, err = read(f)
    assert isinstance(ok, Article)
    assert isinstance(err, UnreadableInput)
    assert err.reason == f"not UTF-8 text (byte 0xe8 at offset {len(first) + 10})"


def test_json_document_is_one_error(tmp_path: Path) -> None:
    f = write(tmp_path / "lot.json", json.dumps(RECORDS, indent=2))
    (err,) = read(f)
    assert isinstance(err, UnreadableInput)
    assert err.origin == str(f)
    assert "not JSON Lines" in err.reason


# --------------------------------------------------------------------------- folders


def test_folder_recursive_sorted_skips_hidden_and_notes(tmp_path: Path) -> None:
    d = tmp_path / "corpus"
    write(d / "b.txt", "B titre\nB texte.")
    write(d / "a.txt", "A titre\nA texte.")
    write(d / "sub" / "c.txt", "C titre\nC texte.")
    write(d / "sub" / "d.jsonl", jsonl({"id": "d", "title": "D titre", "text": "D texte."}))
    write(d / "sub" / "e.html", BARE_HTML.replace("Airbus relève", "E titre"))
    write(d / "README.md", "Notes sur le corpus\nÀ ne pas lire.")
    write(d / "notes.MD", "Notes\nÀ ne pas lire.")
    write(d / ".cache.txt", "Caché\nÀ ne pas lire.")
    write(d / ".git" / "x.txt", "Caché\nÀ ne pas lire.")
    write(d / "data.csv", "a,b\n1,2\n")
    write(d / "LISEZMOI", "Notes\nÀ ne pas lire.")
    items = read(d)
    titles = [a.title for a in articles(items)]
    assert titles == ["A titre", "B titre", "C titre", "D titre", "E titre ses objectifs"]
    assert not errors(items)


def test_empty_folder_yields_nothing(tmp_path: Path) -> None:
    d = tmp_path / "vide"
    write(d / "README.md", "Rien ici.")
    write(d / "sub" / ".hidden.txt", "Rien ici.")
    assert read(d) == []


def test_many_paths_in_order(tmp_path: Path) -> None:
    a = write(tmp_path / "z.txt", "Z titre\nZ texte.")
    b = write(tmp_path / "a.txt", "A titre\nA texte.")
    assert [x.title for x in articles(read(a, b))] == ["Z titre", "A titre"]


# --------------------------------------------------------------------------- bad inputs

BadMaker = Callable[[Path], Path]


def _binary_nul(d: Path) -> Path:
    # one NUL in plenty of text: still not text
    return write(d / "scan.txt", (PLAIN * 20 + "\x00" + PLAIN).encode())


def _binary_controls(d: Path) -> Path:
    return write(d / "dump.txt", bytes(range(1, 9)) * 50 + b"Renault")


def _pdf(d: Path) -> Path:
    return write(d / "rapport.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")


def _empty(d: Path) -> Path:
    return write(d / "vide.txt", b"")


def _whitespace(d: Path) -> Path:
    return write(d / "blanc.html", b" \n\t\r\n  \n")


def _bom_only(d: Path) -> Path:
    return write(d / "bom.jsonl", b"\xef\xbb\xbf\n")


def _latin1(d: Path) -> Path:
    return write(d / "latin.txt", "Total rachète Eren\nLe groupe pétrolier.".encode("latin-1"))


def _utf16(d: Path) -> Path:
    return write(d / "utf16.txt", PLAIN.encode("utf-16"))


def _latin1_html(d: Path) -> Path:
    return write(d / "latin.html", BARE_HTML.encode("latin-1"))


def _no_article_html(d: Path) -> Path:
    return write(d / "coquille.html", EMPTY_HTML)


def _title_only_html(d: Path) -> Path:
    page = "<html><head><title>Airbus</title></head><body><h1>Airbus</h1></body></html>"
    return write(d / "titre.html", page)


BAD_FILES: list[tuple[str, BadMaker, type[InputError], str]] = [
    ("nul bytes", _binary_nul, UnreadableInput, "binary file (NUL bytes)"),
    ("control chars", _binary_controls, UnreadableInput, "binary file (400 control characters"),
    ("pdf", _pdf, UnreadableInput, "binary file (PDF document)"),
    ("empty", _empty, UnreadableInput, "empty file"),
    ("whitespace", _whitespace, UnreadableInput, "empty file"),
    ("bom only", _bom_only, UnreadableInput, "empty file"),
    ("latin-1", _latin1, UnreadableInput, "not UTF-8 text (byte 0xe8 at offset 10)"),
    ("utf-16", _utf16, UnreadableInput, "not UTF-8 text"),
    ("latin-1 html", _latin1_html, UnreadableInput, "not UTF-8 text (byte 0xe8 at offset"),
    ("no article html", _no_article_html, NoArticleText, "no article text"),
    ("title-only html", _title_only_html, NoArticleText, "no article text"),
]


@pytest.mark.parametrize(("make", "cls", "reason"), [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES])
def test_bad_file_beside_good_ones(
    tmp_path: Path, make: BadMaker, cls: type[InputError], reason: str
) -> None:
    d = tmp_path / "corpus"
    write(d / "a-good.txt", PLAIN)
    bad = make(d)
    write(d / "z-good.html", BARE_HTML)
    for items in (read(d), read(d / "a-good.txt", bad, d / "z-good.html")):
        assert len(items) == 3, items
        assert [a.title for a in articles(items)] == [TITLE, "Airbus relève ses objectifs"]
        (err,) = errors(items)
        assert type(err) is cls
        assert err.origin == str(bad)
        assert reason in err.reason
        assert str(err) == f"{bad}: {err.reason}"
        assert "\n" not in str(err)


def test_missing_path(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", PLAIN)
    missing = tmp_path / "absent.txt"
    items = read(missing, good)
    assert len(items) == 2
    err = items[0]
    assert isinstance(err, UnreadableInput)
    assert str(err) == f"{missing}: no such file or directory"
    assert only_article(items[1:]).title == TITLE


def test_broken_symlink_in_folder(tmp_path: Path) -> None:
    d = tmp_path / "corpus"
    write(d / "good.txt", PLAIN)
    os.symlink(d / "absent.txt", d / "lien.txt")
    items = read(d / "lien.txt", d)
    assert len(items) == 2
    assert isinstance(items[0], UnreadableInput)
    assert items[0].origin == str(d / "lien.txt")
    assert only_article(items[1:]).title == TITLE  # the folder walk passes it by


def test_too_large_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "enorme.txt"
    with big.open("wb") as f:  # sparse: nothing is written, nothing would be read
        f.truncate(readers.MAX_BYTES + 1)
    read_sizes: list[int] = []
    real_open = Path.open

    def spy_open(self: Path, *args: object, **kw: object) -> object:
        handle = real_open(self, *args, **kw)  # type: ignore[call-overload]
        real_read = handle.read

        def read_(n: int = -1) -> bytes:
            data: bytes = real_read(n)
            read_sizes.append(len(data))
            return data

        handle.read = read_
        return handle

    monkeypatch.setattr(Path, "open", spy_open)
    good = write(tmp_path / "good.txt", PLAIN)
    items = read(big, good)
    assert len(items) == 2
    err = items[0]
    assert isinstance(err, UnreadableInput)
    limit = 20 * 1024 * 1024
    assert str(err) == f"{big}: file too large ({limit + 1} bytes, limit {limit})"
    # of the big file, only its head (to recognise a WARC archive, which would be streamed)
    assert read_sizes == [readers._WARC_SNIFF_BYTES, len(PLAIN.encode())]
    assert only_article(items[1:]).text == BODY


def test_size_limit_applies_to_every_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_BYTES", 100)
    small = write(tmp_path / "a.txt", "Titre\nCourt.")
    files = [
        write(tmp_path / "b.txt", PLAIN),
        write(tmp_path / "c.html", BARE_HTML),
        write(tmp_path / "d.jsonl", jsonl(*RECORDS)),
    ]
    items = read(tmp_path)
    assert only_article(items[:1]).origin == str(small)
    assert [e.origin for e in errors(items)] == [str(f) for f in files]
    assert all(type(e) is UnreadableInput for e in errors(items))
    assert all(e.reason.endswith("bytes, limit 100)") for e in errors(items))


def test_errors_do_not_stop_the_stream(tmp_path: Path) -> None:
    paths = [
        tmp_path / "absent.txt",
        write(tmp_path / "vide.txt", ""),
        write(tmp_path / "bin.txt", b"\x00\x01"),
        write(tmp_path / "ok.txt", PLAIN),
    ]
    items = read(*paths)
    assert [type(i) for i in items] == [UnreadableInput, UnreadableInput, UnreadableInput, Article]
