from types import SimpleNamespace

import pytest
from django.test import Client

from accounts.models import Role
from students import services as student_services
from tests.factories import StudentFactory, UniversityFactory, region, staff


@pytest.fixture
def uni(world):
    """中山大学 with three students (两名 文学院 2022级 from 越秀区 and 天河区, one 数学学院
    2023级 from 越秀区, without e-mail), 华南理工大学 with one student from 越秀区, and 北京大学
    (another province) with one student from 梅县区. 越秀甲 applies to 越秀's library post."""
    sysu = world.university
    scut = UniversityFactory(name="华南理工大学", code="4144010561")
    pku = UniversityFactory(name="北京大学", code="4111010001", province=region("110000"))
    a = StudentFactory(name="越秀甲", university=sysu, hometown=world.yuexiu)
    b = StudentFactory(name="天河乙", university=sysu, hometown=world.tianhe)
    c = StudentFactory(
        name="越秀丙", university=sysu, hometown=world.yuexiu, college="数学学院", grade=2023
    )
    c.email = ""
    c.save(update_fields=["email"])
    scut_student = StudentFactory(name="华工丁", university=scut, hometown=world.yuexiu)
    pku_student = StudentFactory(name="北大戊", university=pku, hometown=world.meixian)
    application = student_services.application_submit(
        student=a, post=world.post_yx, statement="", actor=None
    )
    return SimpleNamespace(
        **vars(world),
        sysu=sysu,
        scut=scut,
        pku=pku,
        a=a,
        b=b,
        c=c,
        scut_student=scut_student,
        pku_student=pku_student,
        application=application,
        scut_staff=staff(Role.UNIVERSITY, university=scut, username="scut"),
        pku_staff=staff(Role.UNIVERSITY, university=pku, username="pku"),
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
