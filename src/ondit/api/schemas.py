"""The JSON API's shapes (pydantic models): they make the OpenAPI schema at /openapi.json."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

# --------------------------------------------------------------------------- errors


class FieldError(BaseModel):
    loc: list[str | int] = Field(description="Where: 'query', 'path' or 'body', then the field.")
    message: str


class ErrorDetail(BaseModel):
    code: str = Field(
        description="Stable: not_found, invalid_parameter, invalid_cursor, unusable_text, unauthorized, "
        "read_only, payload_too_large, method_not_allowed, internal_error."
    )
    message: str
    fields: list[FieldError] | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


# --------------------------------------------------------------------------- common pieces


class SourceLink(BaseModel):
    name: str
    kind: str
    of: str | None = None


class TransitionOut(BaseModel):
    state: str
    date: str
    report: int | None = Field(description="The report that caused it (none for a lapse).")


# --------------------------------------------------------------------------- entities


class EntityOut(BaseModel):
    id: int
    name: str
    type: str
    kind: str | None = None
    country: str | None = None
    parent: str | None = Field(None, description="A brand's maker, a subsidiary's parent.")
    aliases: list[str]
    mentions: int
    claims: int


class EntityList(BaseModel):
    entities: list[EntityOut]
    total: int = Field(description="How many entities matched (the list may be cut at `limit`).")


class StoryEntity(BaseModel):
    id: int
    name: str
    type: str
    aliases: list[str]


class StoryClaim(BaseModel):
    id: int
    type: str
    args: dict[str, Any]
    counterpart: str | None
    state: str | None
    first_reported: str | None
    last_reported: str | None
    reports: int
    sources: int
    transitions: list[TransitionOut]


class Story(BaseModel):
    entity: StoryEntity
    as_of: str | None
    claims: list[StoryClaim]


# --------------------------------------------------------------------------- claims


class ClaimSummaryOut(BaseModel):
    id: int
    type: str
    args: dict[str, Any]
    state: str | None = Field(description="Its lifecycle state now; null when no report gave it one.")
    first_reported: str | None
    last_reported: str | None
    reports: int
    sources: int


class ClaimList(BaseModel):
    claims: list[ClaimSummaryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last.")


class ReportOut(BaseModel):
    id: int
    article_id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    date: str
    certainty: str
    called_off: bool
    cue: str
    cue_start: int | None = Field(description="Offset of the cue in `evidence`.")
    cue_end: int | None
    source: list[SourceLink] = Field(description="The source chain, outermost first.")
    credit: str | None
    evidence: str
    start: int | None = Field(description="Offset of the evidence in the article's text.")
    end: int | None
    args: dict[str, Any]
    time: dict[str, Any] | None
    quantity: dict[str, Any] | None
    first: bool
    days_after_first: int | None
    duplicate_of: str | None


class ClaimDetail(BaseModel):
    id: int
    type: str
    key: str
    episode: int
    args: dict[str, Any]
    state: str | None
    first_reported: str | None
    last_reported: str | None
    counted_reports: int
    sources: int
    reports: list[ReportOut]
    transitions: list[TransitionOut]


# --------------------------------------------------------------------------- sources, articles


class SourceRecord(BaseModel):
    source: str
    kind: str
    claims: int
    right: int
    wrong: int
    open: int
    reliability: float = Field(description="(right + 1) / (right + wrong + 2)")
    n: int = Field(description="right + wrong: how many outcomes the reliability rests on.")


class SourceList(BaseModel):
    sources: list[SourceRecord]


class MentionOut(BaseModel):
    entity_id: int | None
    name: str
    type: str
    start: int
    end: int
    text: str
    in_title: bool = Field(description="Offsets are in `title` when true, else in `text`.")


class ArticleReport(BaseModel):
    id: int
    claim_id: int
    type: str
    certainty: str
    cue: str
    cue_start: int | None
    cue_end: int | None
    called_off: bool
    source: list[SourceLink]
    time: dict[str, Any] | None
    quantity: dict[str, Any] | None
    args: dict[str, Any]
    evidence: str
    start: int
    end: int


class ArticleOut(BaseModel):
    id: str
    title: str
    text: str
    url: str | None
    published: str | None
    outlet: str | None
    lang: str | None
    duplicate_of: str | None
    ingested_at: str | None
    mentions: list[MentionOut]
    reports: list[ArticleReport]


# --------------------------------------------------------------------------- writing


class ExtractIn(BaseModel):
    text: str = Field(min_length=1, description="The article's text.")
    title: str = ""
    published: str | None = Field(None, description="ISO 8601: 2021-03-29, 2021-03, 2021-03-29T13:30.")
    outlet: str | None = Field(None, max_length=300)
    lang: str | None = Field(None, max_length=16, description="Skip language detection ('fr').")


class ArticleIn(ExtractIn):
    id: str | None = Field(None, pattern=r"^[A-Za-z0-9._:-]{1,200}$")
    url: str | None = Field(None, max_length=2000)


class ExtractionOut(BaseModel):
    id: str
    lang: str
    published: str | None
    outlet: str | None
    title: str
    text: str
    entities: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    url: str | None = None
    extractor_version: str | None = None


class IngestOut(BaseModel):
    id: str
    stored: bool = Field(description="False when the article was already stored (same id or text).")
    claims: int = Field(description="How many claim reports the extraction found.")
