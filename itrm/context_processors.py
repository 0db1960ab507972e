from __future__ import annotations

from django.http import HttpRequest

from itrm import access


def roles(request: HttpRequest) -> dict[str, bool]:
    """Role flags for templates (navigation only; views enforce access themselves)."""
    user = request.user
    return {
        "is_it_staff": access.is_it_staff(user),
        "is_manager": access.is_manager(user),
        "is_business_stakeholder": access.is_business_stakeholder(user),
    }
