"""allauth headless, adapted: a user is named by the public UUID, as everywhere in our API.

allauth puts ``user.pk`` in every ``"user"`` object it answers (login, session, signup, e-mail
verification); ours is sequential and would tell anyone how many accounts exist.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from allauth.headless.adapter import DefaultHeadlessAdapter
from django.contrib.auth.base_user import AbstractBaseUser


class HeadlessAdapter(DefaultHeadlessAdapter):
    def get_user_dataclass(self) -> Any:
        # The dataclass also feeds allauth's OpenAPI description: the id is a UUID string there.
        fields: list[Any] = []
        for field in dataclasses.fields(super().get_user_dataclass()):
            if field.name == "id":
                metadata = {"description": "The user's public ID.", "example": str(uuid.uuid4())}
                fields.append(("id", str | None, dataclasses.field(metadata=metadata)))
            else:
                fields.append((field.name, field.type, dataclasses.field(metadata=field.metadata)))
        return dataclasses.make_dataclass("User", fields)

    def user_as_dataclass(self, user: AbstractBaseUser) -> Any:
        data = super().user_as_dataclass(user)
        public_id = getattr(user, "public_id", None) if user.pk else None
        return dataclasses.replace(data, id=str(public_id) if public_id else None)
