"""Models of the dilo domain; they arrive with the issue that builds it."""
