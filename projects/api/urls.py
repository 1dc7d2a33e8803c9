"""/api/v1/ routes for projects and photos: resources with methods, ids are public UUIDs only."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from projects.api import ai, photos, projects, translations, uploads

P = "projects/<uuid:project_id>/"
PH = P + "photos/"
AI = P + "ai/"
SG = AI + "suggestions/<uuid:suggestion_id>/"
TR = P + "translations/"
TL = TR + "<str:language>/"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-v1-schema"),
    # Interactive docs; the split view serves its start-up script as a file, as our CSP needs.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-v1-schema"),
        name="api-v1-docs",
    ),
    path("projects/", projects.ProjectListApi.as_view(), name="api-project-list"),
    path(P, projects.ProjectDetailApi.as_view(), name="api-project-detail"),
    path(P + "music/", uploads.ProjectMusicApi.as_view(), name="api-project-music"),
    path(PH, photos.PhotoListApi.as_view(), name="api-photo-list"),
    path(
        PH + "direct-uploads/",
        uploads.PhotoUploadStartApi.as_view(),
        name="api-photo-upload-start",
    ),
    path(
        PH + "direct-uploads/complete/",
        uploads.PhotoUploadFinishApi.as_view(),
        name="api-photo-upload-finish",
    ),
    path(PH + "reorder/", photos.PhotoReorderApi.as_view(), name="api-photo-reorder"),
    path(PH + "sort-by-date/", photos.PhotoSortByDateApi.as_view(), name="api-photo-sort-by-date"),
    path(PH + "<uuid:photo_id>/", photos.PhotoDetailApi.as_view(), name="api-photo-detail"),
    path(AI, ai.AiStateApi.as_view(), name="api-ai"),
    path(AI + "requests/", ai.AiRequestsApi.as_view(), name="api-ai-requests"),
    path(AI + "suggestions/accept-all/", ai.AcceptAllApi.as_view(), name="api-ai-accept-all"),
    path(SG + "accept/", ai.SuggestionAcceptApi.as_view(), name="api-ai-suggestion-accept"),
    path(SG + "reject/", ai.SuggestionRejectApi.as_view(), name="api-ai-suggestion-reject"),
    path(SG + "undo/", ai.SuggestionUndoApi.as_view(), name="api-ai-suggestion-undo"),
    path(TR, translations.TranslationsApi.as_view(), name="api-translations"),
    path(TL, translations.TranslationLanguageApi.as_view(), name="api-translations-language"),
    path(
        TL + "refresh/",
        translations.TranslationRefreshApi.as_view(),
        name="api-translations-refresh",
    ),
    path(
        TL + "<uuid:translation_id>/",
        translations.TranslationLineApi.as_view(),
        name="api-translations-line",
    ),
    path(
        TL + "<uuid:translation_id>/reset/",
        translations.TranslationResetApi.as_view(),
        name="api-translations-line-reset",
    ),
]
