"""Near-duplicate articles: 64-bit SimHash fingerprints and a banded index to look them up.

Syndicated copies of one article (an agency wire republished with "Par AFP" on top, another title, a
trailing "(Avec Reuters)", a typo, a photo caption, a moved paragraph, other line breaks) are kept as
evidence but must count once. Each article gets a fingerprint:

- the text is folded (NFKD, accents removed, lower case, every run of characters other than ASCII
  letters and digits is a word break, so punctuation and whitespace do not matter);
- its 3-word shingles are hashed with BLAKE2b (8-byte digest, read big-endian) and weighted by how often
  they occur;
- bit *i* of the fingerprint is set when the weighted vote of the shingle hashes on bit *i* is positive
  (Charikar's SimHash). A text of one or two words is its own single shingle; an empty text is 0.

The fingerprint is part of what a store keeps, so this recipe must not change without re-fingerprinting
(a test pins one value).

Two articles are near-duplicates when their fingerprints differ in at most `NEAR_DUPLICATE_BITS` bits.
The value comes from ``tests/test_dedup.py``, on three French business articles of about 150 words:

- copies (each edit above alone, and all of them at once) were 0 to 14 bits from their original and
  from each other; one typo alone, tried at every word of six letters or more, 0 to 8 bits (mean 3.6);
- other articles on the same story (the same facts reworded, a follow-up reusing one sentence) were 20
  to 33 bits from the originals and from every copy.

So 17 sits in the middle of the gap, 3 bits from each side. A threshold of 3, which four exact 16-bit
bands would serve directly, misses about half of the single-typo copies: on a 150-word text one typo
changes 3 of ~147 shingles, which moves a SimHash by ~4 bits on average. Moving a paragraph only
changes the few shingles that straddle its boundaries (5 bits at most here), so plain SimHash handles
it and no second check (such as Jaccard over sentence hashes) is needed.

Limits, from the same arithmetic: the distance depends on the share of shingles two texts do not have in
common, not on the number of edits. Longer articles move less per edit; texts much shorter than 150
words, or copies that rewrite a third of the text, can fall beyond 17, and different articles that
share half their text (a dispatch re-sent with two new paragraphs) can fall within it.

Fingerprints are unsigned 64-bit integers; a SQL BIGINT is signed, so store ``to_signed(fp)`` and read
it back with ``to_unsigned(value)``. Every function here also accepts the signed form.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

__all__ = [
    "NEAR_DUPLICATE_BITS",
    "NearDuplicateIndex",
    "fold_words",
    "hamming",
    "simhash",
    "to_signed",
    "to_unsigned",
]

BITS = 64
_MASK = (1 << BITS) - 1
_SIGN = 1 << (BITS - 1)
SHINGLE = 3
BANDS = 4
BAND_BITS = BITS // BANDS
_BAND_MASK = (1 << BAND_BITS) - 1

NEAR_DUPLICATE_BITS: int = 17
"""Largest Hamming distance between two fingerprints that still counts as the same article."""

_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold_words(text: str) -> list[str]:
    """The words of `text`, lower case, without accents or punctuation."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return _NON_WORD.sub(" ", text).split()


def _hash64(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "big")


def simhash(text: str) -> int:
    """The 64-bit SimHash (unsigned) of the 3-word shingles of the folded text."""
    words = fold_words(text)
    if not words:
        return 0
    n = min(SHINGLE, len(words))
    shingles = Counter(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    votes = [0] * BITS
    for shingle, weight in shingles.items():
        h = _hash64(shingle)
        for bit in range(BITS):
            if h >> bit & 1:
                votes[bit] += weight
            else:
                votes[bit] -= weight
    fp = 0
    for bit, vote in enumerate(votes):
        if vote > 0:
            fp |= 1 << bit
    return fp


def to_unsigned(x: int) -> int:
    """The unsigned 64-bit form of a fingerprint (as read back from a signed BIGINT column)."""
    if not -_SIGN <= x <= _MASK:
        raise ValueError(f"not a 64-bit value: {x}")
    return x & _MASK


def to_signed(x: int) -> int:
    """The signed 64-bit form of a fingerprint, which fits a SQL BIGINT."""
    x = to_unsigned(x)
    return x - (1 << BITS) if x & _SIGN else x


def hamming(a: int, b: int) -> int:
    """The number of bits in which two fingerprints differ (signed or unsigned forms)."""
    return (to_unsigned(a) ^ to_unsigned(b)).bit_count()


def _bands(fp: int) -> list[int]:
    return [fp >> (i * BAND_BITS) & _BAND_MASK for i in range(BANDS)]


def _masks(width: int, radius: int) -> list[int]:
    """Every `width`-bit value with at most `radius` bits set: the XOR masks of a band's neighbours."""
    return [
        sum(1 << b for b in bits)
        for r in range(radius + 1)
        for bits in itertools.combinations(range(width), r)
    ]


class NearDuplicateIndex:
    """Fingerprints by key, looked up through four 16-bit bands, then checked by exact Hamming distance.

    Two fingerprints within `bits` of each other differ in at most ``bits // 4`` bits in at least one of
    the four bands (pigeonhole). So `find` looks in each band's buckets for the query's band value and its
    neighbours within ``bits // 4`` bits: with ``bits`` <= 3 only the exact band values (4 look-ups), with
    the default 17 the 2,517 values within 4 bits of each band. Every candidate is then checked exactly.
    When the index holds fewer fingerprints than there are look-ups, it compares them all instead. Either
    way `find` misses nothing within `bits` and returns nothing beyond it.
    """

    def __init__(self, bits: int = NEAR_DUPLICATE_BITS) -> None:
        if not 0 <= bits <= BITS:
            raise ValueError(f"bits must be between 0 and {BITS}, not {bits}")
        self.bits = bits
        self._masks = _masks(BAND_BITS, bits // BANDS)
        self._buckets: list[dict[int, set[str]]] = [{} for _ in range(BANDS)]
        self._entries: dict[str, tuple[int, int]] = {}  # key -> (fingerprint, order of first addition)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def add(self, key: str, fingerprint: int) -> None:
        """Index `fingerprint` (signed or unsigned) under `key`; adding a key again replaces its value."""
        fp = to_unsigned(fingerprint)
        old = self._entries.get(key)
        order = len(self._entries) if old is None else old[1]
        if old is not None:
            for band, value in zip(self._buckets, _bands(old[0]), strict=True):
                band[value].discard(key)
        self._entries[key] = (fp, order)
        for band, value in zip(self._buckets, _bands(fp), strict=True):
            band.setdefault(value, set()).add(key)

    def _candidates(self, fp: int) -> Iterable[str]:
        if len(self._entries) <= BANDS * len(self._masks):
            return self._entries
        found: set[str] = set()
        for band, value in zip(self._buckets, _bands(fp), strict=True):
            for mask in self._masks:
                keys = band.get(value ^ mask)
                if keys:
                    found |= keys
        return found

    def find(self, fingerprint: int) -> str | None:
        """The key of the nearest indexed fingerprint within `bits` (the first added on ties), or None."""
        fp = to_unsigned(fingerprint)
        best: tuple[int, int, str] | None = None
        for key in self._candidates(fp):
            other, order = self._entries[key]
            d = (fp ^ other).bit_count()
            if d <= self.bits and (best is None or (d, order) < best[:2]):
                best = (d, order, key)
        return None if best is None else best[2]
