"""RSS and Atom feed files: one article per entry, unsafe XML refused before feedparser sees it."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest

from ondit.errors import InputError, NoArticleText, UnreadableInput
from ondit.ingest import feeds, read_inputs
from ondit.model import Article, PubDate

CLI_DATE = PubDate(2020, 1, 2)

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Le Courrier des Affaires</title>
  <link>https://courrier-affaires.example/</link>
  <language>fr-FR</language>
  <item>
    <title>Legrand s'offre un spécialiste néerlandais des bornes de recharge</title>
    <link>https://courrier-affaires.example/legrand-bornes</link>
    <guid isPermaLink="false">ca-2024-1187</guid>
    <pubDate>Tue, 10 Dec 2024 08:45:00 +0100</pubDate>
    <description>Le groupe limougeaud rachète Voltwerk.</description>
    <content:encoded><![CDATA[
      <p>Le groupe <b>Legrand</b> a annoncé mardi le rachat de la société néerlandaise
      Voltwerk, spécialisée dans les bornes de recharge pour véhicules électriques.</p>
      <p>Le montant de l'opération n'a pas été dévoilé, mais il avoisinerait
      80 millions d'euros, selon <a href="https://example.org">L'Usine Nouvelle</a>.</p>
      <script>trackMe();</script>
    ]]></content:encoded>
  </item>
  <item>
    <title>Fnac Darty relève ses prévisions</title>
    <link>https://courrier-affaires.example/fnac-darty</link>
    <pubDate>Wed, 11 Dec 2024 00:00:00 +0100</pubDate>
    <description>Fnac Darty a relevé mercredi ses prévisions annuelles.</description>
    <content:encoded><![CDATA[<p>Fnac Darty a relevé mercredi ses prévisions annuelles,
    portée par les ventes de fin d'année.</p>]]></content:encoded>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <title>Tech et Capital</title>
  <id>urn:uuid:6d1c2f9e-0000-4000-8000-000000000001</id>
  <updated>2024-11-05T09:30:00+01:00</updated>
  <entry>
    <title>Mistral AI lève 600 millions d'euros</title>
    <id>tag:tech-capital.example,2024:mistral-levee</id>
    <link rel="alternate" href="https://tech-capital.example/mistral-levee"/>
    <published>2024-11-04</published>
    <updated>2024-11-05T09:30:00+01:00</updated>
    <summary>Une levée de fonds record.</summary>
    <content type="html">&lt;p&gt;La start-up parisienne Mistral AI a bouclé une levée de fonds de
      600 millions d'euros, a-t-elle annoncé lundi.&lt;/p&gt;&lt;p&gt;Le tour de table est mené par
      un fonds américain.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title type="html">Ledger &lt;i&gt;ouvre&lt;/i&gt; une usine à Vierzon</title>
    <id>tag:tech-capital.example,2024:ledger-usine</id>
    <updated>2024-11-06T14:05:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Ledger va produire
      ses portefeuilles de cryptomonnaies à Vierzon, dans le Cher.</p></div></content>
  </entry>
</feed>
"""

SUMMARY_ONLY = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
  <title>Dépêches Éco</title>
  <item>
    <title>Carrefour cède ses magasins à Taïwan</title>
    <link>https://depeches-eco.example/carrefour-taiwan</link>
    <description>Carrefour a finalisé la cession de ses activités à Taïwan au groupe
    &lt;b&gt;Uni-President&lt;/b&gt; pour 1 milliard d'euros.</description>
  </item>
</channel>
</rss>
"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Rires</title>
<item><title>Renault</title><description>&lol9;</description></item>
</channel></rss>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>Fuite</title>
<item><title>Safran</title><description>&xxe;</description></item>
</channel></rss>
"""

MALFORMED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
  <title>Le Courrier des Affaires</title>
  <item>
    <title>Kering nomme un nouveau directeur général
"""

NO_TEXT_ENTRY = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
  <title>Dépêches Éco</title>
  <item>
    <title>Veolia remporte un contrat à Riyad</title>
    <description>Veolia a remporté un contrat de dessalement d'eau de mer à Riyad.</description>
  </item>
  <item>
    <title>Titre sans article</title>
    <link>https://depeches-eco.example/vide</link>
    <description>   </description>
  </item>
  <item>
    <title>Bouygues Telecom rachète La Poste Telecom</title>
    <description>Bouygues Telecom a signé un accord pour racheter La Poste Telecom.</description>
  </item>
</channel>
</rss>
"""


def read(*paths: str | Path, **kw: object) -> list[Article | InputError]:
    return list(read_inputs(paths, **kw))  # type: ignore[arg-type]


def articles(items: list[Article | InputError]) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def errors(items: list[Article | InputError]) -> list[InputError]:
    return [i for i in items if isinstance(i, InputError)]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


@pytest.fixture
def no_feedparser(monkeypatch: pytest.MonkeyPatch) -> None:
    """feedparser must never see the document."""

    def refuse(*args: object, **kw: object) -> object:
        raise AssertionError("feedparser was handed an unsafe document")

    monkeypatch.setattr(feedparser, "parse", refuse)


# --------------------------------------------------------------------------- good feeds


def test_rss_with_content_encoded(tmp_path: Path) -> None:
    f = write(tmp_path / "courrier.rss", RSS)
    items = read(f, published=CLI_DATE, outlet="Autre", lang="en")
    assert not errors(items)
    first, second = articles(items)
    assert first.title == "Legrand s'offre un spécialiste néerlandais des bornes de recharge"
    # the full content, not the description; one paragraph a line, inline tags kept inline
    assert first.text == (
        "Le groupe Legrand a annoncé mardi le rachat de la société néerlandaise Voltwerk, "
        "spécialisée dans les bornes de recharge pour véhicules électriques.\n"
        "Le montant de l'opération n'a pas été dévoilé, mais il avoisinerait 80 millions "
        "d'euros, selon L'Usine Nouvelle."
    )
    assert first.url == "https://courrier-affaires.example/legrand-bornes"
    assert first.id == "ca-2024-1187"
    # the feed's local time, not UTC
    assert first.published == PubDate(2024, 12, 10, 8, 45)
    assert first.outlet == "Le Courrier des Affaires"
    assert first.lang == "fr"
    assert first.origin == f"{f}#entry-1"
    # no guid: no id; midnight: only the day is known
    assert second.id is None
    assert second.published == PubDate(2024, 12, 11)
    assert second.text.startswith("Fnac Darty a relevé mercredi ses prévisions annuelles, portée")
    assert second.origin == f"{f}#entry-2"


def test_atom_with_content(tmp_path: Path) -> None:
    f = write(tmp_path / "tech.atom", ATOM)
    first, second = read(f)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.title == "Mistral AI lève 600 millions d'euros"
    assert first.text == (
        "La start-up parisienne Mistral AI a bouclé une levée de fonds de 600 millions d'euros, "
        "a-t-elle annoncé lundi.\nLe tour de table est mené par un fonds américain."
    )
    assert first.id == "tag:tech-capital.example,2024:mistral-levee"
    assert first.url == "https://tech-capital.example/mistral-levee"
    assert first.published == PubDate(2024, 11, 4)  # published wins over updated
    assert first.published.precision == "day"
    assert (first.outlet, first.lang) == ("Tech et Capital", "fr")
    # HTML title, XHTML content, only an update date, an id but no link
    assert second.title == "Ledger ouvre une usine à Vierzon"
    assert second.text == "Ledger va produire ses portefeuilles de cryptomonnaies à Vierzon, dans le Cher."
    assert second.published == PubDate(2024, 11, 6, 14, 5)
    assert second.id == "tag:tech-capital.example,2024:ledger-usine"
    assert second.url is None  # feedparser offers the tag: id as link; it is no web address


def test_summary_when_no_full_content(tmp_path: Path) -> None:
    f = write(tmp_path / "depeches.xml", SUMMARY_ONLY)
    (a,) = read(f, published=CLI_DATE, lang="fr")
    assert isinstance(a, Article)
    assert a.text == (
        "Carrefour a finalisé la cession de ses activités à Taïwan au groupe Uni-President "
        "pour 1 milliard d'euros."
    )
    assert (a.title, a.url) == (
        "Carrefour cède ses magasins à Taïwan",
        "https://depeches-eco.example/carrefour-taiwan",
    )
    assert (a.published, a.outlet, a.lang) == (CLI_DATE, "Dépêches Éco", "fr")


def test_cli_outlet_fills_in_a_feed_without_title(tmp_path: Path) -> None:
    feed = SUMMARY_ONLY.replace("<title>Dépêches Éco</title>", "")
    (a,) = read(write(tmp_path / "sans-titre.rss", feed), outlet="AFP")
    assert isinstance(a, Article)
    assert a.outlet == "AFP"


def test_html_entities_in_a_feed_are_read_leniently(tmp_path: Path) -> None:
    # not well-formed XML (HTML entities are undefined in XML), as many real feeds are
    feed = SUMMARY_ONLY.replace("cède", "c&egrave;de").replace("finalisé", "finalis&eacute;")
    (a,) = read(write(tmp_path / "depeches.rss", feed))
    assert isinstance(a, Article)
    assert a.title == "Carrefour cède ses magasins à Taïwan"
    assert a.text.startswith("Carrefour a finalisé la cession")


def test_latin1_feed_with_its_declaration(tmp_path: Path) -> None:
    feed = SUMMARY_ONLY.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1")
    (a,) = read(write(tmp_path / "depeches.rss", feed))
    assert isinstance(a, Article)
    assert a.title == "Carrefour cède ses magasins à Taïwan"
    assert a.outlet == "Dépêches Éco"


def test_rss_091_doctype_is_accepted(tmp_path: Path) -> None:
    doctype = (
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"\n'
        ' "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
    )
    feed = SUMMARY_ONLY.replace('<rss version="2.0">', doctype + '<rss version="0.91">')
    (a,) = read(write(tmp_path / "vieux.rss", feed))
    assert isinstance(a, Article)
    assert a.title == "Carrefour cède ses magasins à Taïwan"


def test_feed_sniffed_in_a_text_file(tmp_path: Path) -> None:
    (a,) = read(write(tmp_path / "depeches.txt", SUMMARY_ONLY))
    assert isinstance(a, Article)
    assert a.title == "Carrefour cède ses magasins à Taïwan"
    assert "<" not in a.text


def test_xhtml_saved_as_xml_is_html(tmp_path: Path) -> None:
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Airbus relève ses objectifs</title>'
        "</head><body><article><h1>Airbus relève ses objectifs</h1>"
        "<p>Airbus a relevé jeudi ses objectifs de livraisons pour l'année.</p></article></body></html>"
    )
    (a,) = read(write(tmp_path / "airbus.xml", page))
    assert isinstance(a, Article)
    assert a.text == "Airbus a relevé jeudi ses objectifs de livraisons pour l'année."


# --------------------------------------------------------------------------- bad feeds


@pytest.mark.usefixtures("no_feedparser")
def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    f = write(tmp_path / "rires.rss", BILLION_LAUGHS)
    (err,) = read(f)
    assert type(err) is UnreadableInput
    assert err.origin == str(f)
    assert err.reason.startswith("unsafe XML: ")
    assert "entity declaration 'lol'" in err.reason


@pytest.mark.usefixtures("no_feedparser")
def test_external_entity_is_refused(tmp_path: Path) -> None:
    f = write(tmp_path / "fuite.xml", EXTERNAL_ENTITY)
    (err,) = read(f)
    assert type(err) is UnreadableInput
    assert err.origin == str(f)
    assert err.reason == "unsafe XML: external entity 'xxe' (SYSTEM 'file:///etc/passwd') refused"
    assert "root:" not in str(err)


@pytest.mark.usefixtures("no_feedparser")
def test_unsafe_feed_is_refused_when_sniffed_too(tmp_path: Path) -> None:
    (err,) = read(write(tmp_path / "rires.txt", BILLION_LAUGHS))
    assert isinstance(err, UnreadableInput)
    assert err.reason.startswith("unsafe XML: ")


@pytest.mark.usefixtures("no_feedparser")
def test_external_dtd_with_its_entities_is_refused(tmp_path: Path) -> None:
    # entities from an external DTD: nothing is fetched, and the document is not passed on
    dtd = write(tmp_path / "secret.dtd", '<!ENTITY xxe SYSTEM "file:///etc/passwd">')
    feed = SUMMARY_ONLY.replace('<rss version="2.0">', f'<!DOCTYPE rss SYSTEM "{dtd.as_uri()}">\n<rss>')
    f = write(tmp_path / "fuite.rss", feed.replace("Carrefour a finalisé", "&xxe;"))
    (err,) = read(f)
    assert isinstance(err, UnreadableInput)
    assert err.reason.startswith("unsafe XML: a DTD in a document that is not well-formed")


def test_external_dtd_is_not_fetched(tmp_path: Path) -> None:
    # a well-formed feed naming an external DTD is read; the DTD (broken here) is never loaded
    dtd = write(tmp_path / "casse.dtd", '<!ENTITY % p SYSTEM "file:///etc/passwd"> %p; <<<')
    feed = SUMMARY_ONLY.replace('<rss version="2.0">', f'<!DOCTYPE rss SYSTEM "{dtd.as_uri()}">\n<rss>')
    (a,) = read(write(tmp_path / "depeches.rss", feed))
    assert isinstance(a, Article)
    assert a.title == "Carrefour cède ses magasins à Taïwan"


@pytest.mark.usefixtures("no_feedparser")
def test_doctype_after_the_root_is_refused(tmp_path: Path) -> None:
    feed = SUMMARY_ONLY.replace("<channel>", '<channel><!DOCTYPE x [<!ENTITY a "b">]>')
    (err,) = read(write(tmp_path / "ruse.rss", feed))
    assert isinstance(err, UnreadableInput)
    assert err.reason.startswith("unsafe XML: ")


def test_malformed_feed(tmp_path: Path) -> None:
    f = write(tmp_path / "coupe.rss", MALFORMED)
    (err,) = read(f)
    assert type(err) is UnreadableInput
    assert err.origin == str(f)
    assert err.reason.startswith("malformed feed (")
    assert "\n" not in str(err)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("<rss", "malformed feed (not well-formed XML"),
        ("<rss version='2.0'><channel><title>Vide</title></channel></rss>", "the feed has no entries"),
        (
            '<?xml version="1.0"?><urlset><url>x</url></urlset>',
            "not an RSS or Atom feed (root element <urlset>)",
        ),
    ],
    ids=["cut", "no entries", "sitemap"],
)
def test_not_a_usable_feed(tmp_path: Path, content: str, reason: str) -> None:
    f = write(tmp_path / "flux.xml", content)
    (err,) = read(f)
    assert isinstance(err, InputError)
    assert err.origin == str(f)
    assert reason in err.reason


def test_entry_without_text(tmp_path: Path) -> None:
    f = write(tmp_path / "depeches.rss", NO_TEXT_ENTRY)
    first, err, third = read(f)
    assert isinstance(first, Article) and isinstance(third, Article)
    assert first.title == "Veolia remporte un contrat à Riyad"
    assert third.origin == f"{f}#entry-3"
    assert type(err) is NoArticleText
    assert err.origin == f"{f}#entry-2"
    assert str(err) == f"{f}#entry-2: no text in the feed entry (no content, no summary)"


# --------------------------------------------------------------------------- folders and helpers


def test_folder_walk_picks_up_feeds(tmp_path: Path) -> None:
    d = tmp_path / "flux"
    write(d / "a.rss", SUMMARY_ONLY)
    write(d / "b.ATOM", ATOM)
    write(d / "sub" / "c.xml", RSS)
    write(d / "notes.md", "Notes\nÀ ne pas lire.")
    items = read(d)
    assert not errors(items)
    assert [a.origin for a in articles(items)] == [
        f"{d / 'a.rss'}#entry-1",
        f"{d / 'b.ATOM'}#entry-1",
        f"{d / 'b.ATOM'}#entry-2",
        f"{d / 'sub' / 'c.xml'}#entry-1",
        f"{d / 'sub' / 'c.xml'}#entry-2",
    ]


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Un <b>mot</b> gras.</p><p>Deux.</p>", "Un mot gras.\nDeux."),
        ("Ligne un<br>ligne deux<br/>", "Ligne un\nligne deux"),
        ("<ul><li>Un</li><li>Deux</li></ul>", "Un\nDeux"),
        ("<style>p{}</style><p>Texte &amp; suite</p><script>x()</script>", "Texte & suite"),
        ("<table><tr><td>CA</td><td>12 M€</td></tr></table>", "CA 12 M€"),
        ("Sans balise", "Sans balise"),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert feeds.html_to_text(html) == text
