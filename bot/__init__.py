"""IOM Netherlands bilingual FAQ bot."""

__version__ = "0.1.0"
