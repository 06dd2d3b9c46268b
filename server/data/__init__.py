"""Package data: the ubigeo place list (MIT, see ubigeo/LICENSE)."""
