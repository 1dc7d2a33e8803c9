"""Projects: create, change, delete — with the plan's limits and the owner's storage cleaned."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.storage import Storage

from accounts.models import User
from projects.errors import NotEditable, PlanLimitReached, ProjectsError
from projects.models import Photo, ProjectStatus, VideoProject
from projects.selectors import project_get, project_list
from projects.services import project_create, project_delete, project_update

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_creates_a_draft_with_sensible_defaults(bob: User) -> None:
    project = project_create(owner=bob, title="  Grandma's   90th  ")
    assert project.title == "Grandma's 90th"
    assert (project.style, project.aspect, project.resolution) == ("classic", "16:9", "1080p")
    assert project.status == ProjectStatus.DRAFT
    assert project.music == "default"
    assert project.language == bob.language


def test_it_explains_each_invalid_option(bob: User) -> None:
    with pytest.raises(ProjectsError) as refused:
        project_create(owner=bob, title="", style="psychedelic", aspect="4:3")
    assert set(refused.value.fields) == {"title", "style", "aspect"}
    assert "classic, modern, cinematic or vintage" in refused.value.fields["style"][0]
    assert not VideoProject.objects.exists()


def test_it_refuses_4k_on_the_free_plan(bob: User) -> None:
    with pytest.raises(PlanLimitReached, match="up to 1080p"):
        project_create(owner=bob, title="Trip", resolution="2160p")


def test_it_changes_only_what_was_given(project: VideoProject) -> None:
    project_update(project=project, style="vintage", music="none")
    project.refresh_from_db()
    assert (project.title, project.style, project.music) == ("Summer in Lisbon", "vintage", "none")


def test_it_freezes_a_project_while_it_renders(project: VideoProject) -> None:
    project.status = ProjectStatus.PROCESSING
    project.save()
    with pytest.raises(NotEditable):
        project_update(project=project, title="New")


def test_it_lists_only_the_owners_projects_newest_first(bob: User, charlie: User) -> None:
    older = project_create(owner=bob, title="Older")
    newer = project_create(owner=bob, title="Newer")
    project_create(owner=charlie, title="Charlie's")
    assert [p.title for p in project_list(user=bob)] == [newer.title, older.title]


def test_it_hides_someone_elses_project(project: VideoProject, charlie: User) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        project_get(user=charlie, public_id=project.public_id)
    with pytest.raises(Http404):
        project_get(user=charlie, public_id="not-a-uuid")


def test_it_deletes_a_project_with_its_photos_and_stored_files(
    media: Storage,
    bob: User,
    project: VideoProject,
    add_photo: Callable[..., Photo],
    keys_of: Callable[[User], list[str]],
) -> None:
    add_photo(project)
    add_photo(project, keep_original=True)
    assert len(keys_of(bob)) == 5  # two working copies, two thumbnails, one original
    project_delete(project=project)
    assert not Photo.objects.exists()
    assert keys_of(bob) == []
