from __future__ import annotations

import pytest

from app.models import Opdracht, OpdrachtStatus, Semester, StudentProfile
from app.students.eligibility import Filters, is_eligible

pytestmark = pytest.mark.nodb


def _opdracht(**kw: object) -> Opdracht:
    kw.setdefault("status", OpdrachtStatus.APPROVED)
    kw.setdefault("semester_id", 1)
    return Opdracht(id=1, owner_partner_id=1, title="x", **kw)  # type: ignore[arg-type]


SEMESTER = Semester(id=1, code="2099-S1")
RESTRICTED = Semester(id=1, code="2099-S1", restrict_to_leerkring=True)
STUDENT = StudentProfile(user_id=1, student_number="1", programme_id=1, year=2, leerkring_id=7)


def test_empty_years_means_every_year_and_a_list_limits_them():
    assert is_eligible(_opdracht(eligible_years=[]), SEMESTER, STUDENT)
    assert is_eligible(_opdracht(eligible_years=[2, 3]), SEMESTER, STUDENT)
    assert not is_eligible(_opdracht(eligible_years=[4]), SEMESTER, STUDENT)


@pytest.mark.parametrize("status", [s for s in OpdrachtStatus if s != OpdrachtStatus.APPROVED])
def test_only_approved_opdrachten(status: OpdrachtStatus):
    assert not is_eligible(_opdracht(status=status), SEMESTER, STUDENT)


def test_other_semester_is_not_eligible():
    assert not is_eligible(_opdracht(semester_id=2), SEMESTER, STUDENT)


def test_leerkring_counts_only_when_the_semester_restricts_it():
    other = _opdracht(leerkring_id=8)
    assert is_eligible(other, SEMESTER, STUDENT)
    assert not is_eligible(other, RESTRICTED, STUDENT)
    assert is_eligible(_opdracht(leerkring_id=7), RESTRICTED, STUDENT)
    assert is_eligible(_opdracht(leerkring_id=None), RESTRICTED, STUDENT)  # open to all


def test_filters_ignore_malformed_values_and_round_trip():
    assert Filters.parse("theme=abc&group=-1&leerkring=99999999999") == Filters()
    filters = Filters.parse("theme=3&group=4&leerkring=&other=1")
    assert filters == Filters(theme=3, group=4)
    assert Filters.parse(filters.query()) == filters
    assert not Filters().active
