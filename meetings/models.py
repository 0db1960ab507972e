"""Models of the meetings domain; they arrive with the issue that builds it."""
