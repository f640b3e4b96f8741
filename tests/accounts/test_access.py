"""The capabilities each role's navigation and pages ask for, decided in accounts/access.py."""

from django.contrib.auth.models import AnonymousUser

from accounts.access import capabilities_for
from accounts.models import Role, User


def caps(role: str, **extra):
    return capabilities_for(User(role=role, **extra))


def test_anonymous_visitors_reach_nothing_beyond_the_public_pages():
    assert not any(vars(capabilities_for(AnonymousUser())).values())


def test_only_county_staff_create_positions_import_the_ledger_and_run_matching():
    for role in Role.values:
        c = caps(role)
        county = role == Role.COUNTY
        assert (c.can_create_positions, c.can_import_ledger, c.can_run_matching) == (county,) * 3


def test_host_units_read_positions_but_not_the_ledger_or_the_calendar():
    c = caps(Role.HOST)
    assert c.can_read_positions
    assert not (c.can_read_ledger or c.can_read_calendar or c.can_see_dashboards)


def test_province_and_city_see_many_counties_and_the_compliance_matrix():
    for role in Role.values:
        many = role in (Role.PROVINCE, Role.CITY)
        assert caps(role).sees_many_counties is many
        assert caps(role).can_see_compliance is many


def test_only_the_province_edits_the_calendar_and_reviews_scores():
    for role in Role.values:
        c = caps(role)
        assert c.can_edit_calendar is c.can_review_scores is (role == Role.PROVINCE)


def test_a_superuser_without_a_role_sees_the_dashboards_only():
    c = caps("", is_superuser=True)
    assert c.can_see_dashboards
    assert not c.can_read_briefings and not c.can_read_ledger
