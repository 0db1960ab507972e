"""Database-free building blocks of the nightly incident trend analysis."""
