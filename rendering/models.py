"""Render job models (GeneratedVideo) come with the rendering issue."""
