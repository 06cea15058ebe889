"""`ondit ingest` and the commands over the store, run for real in subprocesses."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COMPANIES = ["Renault", "Stellantis", "Valeo", "Forvia", "Michelin", "Safran", "Thales", "Orange"]
PARTNERS = ["Geely", "BYD", "Nio", "Xpeng", "Leapmotor", "Chery", "Great Wall Motor", "SAIC"]


def ondit(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ondit", *args], capture_output=True, text=True, cwd=ROOT, check=False, env=env
    )


def articles(n: int) -> list[dict[str, str]]:
    """n distinct short articles in the style of business news (written for this test)."""
    out = []
    for i in range(n):
        a, b = COMPANIES[i % len(COMPANIES)], PARTNERS[(i // len(COMPANIES)) % len(PARTNERS)]
        out.append(
            {
                "id": f"t-{i:04d}",
                "title": f"{a} et {b} : la piste d'un accord n°{i}",
                "text": (
                    f"Selon des informations des Echos, {a} serait en discussion avec {b} pour "
                    f"produire {1000 + i} véhicules électriques par an. "
                    f"Contacté, {b} n'a pas souhaité commenter ces informations, "
                    f"publiées le {i % 28 + 1} mars."
                ),
                "published": "2024-03-29",
                "outlet": "La Tribune",
            }
        )
    return out


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def test_ingest_examples_twice_then_query_and_forget(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'o.db'}"
    first = ondit("ingest", "examples", "--db", db, "--format", "json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert summary["new"] == 18 and summary["known"] == 0 and summary["rejected"] == []
    second = ondit("ingest", "examples", "--db", db, "--format", "json")
    assert json.loads(second.stdout) == {"new": 0, "known": 18, "rejected": []}
    stats = json.loads(ondit("stats", "--db", db, "--format", "json").stdout)
    assert set(stats) == {"articles", "entities", "claims", "reports", "rejected"}
    assert stats["articles"] == 18 and stats["claims"] > 20 and stats["reports"] >= stats["claims"]

    denied = json.loads(ondit("claims", "--db", db, "--certainty", "denied", "--format", "json").stdout)
    assert denied and all(any(r["certainty"] == "denied" for r in c["reports"]) for c in denied)
    verkor = ondit("claims", "--db", db, "--entity", "verkor", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(verkor)))
    assert rows and all("Verkor" in r["parties"] for r in rows)

    shown = ondit("show", "ex-009", "--db", db)
    assert shown.returncode == 0 and "Verkor" in shown.stdout and "claims" in shown.stdout
    assert ondit("forget", "ex-009", "--db", db).returncode == 0
    after = json.loads(ondit("stats", "--db", db, "--format", "json").stdout)
    assert after["articles"] == 17 and after["reports"] < stats["reports"]
    assert ondit("show", "ex-009", "--db", db).returncode == 1


def test_bad_inputs_are_rejected_once_and_the_run_goes_on(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'o.db'}"
    inputs = tmp_path / "in"
    inputs.mkdir()
    write_jsonl(inputs / "good.jsonl", articles(3))
    (inputs / "junk.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" * 40)
    (inputs / "empty.txt").write_text("", encoding="utf-8")
    (inputs / "feed.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        "<rss><channel><title>&b;</title></channel></rss>",
        encoding="utf-8",
    )
    run = ondit("ingest", str(inputs), "--db", db)
    assert run.returncode == 1
    assert run.stdout.startswith("3 new, 0 already known, 3 rejected")
    for name in ("junk.txt", "empty.txt", "feed.xml"):
        assert sum(name in line for line in run.stdout.splitlines()[1:]) == 1, run.stdout
    again = ondit("ingest", str(inputs), "--db", db)
    assert again.stdout.startswith("0 new, 3 already known, 3 rejected")
    stats = json.loads(ondit("stats", "--db", db, "--format", "json").stdout)
    assert stats["articles"] == 3 and stats["rejected"] == 3


def test_sigkill_mid_run_then_rerun_stores_everything_exactly_once(tmp_path: Path) -> None:
    n = 300
    src = tmp_path / "many.jsonl"
    write_jsonl(src, articles(n))
    dbfile = tmp_path / "kill.db"
    db = f"sqlite:///{dbfile}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ondit", "ingest", str(src), "--db", db],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stored = 0
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.3)
        if dbfile.exists():
            try:
                with sqlite3.connect(dbfile, timeout=1) as conn:
                    stored = conn.execute("select count(*) from articles").fetchone()[0]
            except sqlite3.OperationalError:
                continue  # schema not created yet, or locked for a moment
            if stored >= 40:
                break
    assert proc.poll() is None, "ingest finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < stored < n

    rerun = ondit("ingest", str(src), "--db", db, "--format", "json")
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["new"] + summary["known"] == n
    assert summary["known"] >= stored
    with sqlite3.connect(dbfile) as conn:
        ids = [r[0] for r in conn.execute("select id from articles")]
        assert sorted(ids) == sorted(a["id"] for a in articles(n))
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert conn.execute("pragma foreign_key_check").fetchall() == []
        orphans = conn.execute(
            "select count(*) from reports where article_id not in (select id from articles)"
        ).fetchone()[0]
        assert orphans == 0


def test_ingest_into_postgresql(tmp_path: Path, pg_url: str) -> None:
    write_jsonl(tmp_path / "a.jsonl", articles(4))
    first = ondit("ingest", str(tmp_path / "a.jsonl"), "--db", pg_url, "--format", "json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["new"] == 4
    again = ondit("ingest", str(tmp_path / "a.jsonl"), "--db", pg_url, "--format", "json")
    assert json.loads(again.stdout)["known"] == 4
    stats = json.loads(ondit("stats", "--db", pg_url, "--format", "json").stdout)
    assert stats["articles"] == 4 and stats["claims"] >= 4


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'new.db'}"
    out = ondit("db", "upgrade", "--db", db)
    assert out.returncode == 0, out.stderr
    assert "was empty" in out.stdout
    with sqlite3.connect(tmp_path / "new.db") as conn:
        assert conn.execute("select version_num from alembic_version").fetchone() is not None
        assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_ondit_db_env_var_is_the_default(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "a.jsonl", articles(2))
    env = {**os.environ, "ONDIT_DB": f"sqlite:///{tmp_path / 'env.db'}"}
    assert ondit("ingest", str(tmp_path / "a.jsonl"), env=env).returncode == 0
    assert (tmp_path / "env.db").exists()
