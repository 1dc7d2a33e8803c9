"""Staff manage users here; the stock UserAdmin adapted to e-mail login (no username).

A support ticket starts with a customer: the list shows each one's plan, whether their address is
verified and what they have made; the user's page adds their usage, projects and videos.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Count, Exists, OuterRef, QuerySet, Sum
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from billing.admin import PlanColumns, with_usage
from billing.selectors import entitlements_for_plan
from projects.models import Photo, VideoProject
from projects.selectors import ai_requests_this_month, ai_usage
from rendering.media import video_url
from rendering.models import GeneratedVideo
from rendering.selectors import month_start

PANEL_ROWS = 50  # a customer with more is searched for on the projects or videos page


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(PlanColumns, BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("-date_joined",)
    list_display = (
        "email",
        "full_name",
        "plan",
        "email_verified",
        "project_count",
        "video_count",
        "renders_this_month",
        "date_joined",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "language")
    search_fields = ("email", "full_name", "public_id")
    readonly_fields = (
        "public_id",
        "last_login",
        "date_joined",
        "plan_panel",
        "projects_panel",
        "videos_panel",
    )
    fieldsets = (
        (None, {"fields": ("email", "password", "public_id")}),
        (_("Plan and usage"), {"fields": ("plan_panel",)}),
        (_("Projects and videos"), {"fields": ("projects_panel", "videos_panel")}),
        (_("Profile"), {"fields": ("full_name", "language", "timezone")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        verified = EmailAddress.objects.filter(user=OuterRef("pk"), primary=True, verified=True)
        return with_usage(super().get_queryset(request)).annotate(email_ok=Exists(verified))

    @admin.display(description="e-mail verified", boolean=True, ordering="email_ok")
    def email_verified(self, user: Any) -> bool:
        return bool(user.email_ok)

    @admin.display(description="projects", ordering="n_projects")
    def project_count(self, user: Any) -> int:
        return int(user.n_projects)

    @admin.display(description="videos", ordering="n_videos")
    def video_count(self, user: Any) -> int:
        return int(user.n_videos)

    @admin.display(description="plan and usage")
    def plan_panel(self, user: Any) -> str:
        state = self.state_of(user)
        photos = Photo.objects.filter(project__owner=user)
        videos = GeneratedVideo.objects.filter(owner=user)
        stored = (photos.aggregate(n=Sum("size_bytes"))["n"] or 0) + (
            videos.aggregate(n=Sum("size_bytes"))["n"] or 0
        )
        context = {
            "user": user,
            "state": state,
            "limits": entitlements_for_plan(state.plan),
            "photos": photos.count(),
            "stored": stored,
            "ai_month": ai_usage(owner=user, since=month_start()),
            "ai_counted": ai_requests_this_month(user=user),
        }
        return render_to_string("admin/staff/user_plan.html", context)

    @admin.display(description="projects")
    def projects_panel(self, user: Any) -> str:
        projects = (
            VideoProject.objects.filter(owner=user)
            .order_by("-updated_at")
            .annotate(
                n_photos=Count("photos", distinct=True), n_videos=Count("videos", distinct=True)
            )
        )
        return render_to_string(
            "admin/staff/user_projects.html",
            {"user": user, "projects": projects[:PANEL_ROWS], "more": user.n_projects > PANEL_ROWS},
        )

    @admin.display(description="videos")
    def videos_panel(self, user: Any) -> str:
        videos = GeneratedVideo.objects.filter(owner=user).select_related("project")
        rows = [
            {
                "video": video,
                "poster": video_url(None, video, "poster"),
                "download": video_url(None, video, "download"),
            }
            for video in videos.order_by("-created_at")[:PANEL_ROWS]
        ]
        return render_to_string(
            "admin/staff/user_videos.html",
            {"user": user, "rows": rows, "more": user.n_videos > PANEL_ROWS},
        )
