"""Typesetting: CJK line breaking, punctuation, headlines, the column grid and the page make-up.

Typeset imports the model and the utilities only. Of the input it reads
the layout's layout.toml alone, through ``publisher.layouts``; besides, its
own tables (fonts.toml, prohibitions.toml). It never imports ingest,
templates or the editions' stages.
"""
