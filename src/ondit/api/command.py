"""`ondit serve` and `ondit report`, as plain functions (the CLI registers them as commands).

- `serve(db, host, port, token)` runs the web UI and JSON API with uvicorn; the token falls back to
  `$ONDIT_TOKEN`; without one the server is read-only.
- `report(name, html, db, entity_id)` writes an entity's page as one self-contained HTML file: styles,
  Plotly's JavaScript and the chart's script inlined, no request to any server (a Content-Security-Policy
  in the file allows only its own scripts, by hash). Raises the store's `EntityNotFound`, or
  `AmbiguousEntity` (with `.candidates`) when the name fits several entities and no id is given.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import re
import sys
from pathlib import Path

from markupsafe import Markup

from ondit.api.app import STATIC, entity_page_context, environment, plotly_js_path
from ondit.store import Store, open_store

TOKEN_ENV = "ONDIT_TOKEN"


def serve(db: str | None, host: str, port: int, token: str | None) -> None:
    """Serve the web UI and JSON API on host:port over the store at `db` (else `$ONDIT_DB`)."""
    import uvicorn

    from ondit.api.app import create_app

    token = token or os.environ.get(TOKEN_ENV) or None
    app = create_app(db, token)
    mode = "POST /api/articles needs the bearer token" if token else "read-only (no --token)"
    print(f"ondit: serving http://{host}:{port}/ — {mode}", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)


def _inline_script(code: str) -> str:
    """Script text that cannot close its own <script> element early."""
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)


def _hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"


def render_report(store: Store, entity_id: int, as_of: dt.date | None = None) -> str:
    """The entity page as one self-contained HTML document."""
    context = entity_page_context(store, entity_id, as_of)
    plotly = _inline_script(plotly_js_path().read_text(encoding="utf-8"))
    script = _inline_script((STATIC / "ondit.js").read_text(encoding="utf-8"))
    css = (STATIC / "ondit.css").read_text(encoding="utf-8").replace("</", "<\\/")
    csp = (
        f"default-src 'none'; script-src {_hash(plotly)} {_hash(script)}; style-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    page = environment().get_template("entity.html")
    return page.render(
        standalone=True,
        standalone_csp=csp,
        written=dt.date.today().isoformat(),
        # our own package files, not user text: inlined as they are
        inline_css=Markup(css),
        inline_plotly=Markup(plotly),
        inline_js=Markup(script),
        **context,
    )


def report(name: str, html: Path, db: str | None, entity_id: int | None) -> None:
    """Write the page of the entity NAME (or `entity_id`) to `html` as one self-contained file."""
    from ondit.store.store import EntityNotFound

    if entity_id is None and not name.strip():
        raise EntityNotFound("give an entity's name or its id")
    store = open_store(db)
    try:
        entity = store.entity(None if entity_id is not None else name, entity_id)
        page = render_report(store, entity["id"])
    finally:
        store.close()
    html.write_text(page, encoding="utf-8")
