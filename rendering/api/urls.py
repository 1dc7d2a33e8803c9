"""/api/v1/ routes for render jobs. Ids in URLs are public UUIDs only."""

from django.urls import path

from rendering.api import videos

P = "projects/<uuid:project_id>/"
V = P + "videos/<uuid:video_id>/"

urlpatterns = [
    path(P + "render/", videos.ProjectRenderApi.as_view(), name="api-project-render"),
    path(P + "videos/", videos.VideoListApi.as_view(), name="api-video-list"),
    path(V, videos.VideoDetailApi.as_view(), name="api-video-detail"),
    path(V + "cancel/", videos.VideoCancelApi.as_view(), name="api-video-cancel"),
    path(V + "retry/", videos.VideoRetryApi.as_view(), name="api-video-retry"),
]
