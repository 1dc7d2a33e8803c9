from django.apps import AppConfig


class RenderingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rendering"

    def ready(self) -> None:
        # Connects the worker start-up hook (clean-up and sweep); inert outside a worker.
        from rendering import worker_hooks  # noqa: F401
