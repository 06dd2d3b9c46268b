"""Media files (photos, voice notes) stored by content hash."""
