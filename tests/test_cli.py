"""The `ondit extract` command, run for real in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ARTICLE = (
    "Volkswagen en pourparlers avec Xpeng\n\n"
    "Selon l'agence Reuters, Volkswagen serait en pourparlers avec Xpeng "
    "pour développer deux modèles électriques. "
    "Contacté, Xpeng n'a pas souhaité commenter ces informations.\n"
)


def ondit(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ondit", *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=ROOT,
        check=False,
    )


def test_extract_json_has_the_gold_shape(tmp_path: Path) -> None:
    f = tmp_path / "vw.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    p = ondit("extract", str(f), "--published", "2023-07-26", "--outlet", "La Tribune", "--format", "json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert set(out) >= {"id", "lang", "published", "outlet", "title", "text", "entities", "claims"}
    assert out["title"] == "Volkswagen en pourparlers avec Xpeng"
    assert out["published"] == "2023-07-26" and out["outlet"] == "La Tribune"
    certainties = {c["certainty"] for c in out["claims"] if c["type"] == "talks"}
    assert certainties == {"probable", "uncommitted"}
    for c in out["claims"]:
        assert set(c) >= {
            "type",
            "args",
            "certainty",
            "source",
            "time",
            "quantity",
            "cue",
            "evidence",
        }
        assert c["evidence"] in out["text"]
        assert c["source"][0] == {"name": "La Tribune", "kind": "outlet"}


def test_jsonl_keeps_ids_and_bad_inputs_are_reported_but_do_not_stop_the_run(
    tmp_path: Path,
) -> None:
    good = {
        "id": "art-42",
        "title": "Un accord",
        "text": ARTICLE,
        "published": "2023-07",
        "outlet": "Les Echos",
        "lang": "fr",
    }
    (tmp_path / "a.jsonl").write_text(
        json.dumps(good, ensure_ascii=False) + "\n{not json\n", encoding="utf-8"
    )
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02binary\x00junk" * 50)
    (tmp_path / "c.txt").write_text("", encoding="utf-8")
    (tmp_path / "d.txt").write_bytes("Titre\n\nL'entreprise a sign\xe9 un accord".encode("latin-1"))
    (tmp_path / "e.txt").write_text(
        "A deal\n\nThe carmaker said on Tuesday it was in talks with a Chinese partner about a new plant.",
        encoding="utf-8",
    )
    p = ondit("extract", str(tmp_path), "--format", "jsonl")
    assert p.returncode == 1
    lines = [json.loads(x) for x in p.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["art-42"]
    assert lines[0]["published"] == "2023-07"
    errors = [x for x in p.stderr.splitlines() if x.startswith("ondit: rejected")]
    assert len(errors) == 5, p.stderr
    for name in ("a.jsonl:2", "b.txt", "c.txt", "d.txt", "e.txt"):
        assert sum(name in e for e in errors) == 1, (name, errors)
    assert any("not a supported language" in e for e in errors)


def test_table_output_lists_claims(tmp_path: Path) -> None:
    f = tmp_path / "vw.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    p = ondit("extract", str(f), "--published", "2023-07-26")
    assert p.returncode == 0, p.stderr
    assert "talks" in p.stdout and "Xpeng" in p.stdout and "probable" in p.stdout


def test_bad_date_is_a_usage_error(tmp_path: Path) -> None:
    f = tmp_path / "vw.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    p = ondit("extract", str(f), "--published", "hier")
    assert p.returncode == 2
    assert "hier" in p.stderr


def test_python_api_returns_the_same_as_the_command(tmp_path: Path) -> None:
    import ondit as lib

    f = tmp_path / "vw.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    p = ondit("extract", str(f), "--published", "2023-07-26", "--format", "json")
    title, _, body = ARTICLE.partition("\n")
    api = lib.extract(body.lstrip("\n"), published="2023-07-26", title=title).to_json()
    cli = json.loads(p.stdout)
    assert [c["args"] for c in api["claims"]] == [c["args"] for c in cli["claims"]]
