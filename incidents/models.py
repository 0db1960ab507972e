"""Models of the incidents domain; they arrive with the issue that builds it."""
