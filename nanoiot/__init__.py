"""nanoiot: natural-language device control at the edge."""

__version__ = "0.1.0"
