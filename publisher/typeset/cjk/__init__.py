"""CJK typesetting for the print edition: character classes, advances, line breaking.

Nothing is imported here: the character classes serve the ingest too
(punctuation, layout.toml's levels), which must not load HarfBuzz for them.
"""
