"""Throughput: ondit's whole per-article path against plain spaCy parsing.

Run from the repository root:

    .venv/bin/python benchmarks/throughput.py [--n 300] [--json]

N articles are built from `examples/articles.jsonl`, each one perturbed (a number
changed, a company swapped for another, a sentence of its own with the article
index added) so that every text is distinct and nothing cached from one article
can help another. In one process, with both models loaded and warmed beforehand
on two extra articles, it times:

1. plain spaCy: `fr_core_news_md`, `nlp.pipe(texts, batch_size=16)` over
   title + "\\n\\n" + text (the text ondit parses);
2. ondit: `list(extract_many(articles))`, i.e. language check, parsing with
   ondit's components, and building each `ArticleExtraction`.

The ratio reported is ondit's speed over plain spaCy's (articles/second);
the target is at least 0.75.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import spacy

from ondit.extract.run import extract_many
from ondit.model import Article, ArticleExtraction, PubDate
from ondit.nlp.pipeline import load

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "examples" / "articles.jsonl"
BATCH_SIZE = 16
N_WARM = 2
TARGET_RATIO = 0.75

FIRST_NAMES = [
    "Camille",
    "Julien",
    "Sophie",
    "Thomas",
    "Nadia",
    "Hugo",
    "Léa",
    "Mathieu",
    "Inès",
    "Antoine",
    "Chloé",
    "Karim",
    "Élodie",
]
LAST_NAMES = [
    "Martin",
    "Lefèvre",
    "Garnier",
    "Rousseau",
    "Benali",
    "Moreau",
    "Chevalier",
    "Perrin",
    "Fontaine",
    "Marchand",
    "Roussel",
]
FIRMS = [
    "Oddo BHF",
    "Kepler Cheuvreux",
    "Bryan Garnier",
    "Natixis",
    "Alphavalue",
    "Invest Securities",
    "Portzamparc",
]
# companies of the corpus, and others of the same kind to swap in (all occurrences)
SWAPS = {
    "Stellantis": ["Renault", "Volkswagen", "Toyota", "Hyundai"],
    "Baidu": ["Xiaomi", "Geely", "Nio", "Alibaba"],
    "Verkor": ["ACC", "Northvolt", "Blue Solutions", "Tiamat"],
    "Saft": ["Forsee Power", "Arkema", "Umicore", "Orano"],
    "Bouygues Telecom": ["Orange", "Free", "Altice", "Vivendi"],
    "SFR": ["Orange", "Free", "Altice", "Vivendi"],
    "TotalEnergies": ["Engie", "EDF", "Air Liquide", "Eramet"],
}
# a quantity worth changing: an integer (or decimal) followed by a unit
QUANTITY = re.compile(
    r"(?<![\d/,.:])(\d{1,4})(,\d+)?(?=\s*(?:%|millions?|milliards?|euros|€|salariés|emplois"
    r"|ans|véhicules|voitures|sites|usines|heures|GWh|mois|jours|abonnés|clients))"
)
ANY_NUMBER = re.compile(r"(?<![\d/,.:])(\d{2,3})(?![\d/,.:h])")


def perturb(record: dict[str, Any], i: int) -> dict[str, Any]:
    """A distinct variant of `record` for the article number `i`."""
    text: str = record["text"]
    title: str = record["title"]
    # 1. change a number (a quantity if there is one, else any 2-3 digit number)
    m = QUANTITY.search(text) or ANY_NUMBER.search(text)
    if m:
        value = int(m.group(1))
        delta = 1 + i % 9
        new = str(value - delta if value > delta * 2 and value % 100 >= 90 else value + delta)
        text = text[: m.start(1)] + new + text[m.end(1) :]
    # 2. swap one company of the corpus for another one, everywhere in the article
    present = [c for c in SWAPS if re.search(rf"\b{re.escape(c)}\b", title + "\n" + text)]
    if present:
        old = present[i % len(present)]
        repl = SWAPS[old][(i // len(present)) % len(SWAPS[old])]
        pattern = re.compile(rf"\b{re.escape(old)}\b")
        text, title = pattern.sub(repl, text), pattern.sub(repl, title)
    # 3. a sentence of our own, with the article index
    first = FIRST_NAMES[i % len(FIRST_NAMES)]
    last = LAST_NAMES[(i // len(FIRST_NAMES)) % len(LAST_NAMES)]
    firm = FIRMS[i % len(FIRMS)]
    text += (
        f"\n\n{first} {last}, analyste chez {firm}, estime que le dossier n° {i + 1} "
        f"pourrait évoluer d'ici {2 + i % 9} mois."
    )
    return {**record, "text": text, "title": title, "id": f"{record['id']}-{i:05d}"}


def build(n: int) -> list[dict[str, Any]]:
    """n distinct perturbed records, cycling over the corpus."""
    with CORPUS.open(encoding="utf-8") as f:
        corpus = [json.loads(line) for line in f if line.strip()]
    records = [perturb(corpus[i % len(corpus)], i) for i in range(n)]
    texts = [r["title"] + "\n\n" + r["text"] for r in records]
    assert len(set(texts)) == len(texts), "perturbed articles are not all distinct"
    return records


def to_article(r: dict[str, Any]) -> Article:
    p = r.get("published")
    return Article(
        text=r["text"],
        title=r["title"],
        published=PubDate.parse(p) if p else None,
        outlet=r.get("outlet"),
        id=r["id"],
    )


def time_plain(nlp: spacy.language.Language, texts: list[str]) -> tuple[float, int]:
    tokens = 0
    t0 = time.perf_counter()
    for doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
        tokens += len(doc)
    return time.perf_counter() - t0, tokens


def run_ondit(articles: list[Article]) -> tuple[list[ArticleExtraction | Exception], int]:
    """`list(extract_many(articles))`, surviving an exception raised (not yielded) by it.

    If the generator itself raises, the batch it was working on is redone one
    article at a time (each failure recorded), then batching resumes. Returns the
    results (one per article) and how many times the generator raised.
    """
    results: list[ArticleExtraction | Exception] = []
    raised = 0
    k = 0
    while k < len(articles):
        try:
            for res in extract_many(articles[k:], batch_size=BATCH_SIZE):
                results.append(res)
                k += 1
        except Exception:  # a bug in extract_many is reported, not fatal
            raised += 1
            for art in articles[k : k + BATCH_SIZE]:
                try:
                    results.extend(extract_many([art], batch_size=BATCH_SIZE))
                except Exception as e:
                    results.append(e)
                k += 1
    return results, raised


def time_ondit(articles: list[Article]) -> tuple[float, list[ArticleExtraction | Exception], int]:
    t0 = time.perf_counter()
    results, raised = run_ondit(articles)
    return time.perf_counter() - t0, results, raised


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=300, help="articles to time (default 300)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    n: int = args.n
    if n < 1:
        ap.error("--n must be at least 1")

    records = build(n + N_WARM)
    warm, timed = records[n:], records[:n]
    warm_texts = [r["title"] + "\n\n" + r["text"] for r in warm]
    texts = [r["title"] + "\n\n" + r["text"] for r in timed]
    warm_articles = [to_article(r) for r in warm]
    articles = [to_article(r) for r in timed]

    # load both models and warm them, outside the timings
    plain = spacy.load("fr_core_news_md")
    load("fr")
    for _ in plain.pipe(warm_texts, batch_size=BATCH_SIZE):
        pass
    warm_results, _ = run_ondit(warm_articles)

    plain_s, tokens = time_plain(plain, texts)
    ondit_s, results, raised = time_ondit(articles)

    errors = [r for r in results if isinstance(r, Exception)]
    claims = sum(len(r.claims) for r in results if isinstance(r, ArticleExtraction))
    plain_aps = n / plain_s
    ondit_aps = n / ondit_s
    out: dict[str, Any] = {
        "articles": n,
        "mean_tokens_per_article": round(tokens / n, 1),
        "batch_size": BATCH_SIZE,
        "plain": {
            "seconds": round(plain_s, 2),
            "articles_per_second": round(plain_aps, 2),
            "tokens_per_second": round(tokens / plain_s),
        },
        "ondit": {
            "seconds": round(ondit_s, 2),
            "articles_per_second": round(ondit_aps, 2),
            "tokens_per_second": round(tokens / ondit_s),
            "exceptions": len(errors),
            "exception_types": dict(Counter(type(e).__name__ for e in errors)),
            "extract_many_raised": raised,
            "results": len(results),
            "claims": claims,
            "warmup_exceptions": sum(isinstance(r, Exception) for r in warm_results),
        },
        "ratio_ondit_over_plain": round(ondit_aps / plain_aps, 3),
        "target_ratio": TARGET_RATIO,
        "python": platform.python_version(),
        "spacy": spacy.__version__,
    }
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return 0

    o = out["ondit"]
    rows = [
        ("plain spaCy", out["plain"]),
        ("ondit", o),
    ]
    print(f"articles: {n}   mean tokens/article: {out['mean_tokens_per_article']}")
    print(f"{'':12} {'seconds':>9} {'articles/s':>11} {'tokens/s':>9}")
    for name, r in rows:
        print(f"{name:12} {r['seconds']:>9.2f} {r['articles_per_second']:>11.2f} {r['tokens_per_second']:>9}")
    print(f"ratio ondit/plain (speed): {out['ratio_ondit_over_plain']:.3f} (target >= {TARGET_RATIO})")
    print(
        f"ondit exceptions: {o['exceptions']} of {n}"
        + (f" {o['exception_types']}" if errors else "")
        + f"; claims: {claims}"
    )
    if raised:
        print(
            f"warning: extract_many raised {raised} time(s); those batches were redone one "
            "article at a time, so ondit's time is not a clean measure",
            file=sys.stderr,
        )
    if errors:
        print(f"first exception: {type(errors[0]).__name__}: {errors[0]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
