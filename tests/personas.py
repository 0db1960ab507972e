"""Named personas shared by the tests: who is who in every access test."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, User

from itrm.access import Role
from stakeholders.models import BusinessLine, Stakeholder

PASSWORD = "correct-horse-battery-staple"


def make_user(username: str, *roles: Role, **extra: object) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.com", **extra
    )
    for role in roles:
        # get_or_create: a live-server test flushes the groups the migration made
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return user


@dataclass
class Personas:
    """Two business lines, A and B, and one person of each kind.

    - ``liaison``: IT liaison of line A (reads every line, writes line A)
    - ``liaison_b``: IT liaison of line B
    - ``manager``: IT manager (everything, every line)
    - ``stakeholder``: business stakeholder of line A, with a portal login
    - ``stakeholder_b``: business stakeholder of line B, with a portal login
    - ``outsider``: logged in, but in no role
    """

    line_a: BusinessLine
    line_b: BusinessLine
    liaison: User
    liaison_b: User
    manager: User
    stakeholder: User
    stakeholder_b: User
    outsider: User

    @classmethod
    def create(cls) -> Personas:
        line_a = BusinessLine.objects.create(name="Claims", contact_cadence_days=14)
        line_b = BusinessLine.objects.create(name="Finance", contact_cadence_days=30)
        liaison = make_user("lena", Role.LIAISON, first_name="Lena", last_name="Fischer")
        liaison_b = make_user("raj", Role.LIAISON, first_name="Raj", last_name="Malhotra")
        line_a.liaisons.add(liaison)
        line_b.liaisons.add(liaison_b)
        stakeholder = make_user("sam", Role.STAKEHOLDER)
        stakeholder_b = make_user("bea", Role.STAKEHOLDER)
        Stakeholder.objects.create(line=line_a, name="Sam Carter", user=stakeholder)
        Stakeholder.objects.create(line=line_b, name="Bea Lind", user=stakeholder_b)
        return cls(
            line_a=line_a,
            line_b=line_b,
            liaison=liaison,
            liaison_b=liaison_b,
            manager=make_user("morgan", Role.MANAGER),
            stakeholder=stakeholder,
            stakeholder_b=stakeholder_b,
            outsider=make_user("olly"),
        )
