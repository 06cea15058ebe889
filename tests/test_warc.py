"""WARC archives: HTML pages fetched with status 200 become articles, the rest is passed by."""

from __future__ import annotations

import gzip
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ondit.errors import InputError, NoArticleText, UnreadableInput
from ondit.ingest import read_inputs, readers
from ondit.model import Article, PubDate


def page(title: str, *paragraphs: str, published: str = "", charset: str = "utf-8") -> str:
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="{charset}"><title>{title}</title>{meta}'
        '<meta property="og:site_name" content="La Gazette Industrielle"></head>'
        f"<body><nav><a href='/'>Accueil</a></nav><article><h1>{title}</h1>{body}</article>"
        "<footer>© La Gazette Industrielle</footer></body></html>"
    )


SAFRAN = page(
    "Safran investit dans une usine de freins carbone",
    "Safran va investir 200 millions d'euros dans une nouvelle usine de freins carbone "
    "près de Lyon, a annoncé le groupe jeudi.",
    "La production doit démarrer en 2027, selon un porte-parole.",
    published="2024-10-17T10:15:00+02:00",
)
ARKEMA = page(
    "Arkema cède son activité d'adhésifs",
    "Arkema est entré en négociations exclusives avec un fonds d'investissement pour lui céder "
    "son activité d'adhésifs, indique Les Échos.",
)
INTROUVABLE = page("Page introuvable", "La page que vous cherchez n'existe pas ou a été déplacée.")

Record = Callable[[WARCWriter], object]


def response(
    uri: str,
    body: bytes | str,
    status: str = "200 OK",
    content_type: str = "text/html; charset=utf-8",
    extra: list[tuple[str, str]] | None = None,
) -> Record:
    data = body.encode("utf-8") if isinstance(body, str) else body

    def make(w: WARCWriter) -> object:
        headers = [("Content-Type", content_type), *(extra or [])]
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        return w.create_warc_record(
            uri, "response", payload=io.BytesIO(data), length=len(data), http_headers=http
        )

    return make


def request(uri: str) -> Record:
    def make(w: WARCWriter) -> object:
        http = StatusAndHeaders(f"GET {uri} HTTP/1.1", [("Host", "gazette.example")], is_http_request=True)
        return w.create_warc_record(uri, "request", payload=io.BytesIO(b""), length=0, http_headers=http)

    return make


def warcinfo(w: WARCWriter) -> object:
    return w.create_warcinfo_record("crawl.warc", {"software": "ondit tests", "format": "WARC/1.0"})


def warc(*records: Record, compress: bool = False) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=compress)
    for make in records:
        writer.write_record(make(writer))
    return buf.getvalue()


CRAWL: tuple[Record, ...] = (
    warcinfo,  # 1
    request("https://gazette.example/safran-usine"),  # 2
    response("https://gazette.example/safran-usine", SAFRAN),  # 3
    response("https://gazette.example/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00", content_type="image/png"),  # 4
    response("https://gazette.example/ancien", INTROUVABLE, status="404 Not Found"),  # 5
    response("https://gazette.example/arkema", ARKEMA, content_type="application/xhtml+xml"),  # 6
)


def read(*paths: str | Path, **kw: object) -> list[Article | InputError]:
    return list(read_inputs(paths, **kw))  # type: ignore[arg-type]


def write(path: Path, content: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def check_crawl(items: list[Article | InputError], f: Path) -> None:
    safran, arkema = items
    assert isinstance(safran, Article) and isinstance(arkema, Article)
    assert safran.url == "https://gazette.example/safran-usine"
    assert safran.origin == f"{f}#record-3"
    assert safran.title == "Safran investit dans une usine de freins carbone"
    assert safran.text.startswith("Safran va investir 200 millions d'euros")
    assert safran.text.endswith("selon un porte-parole.")
    assert "Accueil" not in safran.text
    assert safran.published == PubDate(2024, 10, 17, 10, 15)
    assert (safran.outlet, safran.lang) == ("La Gazette Industrielle", "fr")
    assert arkema.url == "https://gazette.example/arkema"
    assert arkema.origin == f"{f}#record-6"
    assert arkema.published == CLI_DATE


CLI_DATE = PubDate(2024, 10, 18)


# --------------------------------------------------------------------------- good archives


def test_warc_only_html_200_responses(tmp_path: Path) -> None:
    f = write(tmp_path / "crawl.warc", warc(*CRAWL))
    check_crawl(read(f, published=CLI_DATE), f)


def test_warc_gz(tmp_path: Path) -> None:
    f = write(tmp_path / "crawl.warc.gz", warc(*CRAWL, compress=True))
    check_crawl(read(f, published=CLI_DATE), f)


def test_warc_gzipped_as_one_member(tmp_path: Path) -> None:
    # `gzip crawl.warc`: one gzip member for the whole file, which warcio alone refuses
    f = write(tmp_path / "crawl.warc.gz", gzip.compress(warc(*CRAWL)))
    check_crawl(read(f, published=CLI_DATE), f)


@pytest.mark.parametrize("compress", [False, True], ids=["warc", "warc.gz"])
def test_warc_sniffed_whatever_its_name(tmp_path: Path, compress: bool) -> None:
    f = write(tmp_path / "collecte.dat", warc(*CRAWL, compress=compress))
    check_crawl(read(f, published=CLI_DATE), f)


def test_http_charset_and_content_encoding(tmp_path: Path) -> None:
    latin = page("Michelin ferme deux usines", "Michelin va fermer ses usines de Cholet et de Vannes.")
    body = latin.replace('<meta charset="utf-8">', "").encode("latin-1")
    f = write(
        tmp_path / "crawl.warc",
        warc(
            response(
                "https://gazette.example/michelin",
                gzip.compress(body),
                content_type="text/html; charset=ISO-8859-1",
                extra=[("Content-Encoding", "gzip")],
            )
        ),
    )
    (a,) = read(f)
    assert isinstance(a, Article)
    assert a.title == "Michelin ferme deux usines"
    assert "Michelin va fermer ses usines de Cholet et de Vannes." in a.text


def test_page_without_article_text(tmp_path: Path) -> None:
    empty = "<html><head><title>Accueil</title></head><body><div id='app'></div></body></html>"
    f = write(
        tmp_path / "crawl.warc",
        warc(response("https://gazette.example/", empty), response("https://gazette.example/safran", SAFRAN)),
    )
    err, a = read(f)
    assert type(err) is NoArticleText
    assert err.origin == f"{f}#record-1"
    assert isinstance(a, Article) and a.origin == f"{f}#record-2"


def test_warc_without_any_page(tmp_path: Path) -> None:
    f = write(tmp_path / "crawl.warc", warc(warcinfo, request("https://gazette.example/")))
    (err,) = read(f)
    assert type(err) is NoArticleText
    assert err.origin == str(f)
    assert "no HTML page" in err.reason


# --------------------------------------------------------------------------- size limit


def test_size_limit_is_per_page_not_per_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = page("Page géante", *["Un paragraphe de remplissage sur Renault et Nissan."] * 100)
    data = warc(*CRAWL[:3], response("https://gazette.example/geante", big), *CRAWL[3:])
    limit = len(SAFRAN.encode()) + 10
    assert len(big.encode()) > limit and len(data) > 3 * limit
    monkeypatch.setattr(readers, "MAX_BYTES", limit)
    f = write(tmp_path / "crawl.warc", data)
    safran, err, arkema = read(f)
    assert isinstance(safran, Article) and isinstance(arkema, Article)
    assert safran.origin == f"{f}#record-3"
    assert arkema.origin == f"{f}#record-7"
    assert type(err) is UnreadableInput
    assert str(err) == f"{f}#record-4: page too large (more than {limit} bytes, limit {limit})"


def test_large_archive_with_another_name_is_streamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = warc(*CRAWL, compress=True)
    monkeypatch.setattr(readers, "MAX_BYTES", len(data) - 1)  # the file is too large, its pages are not
    f = write(tmp_path / "collecte.bin", data)
    check_crawl(read(f, published=CLI_DATE), f)


# --------------------------------------------------------------------------- broken archives


def test_truncated_warc_gz_keeps_earlier_records(tmp_path: Path) -> None:
    data = warc(*CRAWL, compress=True)
    cut = data[: len(data) - 200]  # inside the last record's gzip member
    f = write(tmp_path / "crawl.warc.gz", cut)
    items = read(f)
    assert len(items) == 2, items
    safran, err = items
    assert isinstance(safran, Article) and safran.origin == f"{f}#record-3"
    assert type(err) is UnreadableInput
    assert err.origin == f"{f}#record-6"
    assert err.reason == "truncated gzip data (the file breaks off); the rest of the file is skipped"


def test_truncated_warc_keeps_earlier_records(tmp_path: Path) -> None:
    data = warc(*CRAWL)
    f = write(tmp_path / "crawl.warc", data[: len(data) - 100])
    safran, err = read(f)
    assert isinstance(safran, Article)
    assert isinstance(err, UnreadableInput)
    assert err.origin == f"{f}#record-6"
    # the 4 bytes of the blank lines after the record are not counted in its Content-Length
    assert err.reason == "truncated record (96 bytes missing); the rest of the file is skipped"


def test_warc_cut_in_record_headers(tmp_path: Path) -> None:
    data = warc(*CRAWL)
    starts = [i for i in range(len(data)) if data.startswith(b"WARC/1.0\r\nWARC-Type: ", i)]
    fourth = starts[3]
    f = write(tmp_path / "crawl.warc", data[: fourth + 60])  # warcio alone would end quietly here
    safran, err = read(f)
    assert isinstance(safran, Article) and safran.origin == f"{f}#record-3"
    assert isinstance(err, UnreadableInput)
    assert (
        str(err)
        == f"{f}#record-4: truncated record (its WARC headers break off); the rest of the file is skipped"
    )


def test_malformed_record_stops_the_file(tmp_path: Path) -> None:
    good = warc(*CRAWL[:3])
    later = warc(response("https://gazette.example/arkema", ARKEMA))
    f = write(tmp_path / "crawl.warc", good + b"GARBAGE/0.1 pas un en-tete\r\n\r\n" + later)
    safran, err = read(f)
    assert isinstance(safran, Article) and safran.origin == f"{f}#record-3"
    assert isinstance(err, UnreadableInput)
    assert err.origin == f"{f}#record-4"
    assert err.reason.startswith("malformed WARC record (")
    assert "\n" not in str(err)


def test_wrong_content_length_stops_the_file(tmp_path: Path) -> None:
    data = warc(*CRAWL)
    first_response = data.index(b"WARC-Type: response")
    at = data.index(b"Content-Length: ", first_response) + len(b"Content-Length: ")
    end = data.index(b"\r\n", at)
    length = int(data[at:end])
    broken = data[:at] + str(length - 40).encode() + data[end:]
    f = write(tmp_path / "crawl.warc", broken)
    items = read(f)
    assert all(isinstance(i, Article) for i in items[:-1])
    err = items[-1]
    assert isinstance(err, UnreadableInput)
    assert err.reason.startswith("malformed WARC record")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("faux.warc", "Ceci n'est pas une archive.\n", "not a WARC archive"),
        ("faux.warc.gz", gzip.compress(b"Ceci n'est pas une archive.\n"), "not a WARC archive"),
        ("abime.warc.gz", gzip.compress(b"WARC/1.0\r\n")[:10] + b"\xff" * 40, "bad gzip data"),
        ("coupe.warc.gz", gzip.compress(b"WARC/1.0\r\n" * 9)[:-12], "truncated gzip data"),
        ("vide.warc", b"", "empty file"),
    ],
    ids=["text", "gzipped text", "bad gzip", "cut gzip", "empty"],
)
def test_not_a_warc(tmp_path: Path, name: str, content: bytes | str, reason: str) -> None:
    f = write(tmp_path / name, content)
    (err,) = read(f)
    assert isinstance(err, UnreadableInput)
    assert err.origin.startswith(str(f))
    assert reason in err.reason


def test_gzipped_text_is_still_binary(tmp_path: Path) -> None:
    f = write(tmp_path / "notes.txt.gz", gzip.compress(b"Renault\nNissan\n"))
    (err,) = read(f)
    assert isinstance(err, UnreadableInput)
    assert err.reason == "binary file (gzip data)"


# --------------------------------------------------------------------------- folders


def test_folder_walk_picks_up_archives(tmp_path: Path) -> None:
    d = tmp_path / "archives"
    write(d / "a.warc", warc(*CRAWL[:3]))
    write(d / "sub" / "b.WARC.GZ", warc(*CRAWL[3:], compress=True))
    write(d / "c.gz", gzip.compress(warc(*CRAWL)))  # not a .warc.gz: left alone
    items = read(d)
    assert [i.origin for i in items] == [f"{d / 'a.warc'}#record-3", f"{d / 'sub' / 'b.WARC.GZ'}#record-3"]
    assert all(isinstance(i, Article) for i in items)
