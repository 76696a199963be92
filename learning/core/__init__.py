"""Infrastructure that serves every domain package (rate limiting, ...)."""
