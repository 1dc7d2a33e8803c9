from django.urls import path

from projects.views import editor, files, home

P = "projects/<uuid:project_id>/"

urlpatterns = [
    path("", home.home, name="home"),
    path("projects/new", editor.project_create_view, name="project-create"),
    path(P, editor.project_editor_view, name="project-editor"),
    path(P + "settings", editor.project_update_view, name="project-update"),
    path(P + "delete", editor.project_delete_view, name="project-delete"),
    path(P + "music", editor.project_music_upload_view, name="project-music-upload"),
    path(
        P + "photos/<uuid:photo_id>/<str:kind>",
        files.photo_file_view,
        name="project-photo-file",
    ),
    # Any one private file, by a signed short-lived token (projects/signed_media.py).
    path("media/signed/<str:token>", files.signed_file_view, name="media-signed"),
]
