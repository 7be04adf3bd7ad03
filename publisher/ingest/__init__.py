"""Ingest: issue.yaml and the raw page files read, checked and parsed into the model."""
