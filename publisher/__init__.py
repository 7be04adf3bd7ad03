"""publisher: turns an issue of a Chinese evening paper into a print PDF and an EPUB 3 edition."""

__version__ = "0.1.0"
