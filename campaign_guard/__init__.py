"""campaign-guard: no big marketing campaign launches without a capacity review."""

__version__ = "0.2.0"
