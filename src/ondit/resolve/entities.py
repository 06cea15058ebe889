"""Entity resolution: one key per real-world entity, however the articles write its name.

`Resolver.resolve(name, type, aliases, context)` tries, in order, and stops at the first that fits:

1. the user's aliases (`ondit alias add`, `ondit merge`): a folded name or alias mapped to a key;
2. the packaged knowledge base, by name or alias, after legal forms are dropped step by step
   ("Great Wall Motor Co., Ltd." -> "Great Wall Motor Co." -> "Great Wall Motor"); a parent or brand
   relation is not identity (Haval resolves to Haval, whose parent is Great Wall Motor);
3. the entities already in the store (`Known`, and those `add`ed during the run), by name or alias;
4. a lone acronym ("CNB") that spells exactly one known entity of a company type;
5. fuzzy matching (rapidfuzz `fuzz.ratio` on normalised names) against the KB and known entities of a
   compatible type (ORG/BRAND with ORG/BRAND, MEDIA with MEDIA, PER with PER, PRODUCT with PRODUCT;
   never PLACE or SECTOR), for names of 4 characters or more, at `FUZZY_THRESHOLD` or above, and only
   when no other entity comes close (a tie is not a match);
6. otherwise a new entity, keyed "<type>:<normalised name>".

The article's aliases are tried after its name at steps 1-3 and 5 (an acronym introduced in
parentheses resolves with its long form); an alias leads to an ambiguous KB name only when it is the
name's acronym or the sentence has a company cue.

Type decides as much as spelling: a KB name the KB marks `ambiguous` ("Great Wall", "Orange",
"Total") resolves to the company only when the mention is typed ORG/BRAND/MEDIA (or the KB entry's
own type), or when the sentence has a company cue near the name ("le constructeur", "l'action", "la
Bourse", "PDG"; not "un groupe de touristes"); "Great Wall" typed PLACE in a sentence about tourism
stays a place. A cue may also make a PLACE (or untyped) mention of any KB company that company; a
PER or SECTOR mention never is one.

`FUZZY_THRESHOLD` comes from the labelled pairs in ``tests/test_resolve.py``: 34 spellings of one
company and 39 look-alike pairs of distinct companies, scored by `similarity` below. The closest
distinct pairs score 92.3 ("Aiways"/"Airways"), 90.9 ("Chery"/"Cherry"), 88.9 ("Meta"/"Metal",
"Tesla"/"Tesa"); 28 of the 34 variants score 94.7 or more (legal forms and "Motors" dropped: 100;
typos "Stelantis" 94.7, "Lamborgini" 95.2), the 6 others 90 or less (typos "Volkswagon" 90 and
"Hyundia" 85.7, "Huawei Technologies", "Foxconn Technology Group", "Zeekr Intelligent Technology",
and "JAC", under the length floor; the knowledge base knows four of them). Every threshold in
(92.3, 94.7] makes no wrong merge and keeps those 28; 93.5 is the middle of that range.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from rapidfuzz import fuzz, process

from ondit import lexicons
from ondit.extract.gazetteer import KBEntry, fold, gazetteer

FUZZY_THRESHOLD = 93.5
FUZZY_MARGIN = 3.0  # a fuzzy match must beat the best other entity by this much, else it is a tie
MIN_FUZZY_LENGTH = 4  # names shorter than this (normalised, without spaces) are never fuzzy-matched

_COMPANY_TYPES = frozenset({"ORG", "BRAND", "MEDIA", "PRODUCT", "MISC", ""})
_AMBIGUOUS_OK_TYPES = frozenset({"ORG", "BRAND", "MEDIA"})
_CUE_UPGRADABLE = frozenset({"PLACE", "MISC", ""})  # types a company cue may override (never PER, SECTOR)
_FUZZY_COMPATIBLE: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "ORG": frozenset({"ORG", "BRAND"}),
        "BRAND": frozenset({"ORG", "BRAND"}),
        "MEDIA": frozenset({"MEDIA"}),
        "PER": frozenset({"PER"}),
        "PRODUCT": frozenset({"PRODUCT"}),
    }
)
_ACRONYM_TYPES = frozenset({"ORG", "BRAND", "MEDIA"})

# Trailing words that name the line of business rather than the company ("Xpeng Motors" ~ "Xpeng"),
# dropped for fuzzy comparison only (keys keep them).
_GENERIC_TAIL = frozenset({"motor", "motors", "automobile", "automobiles", "automotive"})
# Words an acronym may skip ("Banque de France" ~ "BDF" or "BF").
_ACRONYM_OPTIONAL = frozenset({"de", "du", "des", "d", "la", "le", "les", "l", "et", "of", "the", "and", "y"})
_DETERMINERS = frozenset({"le", "la", "les", "du", "au", "un", "une"})
_DOTTED = re.compile(r"\b(?:[^\W\d_]\.){2,}(?:[^\W\d_]\b\.?)?")  # "N.V.", "S.p.A." -> "NV", "SpA"
_DIGITS = re.compile(r"\d+")

# Words of a sentence that show a name is a company ("le constructeur Great Wall", "l'action Orange").
_CUES = frozenset(
    {
        "constructeur",
        "groupe",
        "societe",
        "entreprise",
        "firme",
        "compagnie",
        "operateur",
        "marque",
        "filiale",
        "fabricant",
        "equipementier",
        "editeur",
        "startup",
        "holding",
        "coentreprise",
        "action",
        "actionnaire",
        "bourse",
        "cotee",
        "pdg",
        "patron",
        "dirigeant",
        "voiture",
        "vehicule",
        "suv",
        "berline",
        "usine",
        "chiffre",
        "benefice",
        "resultats",
        "ventes",
        "livraisons",
    }
)
_MULTI_CUES = (("maison", "mere"), ("directeur", "general"), ("start", "up"), ("jeune", "pousse"))
_CUE_WINDOW = 8  # words either side of the name (the whole sentence when the name is not found in it)


@dataclass(frozen=True)
class Known:
    """An entity already in the store."""

    key: str
    name: str
    type: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Resolution:
    key: str  # "kb:<canonical name>", "<type>:<normalised name>", or the key of the Known entity
    name: str  # canonical display name
    type: str
    parent: str | None  # canonical name of the parent (brand -> maker), from the KB
    how: str  # "kb", "alias", "user", "fuzzy:<score>", "new"


# ---------------------------------------------------------------------------------------------
# Names


@cache
def _legal() -> tuple[frozenset[str], frozenset[str]]:
    data = lexicons.load("entities_fr")
    suffixes = frozenset(_squash(s) for s in data["legal_suffixes"]) - {""}
    prefixes = frozenset(_squash(s) for s in data["legal_prefixes"]) - {""}
    return suffixes, prefixes


def _squash(text: str) -> str:
    return fold(text).replace(" ", "").replace("'", "")


def _raw_tokens(name: str) -> list[str]:
    """The name's whitespace-separated words, dotted abbreviations closed up ("N.V." -> "NV")."""
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), name.replace("’", "'"))
    return [t for t in text.split() if fold(t)]


def _is_suffix(token: str) -> bool:
    suffixes, _ = _legal()
    parts = fold(token).replace("'", "").split()
    return bool(parts) and all(p in suffixes for p in parts)


def _lead_len(tokens: Sequence[str]) -> int:
    """How many leading words are a legal form ("le groupe", "Société", "l'entreprise")."""
    _, prefixes = _legal()
    if len(tokens) < 2:
        return 0
    first = fold(tokens[0])
    if first in _DETERMINERS and len(tokens) > 2 and _squash(tokens[1]) in prefixes:
        return 2
    if first[:2] in {"l'", "d'"} and first[2:].replace("'", "") in prefixes:
        return 1
    return 1 if first.replace("'", "") in prefixes else 0


def _forms(name: str) -> list[list[str]]:
    """The name's words with legal forms dropped step by step, most specific first."""
    tokens = _raw_tokens(name)
    if not tokens:
        return []
    out: list[list[str]] = [tokens]
    lead = _lead_len(tokens)
    starts = [0, lead] if lead else [0]
    ends = [len(tokens)]
    while ends[-1] - lead > 1 and _is_suffix(tokens[ends[-1] - 1]):
        ends.append(ends[-1] - 1)
    for end in ends:
        for start in starts:
            if end - start >= 1 and (start, end) != (0, len(tokens)):
                out.append(tokens[start:end])
    return out


def _key_of(tokens: Sequence[str]) -> str:
    return " ".join(fold(" ".join(tokens)).replace("'", "").split())


def _stripped(name: str) -> list[str]:
    forms = _forms(name)
    return forms[-1] if forms else []


def normalise(name: str) -> str:
    """The name folded (case, accents, punctuation) with its legal forms dropped.

    "Great Wall Motor Co., Ltd." -> "great wall motor"; "le groupe BMW", "BMW AG" -> "bmw".
    """
    return _key_of(_stripped(name)) or fold(name)


def _display(name: str) -> str:
    return " ".join(_stripped(name)).strip(" ,") or name.strip()


def _core(norm: str) -> str:
    words = norm.split()
    while len(words) > 1 and words[-1] in _GENERIC_TAIL:
        words.pop()
    return "".join(words)


def _reps(name: str) -> tuple[str, str]:
    """(core, full) forms compared by fuzzy matching: normalised, without spaces; core without
    the trailing line-of-business words."""
    norm = normalise(name)
    return _core(norm), norm.replace(" ", "")


def _pair_score(a: tuple[str, str], b: tuple[str, str]) -> float:
    if _DIGITS.findall(a[1]) != _DIGITS.findall(b[1]):
        return 0.0  # "Model 3" / "Model Y", "SU7" / "SU9"
    best = 0.0
    for x, y in zip(a, b, strict=True):
        if len(x) >= MIN_FUZZY_LENGTH and len(y) >= MIN_FUZZY_LENGTH:
            best = max(best, float(fuzz.ratio(x, y)))
    return best


def similarity(a: str, b: str) -> float:
    """How alike two names are, 0-100, as the resolver's fuzzy matching scores them.

    `fuzz.ratio` on the normalised names without spaces, and on the same without trailing
    line-of-business words ("Motors"); 100 when the normalised names are equal; otherwise 0 when
    either is shorter than `MIN_FUZZY_LENGTH` or when their numbers differ.
    """
    if normalise(a) == normalise(b):
        return 100.0  # the same name once legal forms are dropped: an exact match, whatever its length
    return _pair_score(_reps(a), _reps(b))


def acronym_of(long: str, short: str) -> bool:
    """Whether `short` abbreviates `long`: "Contemporary Amperex Technology" / "CATL",
    "Great Wall Motor" / "GWM", "Bayerische Motoren Werke" / "BMW".

    Every word of `long` but small words and legal forms gives its initial, in order; a word may give
    a few more of its letters after its initial ("Technology" -> "TL"), but initials make at least
    half of the acronym, and at least two words take part.
    """
    letters = "".join(c for c in fold(short) if c.isalnum())
    words = fold(long).replace("'", " ").split()[:12]
    if not (2 <= len(letters) <= 10) or len(words) < 2 or " " in fold(short).strip():
        return False
    suffixes, prefixes = _legal()
    optional = [w in _ACRONYM_OPTIONAL or w in suffixes or w in prefixes for w in words]
    return any(
        2 * inner <= len(letters) and used >= 2 for inner, used in _spell(letters, words, optional, 0, 0)
    )


def _spell(letters: str, words: list[str], optional: list[bool], i: int, j: int) -> Iterator[tuple[int, int]]:
    """Ways to spell letters[i:] with words[j:]: (letters taken inside words, words used)."""
    if j == len(words):
        if i == len(letters):
            yield 0, 0
        return
    if optional[j]:
        yield from _spell(letters, words, optional, i, j + 1)  # a small word or legal form may be skipped
    word = words[j]
    if i == len(letters) or word[0] != letters[i]:
        return
    # the initial, then 0..n more letters of the same word, in order
    pos, k = 1, i + 1
    while True:
        for inner, used in _spell(letters, words, optional, k, j + 1):
            yield inner + (k - i - 1), used + 1
        if k == len(letters):
            return
        found = word.find(letters[k], pos)
        if found < 0:
            return
        pos, k = found + 1, k + 1


def _has_company_cue(name: str, context: str) -> bool:
    """Whether the sentence has a company cue word near the name."""
    words = fold(context).replace("'", " ").split()
    if not words:
        return False
    target = fold(name).replace("'", " ").split()
    lo, hi = 0, len(words)
    if target:
        for s in range(len(words) - len(target) + 1):
            if words[s : s + len(target)] == target:
                lo, hi = max(0, s - _CUE_WINDOW), min(len(words), s + len(target) + _CUE_WINDOW)
                break
    window = words[lo:hi]
    for n, w in enumerate(window):
        nxt = window[n + 1] if n + 1 < len(window) else ""
        stem = w[:-1] if w.endswith(("s", "x")) and len(w) > 3 else w
        if stem in _CUES or w in _CUES:
            if stem == "groupe" and nxt in {"de", "d", "des", "du"}:
                continue  # "un groupe de touristes"
            return True
        if (w, nxt) in _MULTI_CUES or (stem, nxt) in _MULTI_CUES:
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Resolver


@dataclass(frozen=True)
class _Target:
    key: str
    name: str
    type: str
    parent: str | None
    ambiguous: bool


def _kb_target(entry: KBEntry) -> _Target:
    return _Target(f"kb:{entry.name}", entry.name, entry.type, entry.parent or None, entry.ambiguous)


class Resolver:
    """Resolves entity names to stable keys (see the module docstring for the order of the rules)."""

    def __init__(
        self,
        known: Iterable[Known] = (),
        user_aliases: Mapping[str, str] = MappingProxyType({}),
        fuzzy_threshold: float = FUZZY_THRESHOLD,
    ) -> None:
        self.fuzzy_threshold = fuzzy_threshold
        self._user = {fold(k): v for k, v in user_aliases.items()}
        kb = gazetteer()
        self._kb_targets: dict[str, _Target] = {}
        self._kb_exact: dict[str, set[str]] = {}
        self._kb_norm: dict[str, set[str]] = {}
        self._known: dict[str, _Target] = {}
        self._known_forms: dict[str, set[str]] = {}
        self._known_exact: dict[str, set[str]] = {}
        self._known_norm: dict[str, set[str]] = {}
        # fuzzy choices: parallel lists of (core, full) representations and the target key they stand for
        self._cores: list[str] = []
        self._fulls: list[str] = []
        self._owners: list[str] = []
        for entry in kb.entries.values():
            target = _kb_target(entry)
            self._kb_targets[target.key] = target
            for form in (entry.name, *entry.aliases):
                self._kb_exact.setdefault(_key_of(_raw_tokens(form)), set()).add(target.key)
                self._kb_norm.setdefault(normalise(form), set()).add(target.key)
                self._add_choice(form, target.key)
        for k in known:
            self.add(k)

    # -- building -------------------------------------------------------------------------------

    def _add_choice(self, form: str, key: str) -> None:
        core, full = _reps(form)
        self._cores.append(core)
        self._fulls.append(full)
        self._owners.append(key)

    def add(self, known: Known) -> None:
        """Make an entity resolvable by later calls (entities created earlier in the same run)."""
        old = self._known.get(known.key)
        kb_target = self._kb_targets.get(known.key)
        parent = kb_target.parent if kb_target else (old.parent if old else None)
        ambiguous = kb_target.ambiguous if kb_target else False
        self._known[known.key] = _Target(known.key, known.name, known.type, parent, ambiguous)
        seen = self._known_forms.setdefault(known.key, set())
        for form in (known.name, *known.aliases):
            if not form.strip() or form in seen:
                continue
            seen.add(form)
            self._known_exact.setdefault(_key_of(_raw_tokens(form)), set()).add(known.key)
            self._known_norm.setdefault(normalise(form), set()).add(known.key)
            self._add_choice(form, known.key)

    def _target(self, key: str) -> _Target | None:
        return self._known.get(key) or self._kb_targets.get(key)

    # -- type rules -----------------------------------------------------------------------------

    @staticmethod
    def _compatible(type: str, target: _Target, cue: bool) -> bool:
        """Whether a mention typed `type` may be the (exactly named) target."""
        company = target.type in _COMPANY_TYPES
        if target.ambiguous and not (type in _AMBIGUOUS_OK_TYPES or type == target.type):
            return cue and type in _CUE_UPGRADABLE and company
        if type == target.type:
            return True
        if type in _COMPANY_TYPES and company:
            return True
        return cue and type in _CUE_UPGRADABLE and company

    # -- matching -------------------------------------------------------------------------------

    def _exact(
        self, name: str, type: str, cue: bool, exact: dict[str, set[str]], norm: dict[str, set[str]]
    ) -> _Target | None:
        for tokens in _forms(name):
            found = self._pick(exact.get(_key_of(tokens), set()), type, cue)
            if found is not None:
                return found
        return self._pick(norm.get(normalise(name), set()), type, cue)

    def _pick(self, keys: set[str], type: str, cue: bool) -> _Target | None:
        fits = [
            t for k in sorted(keys) if (t := self._target(k)) is not None and self._compatible(type, t, cue)
        ]
        if len(fits) == 1:
            return fits[0]
        same_type = [t for t in fits if t.type == type]
        return same_type[0] if len(same_type) == 1 else None  # several: not this rule's to decide

    def _by_acronym(self, name: str, type: str) -> _Target | None:
        letters = "".join(c for c in name if c.isalnum())
        if type not in _ACRONYM_TYPES or not (3 <= len(letters) <= 6) or not letters.isupper():
            return None
        fits = {
            t.key
            for t in self._known.values()
            if t.type in _FUZZY_COMPATIBLE[type]
            and any(acronym_of(f, name) for f in self._known_forms.get(t.key, ()))
        }
        return self._known[fits.pop()] if len(fits) == 1 else None

    def _fuzzy(self, name: str, type: str) -> tuple[_Target, float] | None:
        allowed = _FUZZY_COMPATIBLE.get(type)
        if allowed is None:
            return None
        reps = _reps(name)
        if len(reps[1]) < MIN_FUZZY_LENGTH:
            return None
        cutoff = max(0.0, self.fuzzy_threshold - FUZZY_MARGIN)
        hits: set[int] = set()
        for query, choices in ((reps[0], self._cores), (reps[1], self._fulls)):
            if len(query) >= MIN_FUZZY_LENGTH:
                found = process.extract(query, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
                hits.update(idx for _, _, idx in found)
        best: dict[str, float] = {}
        for idx in hits:
            target = self._target(self._owners[idx])
            if target is None or target.type not in allowed:
                continue
            score = _pair_score(reps, (self._cores[idx], self._fulls[idx]))
            if score >= cutoff and score > best.get(target.key, -1.0):
                best[target.key] = score
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
        if not ranked or ranked[0][1] < self.fuzzy_threshold:
            return None
        if len(ranked) > 1 and ranked[1][1] > ranked[0][1] - FUZZY_MARGIN:
            return None  # two entities come close: a new entity rather than a guess
        target = self._target(ranked[0][0])
        return (target, ranked[0][1]) if target is not None else None

    # -- resolving ------------------------------------------------------------------------------

    def _result(self, target: _Target, how: str) -> Resolution:
        return Resolution(target.key, target.name, target.type, target.parent, how)

    def _user_alias(self, name: str, type: str) -> Resolution | None:
        for form in (fold(name), _key_of(_raw_tokens(name)), normalise(name)):
            key = self._user.get(form)
            if key is not None:
                target = self._target(key)
                if target is not None:
                    return self._result(target, "user")
                return Resolution(key, _display(name), type, None, "user")
        return None

    def resolve(self, name: str, type: str, aliases: Sequence[str] = (), context: str = "") -> Resolution:
        """The entity a mention named `name` (typed `type`, with the article's `aliases` for it, in
        the sentence `context`) stands for."""
        aliases = [a for a in aliases if a.strip() and fold(a) != fold(name)]
        names = [name, *aliases]
        for n in names:
            user = self._user_alias(n, type)
            if user is not None:
                return user
        cue = _has_company_cue(name, context)
        for n in names:
            found = self._exact(n, type, cue, self._kb_exact, self._kb_norm)
            if found is not None and (n == name or self._alias_trusted(name, n, found, cue)):
                return self._result(found, "kb")
        for n in names:
            found = self._exact(n, type, cue, self._known_exact, self._known_norm)
            if found is not None and (n == name or self._alias_trusted(name, n, found, cue)):
                return self._result(found, "alias")
        found = self._by_acronym(name, type)
        if found is not None:
            return self._result(found, "alias")
        for n in names:
            fuzzy = self._fuzzy(n, type)
            if fuzzy is not None and (n == name or self._alias_trusted(name, n, fuzzy[0], cue)):
                return self._result(fuzzy[0], f"fuzzy:{fuzzy[1]:.0f}")
        return self._new(name, type, aliases)

    @staticmethod
    def _alias_trusted(name: str, alias: str, target: _Target, cue: bool) -> bool:
        """An article's alias may carry its entity to an ambiguous KB name only when it is the name's
        acronym or the sentence says it is a company."""
        return not target.ambiguous or cue or acronym_of(name, alias)

    @staticmethod
    def _new(name: str, type: str, aliases: Sequence[str]) -> Resolution:
        # an acronym with its long form as alias is keyed by the long form, whichever the article led with
        longs = [a for a in aliases if acronym_of(a, name)]
        canonical = max(longs, key=lambda a: (len(a), a)) if longs else name
        return Resolution(f"{type}:{normalise(canonical)}", _display(canonical), type, None, "new")
