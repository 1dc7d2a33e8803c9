"""/api/v1/ routes for projects and photos. Ids in URLs are public UUIDs only."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from projects.api import photos, projects, uploads

P = "projects/<uuid:project_id>/"
PH = P + "photos/<uuid:photo_id>/"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-v1-schema"),
    # Interactive docs; the split view serves its start-up script as a file, as our CSP needs.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-v1-schema"),
        name="api-v1-docs",
    ),
    path("projects/", projects.ProjectListApi.as_view(), name="api-project-list"),
    path("projects/create/", projects.ProjectCreateApi.as_view(), name="api-project-create"),
    path(P, projects.ProjectDetailApi.as_view(), name="api-project-detail"),
    path(P + "update/", projects.ProjectUpdateApi.as_view(), name="api-project-update"),
    path(P + "delete/", projects.ProjectDeleteApi.as_view(), name="api-project-delete"),
    path(P + "music/", uploads.ProjectMusicUploadApi.as_view(), name="api-project-music-upload"),
    path(P + "photos/", photos.PhotoListApi.as_view(), name="api-photo-list"),
    path(P + "photos/upload/", uploads.PhotoUploadApi.as_view(), name="api-photo-upload"),
    path(
        P + "photos/upload/start/",
        uploads.PhotoUploadStartApi.as_view(),
        name="api-photo-upload-start",
    ),
    path(
        P + "photos/upload/finish/",
        uploads.PhotoUploadFinishApi.as_view(),
        name="api-photo-upload-finish",
    ),
    path(P + "photos/reorder/", photos.PhotoReorderApi.as_view(), name="api-photo-reorder"),
    path(
        P + "photos/sort-by-date/",
        photos.PhotoSortByDateApi.as_view(),
        name="api-photo-sort-by-date",
    ),
    path(PH, photos.PhotoDetailApi.as_view(), name="api-photo-detail"),
    path(PH + "update/", photos.PhotoUpdateApi.as_view(), name="api-photo-update"),
    path(PH + "delete/", photos.PhotoDeleteApi.as_view(), name="api-photo-delete"),
]
