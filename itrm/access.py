"""Who may see and do what: the one module that decides access.

Roles are Django groups (see ``Role``). Views never test group names
themselves; they call the functions here, and ``tests/test_access_matrix.py``
checks every URL against every persona.

| role        | may                                                                  |
|-------------|----------------------------------------------------------------------|
| liaison     | read every business line; write the maps of the lines they serve     |
| manager     | everything a liaison may, on every line; assign liaisons; dashboards |
| stakeholder | only what is shared with them; never a line's internal map           |
| superuser   | everything, and the Django admin                                     |
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser, User

    from stakeholders.models import BusinessLine

    # What ``request.user`` is: a logged-in account or the anonymous user.
    AnyUser = AbstractBaseUser | AnonymousUser


class Role(StrEnum):
    LIAISON = "liaison"
    MANAGER = "manager"
    STAKEHOLDER = "stakeholder"


def roles_of(user: AnyUser) -> frozenset[Role]:
    """The roles of a user, read once per request and cached on the user object."""
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, "_itrm_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
        cached = frozenset(role for role in Role if role.value in names)
        setattr(user, "_itrm_roles", cached)  # noqa: B010 - a per-request cache on the object
    return cached


def is_manager(user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    return bool(getattr(user, "is_superuser", False)) or Role.MANAGER in roles_of(user)


def is_it_staff(user: AnyUser) -> bool:
    """Liaisons and managers: the IT side, who may read every line's map."""
    return is_manager(user) or Role.LIAISON in roles_of(user)


def is_business_stakeholder(user: AnyUser) -> bool:
    return not is_it_staff(user) and Role.STAKEHOLDER in roles_of(user)


def can_view_lines(user: AnyUser) -> bool:
    return is_it_staff(user)


def can_edit_line(user: AnyUser, line: BusinessLine) -> bool:
    """Managers edit every line; a liaison edits the lines they serve."""
    if is_manager(user):
        return True
    if Role.LIAISON not in roles_of(user):
        return False
    # Iterating uses the prefetched liaisons when the caller loaded them (no extra query).
    return any(liaison.pk == user.pk for liaison in line.liaisons.all())


_View = TypeVar("_View", bound=Callable[..., HttpResponse])


def it_staff_required(view: _View) -> _View:
    """Refuse (403) anyone who is not a liaison or a manager."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_view_lines(request.user):
            raise PermissionDenied("Only IT liaisons and managers may see business lines.")
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def signed_in(request: HttpRequest) -> User:
    """The logged-in user of a request (the login middleware has let no one else through)."""
    from django.contrib.auth.models import User

    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Log in first.")
    return user


def require_edit_line(user: AnyUser, line: BusinessLine) -> None:
    if not can_edit_line(user, line):
        raise PermissionDenied(f"You are not a liaison of {line.name}.")


def require_manager(user: AnyUser) -> None:
    if not is_manager(user):
        raise PermissionDenied("Only IT managers may do this.")
