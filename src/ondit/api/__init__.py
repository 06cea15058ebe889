"""ondit's web UI and JSON API (`ondit serve`) and self-contained entity reports (`ondit report`)."""
