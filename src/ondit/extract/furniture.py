"""Page furniture: lines of a web page that are not article text.

A lone timestamp ("Publié le 12/03/2023 à 08h15"), a photo caption
("Photo : …", "Crédit : …"), a "À lire aussi" link, "Advertisement",
share buttons. Such lines are parsed like the rest (offsets stay true to the
article text) but no claim is taken from them.
"""

from __future__ import annotations

import re

_FURNITURE = re.compile(
    r"""^\s*(?:
        (?:publié|mis\ à\ jour|modifié|mise\ à\ jour|màj|posté|updated|published)\b.{0,60}\d.{0,40}$
      | (?:le\ )?\d{1,2}[/.]\d{1,2}[/.]\d{2,4}(?:\s*(?:à|-|,)?\s*\d{1,2}\s*[h:]\s*\d{0,2})?\s*$
      | \d{1,2}\s*[h:]\s*\d{2}\s*$
      | (?:photo|crédit|crédits|illustration|image|copyright|©|legende|légende)\s*(?:\(s\))?\s*[:©].*$
      | ©.*$
      | (?:à\ lire\ aussi|a\ lire\ aussi|lire\ aussi|à\ voir\ aussi|voir\ aussi|read\ more
         |sur\ le\ même\ sujet|nos\ articles|découvrez\ aussi)\b.*$
      | (?:advertisement|publicité|sponsorisé|contenu\ sponsorisé|abonnez-vous
         |partager|partagez|share|tweet|newsletter)\b\W*$
      | (?:par|by)\ [A-ZÉ][\w'’\-]+(?:\ [A-ZÉ][\w'’\-]+){0,3}\s*(?:,\ .{0,40})?$
    )""",
    re.IGNORECASE | re.VERBOSE,
)


def is_furniture(line: str) -> bool:
    """True for a line of page furniture (not article text)."""
    return bool(_FURNITURE.match(line))


_DATELINE = re.compile(
    r"""^\s*(?P<place>[A-ZÀ-Ý][\w'’. -]{1,40}?)
        (?:\s*,\s*(?:le\s+)?\d{1,2}(?:er)?\s+[a-zéû]+\.?(?:\s+\d{4})?)?
        \s*\((?P<agency>[A-Z][\w .&-]{1,30})\)\s*[-–—]+\s*""",
    re.VERBOSE,
)


def dateline(line: str) -> tuple[int, str] | None:
    """An agency dateline opening a paragraph ("PARIS, 22 janvier (Reuters) - "): its length and agency."""
    m = _DATELINE.match(line)
    if not m:
        return None
    return m.end(), m.group("agency").strip()
