"""bookmaker: dated Markdown articles -> typeset EPUB 3 and print PDF."""

__version__ = "0.1.0"
