from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Registers the OpenAPI extension for our authentication class.
        from allauth.account.signals import user_logged_in

        from accounts.api import schema  # noqa: F401
        from accounts.language import on_user_logged_in

        user_logged_in.connect(on_user_logged_in, dispatch_uid="accounts-user-language")
