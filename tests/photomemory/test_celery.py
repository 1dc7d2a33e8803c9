"""Celery wiring that a render depends on: JSON only, a render queue, no lost jobs on crashes."""

from __future__ import annotations

from photomemory.celery import app


def test_it_routes_render_tasks_to_the_render_queue() -> None:
    queues = {queue.name for queue in app.conf.task_queues}
    assert queues == {"default", "render", "ai"}
    assert app.amqp.router.route({}, "rendering.tasks.render_video")["queue"].name == "render"


def test_it_routes_ai_drafts_to_their_own_queue_never_behind_a_render() -> None:
    assert app.amqp.router.route({}, "projects.tasks.draft_suggestions")["queue"].name == "ai"
    assert app.amqp.router.route({}, "rendering.tasks.sweep_render_jobs")["queue"].name == "default"


def test_it_accepts_json_only_and_survives_a_killed_worker() -> None:
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_serializer == "json"
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
