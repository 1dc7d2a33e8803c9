"""Celery tasks for projects: thin wrappers that take an id and call one service."""

from __future__ import annotations

from celery import shared_task

from projects.services.ai import ai_request_run


# No autoretry: the OpenAI client already retried (OPENAI_MAX_RETRIES, honouring retry-after);
# a failure is shown to the user, who can ask again. The row claim makes a second delivery a no-op.
@shared_task(name="projects.tasks.draft_suggestions", ignore_result=True)  # type: ignore[untyped-decorator]
def draft_suggestions(request_id: int) -> str:
    return ai_request_run(request_id=request_id)
