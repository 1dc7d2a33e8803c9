from django.urls import path

from rendering.views import events, videos

P = "projects/<uuid:project_id>/"
V = P + "videos/<uuid:video_id>/"

urlpatterns = [
    path(P + "render", videos.project_render_view, name="project-render"),
    path(V + "cancel", videos.video_cancel_view, name="video-cancel"),
    path(V + "retry", videos.video_retry_view, name="video-retry"),
    path(V + "events", events.video_events_view, name="video-events"),
    path(V + "<str:kind>", videos.video_file_view, name="video-file"),
]
