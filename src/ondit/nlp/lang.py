"""Language detection (py3langid, whose model ships inside the package)."""

from __future__ import annotations

from functools import cache

SUPPORTED = ("fr",)


@cache
def _identifier() -> object:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(
        ["fr", "en", "de", "es", "it", "pt", "nl", "zh", "ja", "ru", "ar", "pl", "sv", "tr", "ko"]
    )
    return ident


def detect(text: str) -> tuple[str, float]:
    """The most likely language of `text` and its probability, from the first 2,000 characters."""
    lang, prob = _identifier().classify(text[:2000])  # type: ignore[attr-defined]
    return str(lang), float(prob)
