"""The EPUB edition: documents from the layout's templates, fonts subset, cover, reader catalogue."""
