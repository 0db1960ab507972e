"""Models of the recommendations domain; they arrive with the issue that builds it."""
