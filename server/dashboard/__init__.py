"""The console dashboard: aggregate queries over submissions (honouring the shared
filters), a small per-process cache, and server-side SVG charts and maps."""
