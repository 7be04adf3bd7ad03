"""Ingest: issue.yaml and the raw page files read, checked and parsed into the model.

Ingest sits above typeset and templates, although the pipeline runs it
first: reading an issue checks its hints against the layout's geometry
(``typeset.geometry``) and normalises punctuation by typeset's rules, so it
imports them; typeset and the stages below never import ingest.
"""
