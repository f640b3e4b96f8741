"""越秀区's reported student 越秀小林 (中山大学) at 越秀图书馆, and the staff of every role in two
places each (the `world` fixture), so every outcome view has an owner, an outsider and a
read-only reader."""

from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Role
from demo.summary import png
from outcomes.models import DEFAULT_MIN_CHARS
from students.models import Application, Placement
from tests.factories import StudentFactory, UniversityFactory, staff

TEXT = "在家乡图书馆做阅读推广，" * 30  # 360 字 without spaces


def photo(name: str = "活动.png") -> ContentFile:
    return ContentFile(png(), name=name)


def place(student, post, status: str = "reported") -> Placement:
    application = Application.objects.create(
        student=student, post=post, season=post.season, rank=1, status="confirmed"
    )
    completed = status == Placement.Status.COMPLETED
    return Placement.objects.create(
        application=application,
        student=student,
        post=post,
        season=post.season,
        status=status,
        checkin_code="12345678",
        reported_at=timezone.now(),
        rating="good" if completed else "",
        hours=20 if completed else None,
        certificate_code=f"CERT{student.pk:06d}" if completed else None,
        completed_at=timezone.now() if completed else None,
    )


@pytest.fixture
def ow(world):
    """The world, with 越秀's reported student and a student of 天河区 at another university."""
    scut = UniversityFactory(name="华南理工大学", code="4144010561")
    student = StudentFactory(name="越秀小林", university=world.university, hometown=world.yuexiu)
    other = StudentFactory(name="天河小王", university=scut, hometown=world.tianhe)
    assert len("".join(TEXT.split())) > DEFAULT_MIN_CHARS
    return SimpleNamespace(
        **vars(world),
        scut=scut,
        scut_staff=staff(Role.UNIVERSITY, university=scut, username="scut"),
        me=student,
        other=other,
        placement=place(student, world.post_yx),
        other_placement=place(other, world.post_th),
    )
