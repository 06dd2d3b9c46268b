"""Server-rendered pages: the welcome page and health check."""
