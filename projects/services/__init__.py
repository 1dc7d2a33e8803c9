"""Writes to projects and photos. Views and API views call these and nothing else to write."""

from projects.services.music import project_music_upload
from projects.services.photos import (
    photo_caption_update,
    photo_remove,
    photos_reorder,
    photos_sort_by_date,
)
from projects.services.projects import project_create, project_delete, project_update
from projects.services.uploads import photo_add, photo_upload_finish, photo_upload_start

__all__ = [
    "photo_add",
    "photo_caption_update",
    "photo_remove",
    "photo_upload_finish",
    "photo_upload_start",
    "photos_reorder",
    "photos_sort_by_date",
    "project_create",
    "project_delete",
    "project_music_upload",
    "project_update",
]
