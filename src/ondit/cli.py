"""The `ondit` command: thin wrappers over library functions."""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from ondit import __version__
from ondit.errors import ConfigError, InputError
from ondit.model import ArticleExtraction, BadDateError, PubDate

app = typer.Typer(
    name="ondit",
    help="ondit: sourced, certainty-graded, dated claims about companies, from French business news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
bench_app = typer.Typer(help="Benchmarks against published results.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")
db_app = typer.Typer(help="The database: create or upgrade its schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
alias_app = typer.Typer(help="Aliases: names the user adds to an entity.", no_args_is_help=True)
app.add_typer(alias_app, name="alias")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL (sqlite:///ondit.db, postgresql+psycopg://…); default $ONDIT_DB."
    ),
]


class ExtractFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


class ReportFormat(str, Enum):
    table = "table"
    json = "json"


class ClaimsFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def _store(db: str | None, upgrade: bool = True) -> Any:
    from ondit.store import StoreError, open_store

    try:
        store = open_store(db, upgrade=upgrade)
    except StoreError as e:
        typer.echo(f"ondit: {e}", err=True)
        raise typer.Exit(2) from e
    if upgrade and store.current_revision() != store.head_revision():
        typer.echo(
            f"ondit: the database is at schema {store.current_revision()}, ondit needs "
            f"{store.head_revision()}: run `ondit db upgrade`",
            err=True,
        )
        raise typer.Exit(2)
    return store


def _width() -> int | None:
    """The terminal's width; when piped, $COLUMNS or 200 so tables are not squeezed to 80."""
    if sys.stdout.isatty():
        return None
    try:
        return int(os.environ.get("COLUMNS", "200"))
    except ValueError:
        return 200


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ondit {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """ondit reads business and technology news and answers, for every claim it finds: who is
    said to do what with whom, according to whom, how surely, and when."""


def _parse_date(value: str | None) -> PubDate | None:
    if value is None:
        return None
    try:
        return PubDate.parse(value)
    except BadDateError as e:
        raise typer.BadParameter(str(e)) from e


@app.command()
def extract(
    files: Annotated[
        list[str],
        typer.Argument(
            help="Files or folders: plain text (first line = title), HTML, JSON Lines; '-' is stdin."
        ),
    ],
    published: Annotated[
        str | None,
        typer.Option(
            help="Publication date (2021-03-29, 2021-03-29T10:00, or a month 2021-03) "
            "when the input has none."
        ),
    ] = None,
    outlet: Annotated[
        str | None,
        typer.Option(help="The outlet that published the articles, when the input does not say."),
    ] = None,
    lang: Annotated[
        str | None, typer.Option(help="Language of the articles (fr); detected when omitted.")
    ] = None,
    format: Annotated[
        ExtractFormat,
        typer.Option("--format", "-f", help="table, json (one object per article) or jsonl."),
    ] = ExtractFormat.table,
) -> None:
    """Extract entities and claims from articles and print them (nothing is stored)."""
    from ondit.extract.run import extract_many
    from ondit.ingest.readers import read_inputs

    pub = _parse_date(published)
    errors = 0
    results: list[ArticleExtraction] = []
    articles = []
    for item in read_inputs(files, published=pub, outlet=outlet, lang=lang):
        if isinstance(item, InputError):
            typer.echo(f"ondit: rejected {item}", err=True)
            errors += 1
        else:
            articles.append(item)
    for res in extract_many(articles):
        if isinstance(res, Exception):
            typer.echo(f"ondit: rejected {res}", err=True)
            errors += 1
            continue
        if format is ExtractFormat.jsonl:
            typer.echo(json.dumps(res.to_json(), ensure_ascii=False))
        elif format is ExtractFormat.json:
            typer.echo(json.dumps(res.to_json(), ensure_ascii=False, indent=2))
        else:
            results.append(res)
    if format is ExtractFormat.table:
        print_claims_table(results)
    if errors:
        typer.echo(f"ondit: {errors} input(s) rejected", err=True)
        raise typer.Exit(1)


def _fmt_args(args: dict[str, Any]) -> str:
    parts = []
    for role, value in args.items():
        if isinstance(value, list):
            value = ", ".join(value)
        parts.append(f"{role}={value}")
    return "; ".join(parts)


def _fmt_source(source: list[dict[str, Any]]) -> str:
    links = []
    for s in source:
        text = f"{s['name']} ({s['kind']}"
        if s.get("of"):
            text += f", of {s['of']}"
        links.append(text + ")")
    return " › ".join(links) or "—"


def _fmt_time(time: dict[str, Any] | None) -> str:
    if not time:
        return ""
    value = time["value"] or f"«{time.get('text', '')}»"
    approx = "~" if time.get("approximate") else ""
    return f"{approx}{value} {time['role']}"


def _fmt_quantity(q: dict[str, Any] | None) -> str:
    if not q:
        return ""
    value = q["value"]
    text = f"{value:,}".replace(",", " ") if isinstance(value, int) else str(value)
    out = f"{text} {q['unit']}"
    if q.get("period"):
        out += f" ({q['period']})"
    return out


def print_claims_table(results: list[ArticleExtraction]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, expand=False)
    for col in ("article", "type", "parties", "certainty", "source", "time", "quantity"):
        table.add_column(col, overflow="fold")
    n = 0
    for res in results:
        label = res.id if len(res.id) <= 18 else res.id[:16] + "…"
        for claim in res.claims:
            c = claim.to_json()
            cert = c["certainty"] + (" (called off)" if c.get("called_off") else "")
            table.add_row(
                label,
                c["type"],
                _fmt_args(c["args"]),
                f"{cert} «{c['cue']}»",
                _fmt_source(c["source"]),
                _fmt_time(c["time"]),
                _fmt_quantity(c["quantity"]),
            )
            n += 1
    console = Console(width=_width())
    console.print(table)
    console.print(f"{n} claims in {len(results)} articles")


@app.command()
def ingest(
    paths: Annotated[
        list[str], typer.Argument(help="Files or folders: text, HTML, JSON Lines, RSS/Atom, WARC(.gz).")
    ],
    db: DbOption = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date for inputs that give none (ISO 8601).")
    ] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet for inputs that do not name one.")] = None,
    lang: Annotated[
        str | None, typer.Option(help="Language of the articles (fr); detected when omitted.")
    ] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Summary as table or json.")] = (
        ReportFormat.table
    ),
) -> None:
    """Read articles, extract them and store everything once (re-running stores nothing twice)."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from ondit.ingest.pipeline import IngestSummary
    from ondit.ingest.pipeline import ingest as run_ingest

    pub = _parse_date(published)
    store = _store(db)
    err = Console(stderr=True)
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True
    ) as bar:
        task = bar.add_task("ingesting", total=None)

        def progress(s: IngestSummary) -> None:
            bar.update(task, description=f"{s.new} new, {s.known} known, {len(s.rejected)} rejected")

        summary = run_ingest(paths, store, published=pub, outlet=outlet, lang=lang, progress=progress)
    store.close()
    if format is ReportFormat.json:
        typer.echo(json.dumps(summary.to_json(), ensure_ascii=False))
    else:
        typer.echo(f"{summary.new} new, {summary.known} already known, {len(summary.rejected)} rejected")
        for origin, reason in summary.rejected:
            typer.echo(f"  rejected {origin}: {reason}")
    if summary.rejected:
        raise typer.Exit(1)


@app.command()
def stats(
    db: DbOption = None,
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="table or json.")
    ] = ReportFormat.table,
) -> None:
    """Count what the store holds: articles, entities, claims, reports, rejected inputs."""
    store = _store(db)
    counts = store.stats()
    store.close()
    if format is ReportFormat.json:
        typer.echo(json.dumps(counts))
        return
    for key, value in counts.items():
        typer.echo(f"{key:10} {value}")


def _claim_rows(claims: list[dict[str, Any]]) -> list[dict[str, str]]:
    rows = []
    for claim in claims:
        for r in claim["reports"]:
            cert = r["certainty"] + (" (called off)" if r.get("called_off") else "")
            rows.append(
                {
                    "claim": str(claim["id"]),
                    "type": claim["type"],
                    "parties": _fmt_args(r["args"]),
                    "certainty": f"{cert} «{r['cue']}»",
                    "source": _fmt_source(r["source"]),
                    "time": _fmt_time(r["time"]),
                    "quantity": _fmt_quantity(r["quantity"]),
                    "article": f"{r['article_id']} {r.get('published') or ''}".strip(),
                }
            )
    return rows


@app.command("claims")
def claims_command(
    db: DbOption = None,
    entity: Annotated[
        str | None, typer.Option(help="Keep claims one of whose parties has this name or alias.")
    ] = None,
    type: Annotated[
        str | None, typer.Option("--type", help="Keep claims of this type (talks, acquisition…).")
    ] = None,
    certainty: Annotated[
        str | None, typer.Option(help="Keep claims having a report of this certainty (denied, probable…).")
    ] = None,
    format: Annotated[
        ClaimsFormat, typer.Option("--format", "-f", help="table, json or csv.")
    ] = ClaimsFormat.table,
) -> None:
    """List stored claims with their reports."""
    from ondit.model import CERTAINTIES, CLAIM_TYPES

    if type is not None and type not in CLAIM_TYPES:
        raise typer.BadParameter(f"unknown claim type {type!r} ({', '.join(CLAIM_TYPES)})")
    if certainty is not None and certainty not in CERTAINTIES:
        raise typer.BadParameter(f"unknown certainty {certainty!r} ({', '.join(CERTAINTIES)})")
    store = _store(db)
    found = store.claims(entity=entity, type=type, certainty=certainty)
    store.close()
    if format is ClaimsFormat.json:
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    rows = _claim_rows(found)
    if format is ClaimsFormat.csv:
        import csv

        writer = csv.DictWriter(
            sys.stdout,
            fieldnames=["claim", "type", "parties", "certainty", "source", "time", "quantity", "article"],
        )
        writer.writeheader()
        writer.writerows(rows)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table()
    for col in ("claim", "type", "parties", "certainty", "source", "time", "quantity", "article"):
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*row.values())
    console = Console(width=_width())
    console.print(table)
    console.print(f"{len(found)} claims, {len(rows)} reports")


@app.command()
def show(article_id: Annotated[str, typer.Argument(help="The article's id.")], db: DbOption = None) -> None:
    """Print an article with its entities, evidence and certainty cues highlighted, then its claims."""
    from rich.console import Console
    from rich.text import Text

    store = _store(db)
    art = store.article(article_id)
    store.close()
    if art is None:
        typer.echo(f"ondit: no article {article_id!r}", err=True)
        raise typer.Exit(1)
    console = Console(width=_width())
    head = f"{art['title']}\n{art.get('outlet') or ''} {art.get('published') or ''} {art.get('url') or ''}"
    console.print(Text(head.strip(), style="bold"))
    text = Text(art["text"])
    for r in art["reports"]:
        if r["start"] is not None and r["start"] >= 0:
            text.stylize("underline", r["start"], r["end"])
            cue = r.get("cue") or ""
            pos = art["text"].find(cue, r["start"], r["end"]) if cue else -1
            if pos >= 0:
                text.stylize("bold magenta", pos, pos + len(cue))
    for m in art["mentions"]:
        text.stylize("bold cyan" if m["type"] in {"ORG", "BRAND", "MEDIA"} else "green", m["start"], m["end"])
    console.print(text)
    console.print(Text("\nclaims", style="bold"))
    for r in art["reports"]:
        console.print(
            f"  [{r['claim_id']}] {r['type']} {_fmt_args(r['args'])} — {r['certainty']} «{r['cue']}» — "
            f"{_fmt_source(r['source'])} {_fmt_time(r['time'])} {_fmt_quantity(r['quantity'])}".rstrip(),
            markup=False,
            highlight=False,
        )


@app.command()
def forget(article_id: Annotated[str, typer.Argument(help="The article's id.")], db: DbOption = None) -> None:
    """Remove an article and its reports; claims left without reports disappear."""
    store = _store(db)
    done = store.forget(article_id)
    store.close()
    if not done:
        typer.echo(f"ondit: no article {article_id!r}", err=True)
        raise typer.Exit(1)
    typer.echo(f"forgot {article_id}")


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create the database or upgrade its schema to this version of ondit (Alembic migrations)."""
    store = _store(db, upgrade=False)
    before = store.current_revision()
    store.upgrade()
    typer.echo(f"database at schema {store.current_revision()} (was {before or 'empty'})")
    if before == "0001":
        typer.echo("run `ondit reprocess` to resolve entities and build the stories of the stored articles")
    store.close()


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="ONDIT_TOKEN",
            help="Bearer token for POST /api/articles; without one the server is read-only.",
        ),
    ] = None,
) -> None:
    """Serve the web UI and the JSON API (schema at /openapi.json) over the store."""
    from ondit.api.command import serve as run_server

    run_server(db, host, port, token)


@app.command()
def report(
    name: Annotated[str | None, typer.Argument(help="A company, brand or person.")] = None,
    html: Annotated[Path, typer.Option("--html", help="The HTML file to write.")] = Path("report.html"),
    id: Annotated[
        int | None, typer.Option("--id", help="The entity's id, when the name fits several.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Write an entity's page as one self-contained HTML file (no server needed, works offline)."""
    from ondit.api.command import report as write_report

    store = _store(db)
    entity = _entity_or_exit(store, name, id)
    store.close()
    write_report(entity["name"], html, db, entity["id"])
    typer.echo(f"wrote {html}")


@app.command("eval")
def eval_command(
    gold: Annotated[Path, typer.Argument(help="Gold JSON Lines in the SPEC.md format (gold/fr/dev.jsonl).")],
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="table or json.")
    ] = ReportFormat.table,
    by: Annotated[
        str | None, typer.Option("--by", help="'type': add the table of scores by claim type.")
    ] = None,
    errors: Annotated[
        bool, typer.Option("--errors", help="List missed and false claims with their sentences.")
    ] = False,
) -> None:
    """Extract the gold articles and score the result as SPEC.md says."""
    from ondit.eval import evaluate

    if by not in {None, "type"}:
        raise typer.BadParameter("--by takes 'type'")
    try:
        report = evaluate(gold)
    except (InputError, OSError) as e:
        typer.echo(f"ondit: {e}", err=True)
        raise typer.Exit(2) from e
    if format is ReportFormat.json:
        out = dict(report)
        if not errors:
            out.pop("errors", None)
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    print_eval(report, by_type=by == "type", errors=errors)


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def print_eval(report: dict[str, Any], by_type: bool, errors: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    c = report["claims"]
    table = Table(title=f"ondit eval — {report['articles']} articles")
    table.add_column("measure")
    table.add_column("value", justify="right")
    rows = [
        ("claim precision", _pct(c["precision"])),
        ("claim recall", _pct(c["recall"])),
        ("claim F1", _pct(c["f1"])),
        ("tp / fp / fn", f"{c['tp']} / {c['fp']} / {c['fn']}"),
        ("certainty accuracy", _pct(report["certainty_accuracy"])),
        ("source accuracy", _pct(report["source_accuracy"])),
        ("entity F1", _pct(report["entity_f1"])),
        ("time accuracy", _pct(report["time_accuracy"])),
        ("quantity accuracy", _pct(report["quantity_accuracy"])),
    ]
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
    if by_type:
        t = Table(title="by claim type")
        for col in ("type", "precision", "recall", "F1", "tp", "fp", "fn"):
            t.add_column(col)
        for typ, s in report["by_type"].items():
            t.add_row(
                typ,
                _pct(s["precision"]),
                _pct(s["recall"]),
                _pct(s["f1"]),
                *(str(s[k]) for k in ("tp", "fp", "fn")),
            )
        console.print(t)
    if errors:
        for kind in ("missed", "false"):
            console.print(f"\n[bold]{kind} claims[/bold]")
            for e in report["errors"][kind]:
                console.print(f"  {e['id']}  {e['type']}  {e['args']}", markup=False)
                console.print(f"      {e.get('evidence', '')}", markup=False)


@bench_app.command("timeml")
def bench_timeml(
    directory: Annotated[Path, typer.Argument(help="A folder of ISO-TimeML files (.tml).")],
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="table or json.")
    ] = ReportFormat.table,
    system: Annotated[
        list[str] | None,
        typer.Option("--system", help="Systems to score: ondit, dateparser (repeatable)."),
    ] = None,
) -> None:
    """Score ondit's time normalisation against TIMEX3 gold (TempEval-3 style)."""
    from ondit.timeml import score_timeml

    if not directory.is_dir():
        typer.echo(f"ondit: corpus folder not found: {directory}", err=True)
        raise typer.Exit(2)
    systems = system or ["ondit"]
    reports = []
    for name in systems:
        if name not in {"ondit", "dateparser"}:
            raise typer.BadParameter(f"unknown system {name!r} (ondit, dateparser)")
        reports.append(score_timeml(directory, system=name))
    if format is ReportFormat.json:
        out: Any = reports[0] if len(reports) == 1 else reports
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table()
    for col in ("system", "strict F1", "relaxed F1", "value F1", "type F1", "articles/s"):
        table.add_column(col)
    for r in reports:
        table.add_row(
            r["system"],
            f"{r['strict_f1']:.2f}",
            f"{r['relaxed_f1']:.2f}",
            f"{r['value_f1']:.2f}",
            f"{r['type_f1']:.2f}",
            f"{r['articles_per_second']:.1f}",
        )
    Console().print(table)


# ---------------------------------------------------------------------------- stories

GraceOption = Annotated[
    int | None,
    typer.Option(
        "--grace-days",
        min=0,
        help="Days after an expected period ends before a claim lapses (default $ONDIT_GRACE_DAYS or 90).",
    ),
]
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="Show the state on this day (YYYY-MM-DD) instead of today.")
]


class SourcesFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def _as_of(value: str | None) -> Any:
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        raise typer.BadParameter(f"not a day (YYYY-MM-DD): {value!r}", param_hint="--as-of") from e


def _console() -> Any:
    from rich.console import Console

    return Console(width=_width(), highlight=False)


def _entity_or_exit(store: Any, name: str | None, id: int | None) -> dict[str, Any]:
    from ondit.store.store import AmbiguousEntity, EntityNotFound

    try:
        entity: dict[str, Any] = store.entity(name, id)
    except AmbiguousEntity as e:
        store.close()
        typer.echo(f"ondit: {e}", err=True)
        for c in e.candidates:
            parent = f", of {c['parent']}" if c.get("parent") else ""
            aliases = f" — also {', '.join(c['aliases'][:6])}" if c["aliases"] else ""
            typer.echo(f"  --id {c['id']}  {c['name']} ({c['type']}{parent}){aliases}", err=True)
        raise typer.Exit(1) from e
    except EntityNotFound as e:
        store.close()
        typer.echo(f"ondit: {e}", err=True)
        raise typer.Exit(1) from e
    return entity


def _fmt_transitions(transitions: list[dict[str, Any]]) -> str:
    return " → ".join(f"{t['state']} {t['date']}" for t in transitions) or "—"


@app.command()
def story(
    name: Annotated[
        str | None, typer.Argument(help="A company, brand or person, by any of its names.")
    ] = None,
    id: Annotated[
        int | None, typer.Option("--id", help="The entity's id, when the name fits several.")
    ] = None,
    as_of: AsOfOption = None,
    grace_days: GraceOption = None,
    db: DbOption = None,
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="table or json.")
    ] = ReportFormat.table,
) -> None:
    """The claims an entity is party to, grouped by counterpart: state, first and last report, number
    of reports and sources, and the state's transitions with their dates."""
    if name is None and id is None:
        raise typer.BadParameter("give a NAME or --id")
    day = _as_of(as_of)
    store = _store(db)
    entity = _entity_or_exit(store, name, id)
    out = store.story(entity["id"], as_of=day, grace_days=grace_days)
    store.close()
    if format is ReportFormat.json:
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    console = _console()
    e = out["entity"]
    also = f" — also {', '.join(e['aliases'])}" if e["aliases"] else ""
    when = f" as of {day.isoformat()}" if day else ""
    console.print(f"{e['name']} ({e['type']}, id {e['id']}){also}{when}", markup=False)
    groups: dict[str | None, list[dict[str, Any]]] = {}
    for c in out["claims"]:
        groups.setdefault(c["counterpart"], []).append(c)
    for counterpart, claims in groups.items():
        table = Table(title=f"with {counterpart}" if counterpart else "on its own", title_justify="left")
        for col in ("claim", "type", "args", "state", "first", "last", "reports", "sources", "transitions"):
            table.add_column(col, overflow="fold")
        for c in claims:
            table.add_row(
                str(c["id"]),
                c["type"],
                _fmt_args(c["args"]),
                c["state"] or "—",
                c["first_reported"] or "",
                c["last_reported"] or "",
                str(c["reports"]),
                str(c["sources"]),
                _fmt_transitions(c["transitions"]),
            )
        console.print(table)
    console.print(f"{len(out['claims'])} claims")


@app.command("claim")
def claim_command(
    claim_id: Annotated[int, typer.Argument(help="The claim's id (from `ondit story` or `ondit claims`).")],
    as_of: AsOfOption = None,
    grace_days: GraceOption = None,
    db: DbOption = None,
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="table or json.")
    ] = ReportFormat.table,
) -> None:
    """Every report of one claim in date order (article title, outlet, URL, date, certainty, cue, source
    chain, evidence; copies of another article marked), then its state transitions."""
    day = _as_of(as_of)
    store = _store(db)
    found = store.claim(claim_id, as_of=day, grace_days=grace_days)
    store.close()
    if found is None:
        typer.echo(f"ondit: no claim {claim_id}" + (f" on {day.isoformat()}" if day else ""), err=True)
        raise typer.Exit(1)
    if format is ReportFormat.json:
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    console = _console()
    console.print(
        f"claim {found['id']}: {found['type']} {_fmt_args(found['args'])} — {found['state'] or 'no state'} "
        f"({found['counted_reports']} reports, {found['sources']} sources, episode {found['episode']})",
        markup=False,
    )
    for r in found["reports"]:
        cert = r["certainty"] + (" (called off)" if r["called_off"] else "")
        novelty = "first" if r["first"] else f"+{r['days_after_first']} days"
        copy = f" — copy of {r['duplicate_of']}, not counted" if r["duplicate_of"] else ""
        console.print(
            f"\n{r['date']}  {r['outlet'] or '?'} — {r['title']}  [{r['article_id']}, {novelty}{copy}]",
            markup=False,
        )
        if r["url"]:
            console.print(f"  {r['url']}", markup=False)
        extra = " ".join(x for x in (_fmt_time(r["time"]), _fmt_quantity(r["quantity"])) if x)
        console.print(f"  {cert} «{r['cue']}» — {_fmt_source(r['source'])} {extra}".rstrip(), markup=False)
        console.print(f"  “{r['evidence']}”", markup=False)
    console.print("\ntransitions:", markup=False)
    for t in found["transitions"]:
        cause = f"report {t['report']}" if t["report"] is not None else "no report (lapse)"
        console.print(f"  {t['date']}  {t['state']}  ({cause})", markup=False)


@app.command()
def sources(
    as_of: AsOfOption = None,
    grace_days: GraceOption = None,
    db: DbOption = None,
    format: Annotated[
        SourcesFormat, typer.Option("--format", "-f", help="table, json or csv.")
    ] = SourcesFormat.table,
) -> None:
    """The sources' track record: the claims each source reported first, right (confirmed, abandoned),
    wrong (denied, lapsed) or open, and its reliability (right+1)/(right+wrong+2) with its count."""
    day = _as_of(as_of)
    store = _store(db)
    records = store.track_record(as_of=day, grace_days=grace_days)
    store.close()
    if format is SourcesFormat.json:
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    rows = [
        {
            "source": r["source"],
            "kind": r["kind"],
            "claims": str(r["claims"]),
            "right": str(r["right"]),
            "wrong": str(r["wrong"]),
            "open": str(r["open"]),
            "reliability": f"{r['reliability']:.2f} (n={r['n']})",
        }
        for r in records
    ]
    cols = ["source", "kind", "claims", "right", "wrong", "open", "reliability"]
    if format is SourcesFormat.csv:
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=cols)
        writer.writeheader()
        writer.writerows(rows)
        return
    from rich.table import Table

    table = Table()
    for col in cols:
        table.add_column(col, overflow="fold", justify="right" if col not in ("source", "kind") else "left")
    for row in rows:
        table.add_row(*row.values())
    console = _console()
    console.print(table)
    console.print(f"{len(rows)} sources" + (f" as of {day.isoformat()}" if day else ""))


@app.command("entities")
def entities_command(
    type: Annotated[
        str | None, typer.Option("--type", help="Keep entities of this type (ORG, PER, BRAND, MEDIA…).")
    ] = None,
    db: DbOption = None,
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="table or json.")
    ] = ReportFormat.table,
) -> None:
    """List the entities of the store with their aliases, parent, mentions and claims."""
    from ondit.model import ENTITY_TYPES

    if type is not None and type not in ENTITY_TYPES:
        raise typer.BadParameter(f"unknown entity type {type!r} ({', '.join(ENTITY_TYPES)})")
    store = _store(db)
    found = store.entities(type=type)
    store.close()
    if format is ReportFormat.json:
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    table = Table()
    for col in ("id", "name", "type", "parent", "aliases", "mentions", "claims"):
        table.add_column(col, overflow="fold")
    for e in found:
        table.add_row(
            str(e["id"]),
            e["name"],
            e["type"] + (f" ({e['kind']})" if e["kind"] else ""),
            e["parent"] or "",
            ", ".join(e["aliases"]),
            str(e["mentions"]),
            str(e["claims"]),
        )
    console = _console()
    console.print(table)
    console.print(f"{len(found)} entities")


def _correction(action: Any) -> dict[str, Any]:
    from ondit.store.store import AmbiguousEntity, EntityNotFound

    try:
        result: dict[str, Any] = action()
    except AmbiguousEntity as e:
        typer.echo(
            f"ondit: {e.name!r} fits {len(e.candidates)} entities; name one of them exactly:", err=True
        )
        for c in e.candidates:
            typer.echo(f"  {c['name']} ({c['type']}, id {c['id']})", err=True)
        raise typer.Exit(1) from e
    except EntityNotFound as e:
        typer.echo(f"ondit: {e}", err=True)
        raise typer.Exit(1) from e
    return result


@alias_app.command("add")
def alias_add(
    name: Annotated[str, typer.Argument(help="The entity, by one of its names.")],
    alias: Annotated[str, typer.Argument(help="Another name for it.")],
    db: DbOption = None,
) -> None:
    """Make ALIAS a name of the entity NAME (kept across re-ingests and reprocess)."""
    store = _store(db)
    try:
        done = _correction(lambda: store.add_alias(name, alias))
    finally:
        store.close()
    typer.echo(
        f"{done['alias']} is now a name of {done['entity']} ({done['articles_rebuilt']} articles rebuilt)"
    )


@app.command()
def merge(
    a: Annotated[str, typer.Argument(help="The entity that stays.")],
    b: Annotated[str, typer.Argument(help="The entity merged into A (its names become A's).")],
    db: DbOption = None,
) -> None:
    """Merge entity B into entity A: one entity, one set of claims (kept across re-ingests and reprocess)."""
    store = _store(db)
    try:
        done = _correction(lambda: store.merge(a, b))
    finally:
        store.close()
    typer.echo(f"merged {done['merged']} into {done['into']} ({done['articles_rebuilt']} articles rebuilt)")


@app.command()
def split(
    name: Annotated[str, typer.Argument(help="The entity, by one of its names.")],
    alias: Annotated[str, typer.Argument(help="The alias that names another entity.")],
    db: DbOption = None,
) -> None:
    """Make ALIAS its own entity again, no longer a name of NAME (kept across re-ingests and reprocess)."""
    store = _store(db)
    try:
        done = _correction(lambda: store.split(name, alias))
    finally:
        store.close()
    typer.echo(
        f"{done['split']} is its own entity (id {done['id']}), no longer {done['entity']} "
        f"({done['articles_rebuilt']} articles rebuilt)"
    )


@app.command()
def reprocess(
    before_version: Annotated[
        str | None,
        typer.Option(
            "--before-version", help="Only articles extracted by a version older than this one (e.g. 0.2.0)."
        ),
    ] = None,
    db: DbOption = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Summary as table or json.")] = (
        ReportFormat.table
    ),
) -> None:
    """Re-extract stored articles with this version's rules and rebuild their entities, reports, claims
    and states; user corrections (aliases, merges, splits) still apply."""
    from ondit.ingest.pipeline import reprocess as run_reprocess

    store = _store(db)
    summary = run_reprocess(store, before_version=before_version)
    store.close()
    if format is ReportFormat.json:
        typer.echo(json.dumps(summary.to_json(), ensure_ascii=False))
    else:
        typer.echo(f"{summary.new} reprocessed, {len(summary.rejected)} failed")
        for origin, reason in summary.rejected:
            typer.echo(f"  failed {origin}: {reason}")
    if summary.rejected:
        raise typer.Exit(1)


def run() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except ConfigError as e:
        typer.echo(f"ondit: {e}", err=True)
        sys.exit(2)
