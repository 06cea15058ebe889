"""Language detection and the spaCy pipelines, one per language."""
