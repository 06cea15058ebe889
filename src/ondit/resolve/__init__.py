"""Across articles: which mentions are one entity, which articles are one text.

`entities` maps an article's entity (name, type, aliases, sentence) to a stable key: the packaged
knowledge base first, then the entities already in the store, then fuzzy matching (rapidfuzz)
against entities of a compatible type; a name that fits nothing becomes a new entity. `dedup`
finds syndicated and near-identical copies of an article. Both are pure: no database, no spaCy.
"""
