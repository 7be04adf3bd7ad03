"""The print edition: the made-up pages laid out by WeasyPrint and joined into one PDF."""
