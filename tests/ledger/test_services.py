"""The ledger's services on their own: participants enter their home county's ledger when they
confirm a post, erasure takes their entry away, and two clicks at once cannot split a person or
decide a registration twice."""

import datetime

import pytest
from django.conf import settings

from ledger import services
from ledger.models import ContactLog, Entry, ReturnRegistration, Source
from students import services as students
from students.privacy import student_erase
from tests.factories import PASSWORD, StudentFactory, region, staff
from tests.race import race

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.fixture
def student(world):
    """A student from 越秀区 studying at 中山大学."""
    return StudentFactory(
        hometown=world.yuexiu,
        university=world.university,
        name="越秀学生",
        phone="13912345678",
        graduation_year=2027,
        major="汉语言文学",
    )


def test_a_student_confirming_an_offer_enters_their_home_countys_ledger(world, student):
    application = students.application_submit(actor=None, student=student, post=world.post_yx)
    students.application_offer(actor=None, application=application)

    students.offer_confirm(actor=None, application=application)

    entry = Entry.objects.get(student=student)
    assert entry.county == world.yuexiu
    assert entry.get_source_display() == "参与返家乡实践"
    assert entry.name == "越秀学生" and entry.phone == "13912345678"
    assert entry.id_number_digest == student.id_number_digest
    assert (entry.university, entry.graduation_year) == ("中山大学", 2027)
    assert "参与实践的学生" in entry.tag_list
    assert not Entry.objects.exclude(county=world.yuexiu).exists()


def test_an_entry_with_the_same_id_number_is_linked_instead_of_a_second_one(world, student):
    known = services.entry_create(
        actor=None,
        county=world.yuexiu,
        name="越秀学生",
        id_number=student.id_number,
        phone="13800138111",
        source=Source.ALUMNI,
    )

    entry = services.entry_for_participant(student)

    assert entry.pk == known.pk and Entry.objects.filter(county=world.yuexiu).count() == 1
    known.refresh_from_db()
    assert known.student == student
    assert known.phone == "13800138111"  # what the county holds is kept
    assert known.source == Source.ALUMNI


def test_an_entry_with_the_same_phone_and_no_id_number_is_linked_and_gets_it(world, student):
    known = services.entry_create(actor=None, county=world.yuexiu, name="小天", phone="13912345678")

    services.entry_for_participant(student)

    assert Entry.objects.filter(county=world.yuexiu).count() == 1
    known.refresh_from_db()
    assert known.student == student
    assert known.id_number_digest == student.id_number_digest
    assert known.id_number == student.id_number


def test_calling_again_adds_no_one(world, student):
    first = services.entry_for_participant(student)
    second = services.entry_for_participant(student)
    assert first.pk == second.pk
    assert Entry.objects.count() == 1
    assert Entry.objects.get().tag_list.count("参与实践的学生") == 1


def test_the_entry_with_the_id_number_wins_over_an_older_one_with_only_the_phone(world, student):
    by_phone = services.entry_create(
        actor=None, county=world.yuexiu, name="小越", phone="13912345678"
    )
    by_id = services.entry_create(
        actor=None,
        county=world.yuexiu,
        name="越秀学生",
        id_number=student.id_number,
        phone="13800138111",
    )
    application = students.application_submit(actor=None, student=student, post=world.post_yx)
    students.application_offer(actor=None, application=application)

    students.offer_confirm(actor=None, application=application)

    assert Entry.objects.get(student=student).pk == by_id.pk
    assert Entry.objects.filter(pk=by_phone.pk, student=None).exists()


def test_the_linked_entry_is_found_again_when_another_has_the_same_phone(world, student):
    linked = services.entry_for_participant(student)
    # A phone-only entry with the same phone, as data from before the form refused it would be.
    Entry.objects.create(county=world.yuexiu, name="同号码", phone=linked.phone)

    again = services.entry_for_participant(student)

    assert again.pk == linked.pk
    assert Entry.objects.filter(student=student).count() == 1


def test_erasing_a_student_deletes_their_ledger_entry_and_its_contact_log(world, student):
    entry = services.entry_for_participant(student)
    services.contact_add(
        entry=entry,
        actor=world.yx_staff,
        date=datetime.date(2025, 7, 1),
        method="phone",
        content="回访",
    )
    other = services.entry_create(
        actor=None, county=world.yuexiu, name="其他人", phone="13800138222"
    )

    student_erase(actor=None, student=student, password=PASSWORD)

    assert list(Entry.objects.all()) == [other]
    assert not ContactLog.objects.exists()


# Two clicks at once (PostgreSQL) ---------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_entering_the_same_phone_at_once_make_one_entry():
    county = region("440104")

    def create(name):
        return lambda: services.entry_create(
            actor=None, county=county, name=name, phone="13800138000"
        )

    outcomes = race([create("张三"), create("张叁")])

    # The second waits on the county's lock, then finds the first one's phone.
    assert sorted(outcomes)[0] == "ok"
    assert "已登记此手机号（无身份证号）" in sorted(outcomes)[1]
    assert Entry.objects.filter(county=county, phone="13800138000").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_verifications_decide_a_registration_once():
    county = region("440104")
    officer = staff("county", region=county)
    entry = services.entry_create(actor=None, county=county, name="张三", phone="13800138000")
    registration = services.registration_save(
        actor=None, entry=entry, kind="employment", year=2026, organisation="越秀区图书馆"
    )

    def decide(verified):
        return lambda: services.registration_decide(
            registration=ReturnRegistration.objects.get(pk=registration.pk),
            actor=officer,
            verified=verified,
        )

    outcomes = race([decide(True), decide(False)])

    assert sorted(outcomes) == ["ok", "该登记已处理过。"]
    registration.refresh_from_db()
    assert registration.status in ("verified", "rejected") and registration.verified_by == officer
