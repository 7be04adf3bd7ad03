"""Typesetting: CJK line breaking, punctuation, headlines, the column grid and the page make-up."""
