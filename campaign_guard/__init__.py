"""campaign-guard: no big marketing campaign launches without a capacity review."""

__version__ = "0.1.0.dev0"
