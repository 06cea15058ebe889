"""ondit's errors: one tree, each naming the input it is about.

OnditError
├── InputError            an input that cannot be turned into an article (names the input)
│   ├── UnreadableInput   binary, undecodable, empty, too large, malformed
│   ├── NoArticleText     HTML or a record with no article text in it
│   ├── UnsupportedLanguage  text in a language ondit has no pipeline for
│   └── ExtractionError   the extractor failed on this article (a bug: please report it)
└── ConfigError           a bad option (a date that is not ISO 8601, an unknown format)
"""

from __future__ import annotations


class OnditError(Exception):
    """Base of every error ondit raises on purpose."""


class InputError(OnditError):
    """An input that cannot be processed; `str()` is one line naming it and the reason."""

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class UnreadableInput(InputError):
    pass


class NoArticleText(InputError):
    pass


class UnsupportedLanguage(InputError):
    pass


class ExtractionError(InputError):
    pass


class ConfigError(OnditError):
    pass
