"""Corridor: protection, referral and counter-trafficking information system."""

__version__ = "0.1.0"
