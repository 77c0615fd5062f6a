"""The admin's leerkringen page: who answers for which leerkring decides what a wijkdocent
sees (their incomplete rankings, review queue, teams)."""

from __future__ import annotations

from functools import partial

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from app.config import Settings
from app.models import AuditEvent, Leerkring, LeerkringWijkdocent, Role
from app.outcomes import services
from tests import factories as f
from tests.concurrent import served
from tests.students import builders as b


def _members(session: Session, kring: Leerkring) -> list[int]:
    session.expire_all()
    stmt = select(LeerkringWijkdocent.user_id).where(LeerkringWijkdocent.leerkring_id == kring.id)
    return sorted(session.exec(stmt))


def test_an_admin_lets_a_new_wijkdocent_answer_for_a_leerkring(anon: TestClient, session: Session):
    b.ranking_semester(session, number_of_ranks=1)
    kring = f.leerkring(session, "Lingewaard")
    student = f.student(session, f.programme(session), leerkring_id=kring.id)
    wd = f.wijkdocent(session)  # invited, but in no leerkring yet
    f.login(anon, session, wd)
    assert student.student_number not in anon.get("/students/incomplete").text

    f.login(anon, session, f.user(session, Role.ADMIN))
    page = anon.get("/admin/leerkringen")
    assert page.status_code == 200
    assert "Er hoort nog geen wijkdocent bij deze leerkring." in page.text
    added = anon.post(f"/admin/leerkringen/{kring.id}/wijkdocenten", data={"user_id": wd.id})
    assert added.status_code == 303
    assert _members(session, kring) == [wd.id]
    again = anon.post(f"/admin/leerkringen/{kring.id}/wijkdocenten", data={"user_id": wd.id})
    assert again.status_code == 303  # the same click twice changes nothing
    assert _members(session, kring) == [wd.id]
    actions = session.exec(
        select(AuditEvent.action).where(col(AuditEvent.action).startswith("leerkring."))
    ).all()
    assert actions == ["leerkring.add_wijkdocent"]

    f.login(anon, session, wd)
    assert student.student_number in anon.get("/students/incomplete").text

    f.login(anon, session, f.user(session, Role.ADMIN))
    gone = anon.post(f"/admin/leerkringen/{kring.id}/wijkdocenten/{wd.id}/remove")
    assert gone.status_code == 303
    assert _members(session, kring) == []


def test_only_an_active_wijkdocent_can_be_added(anon: TestClient, session: Session):
    kring = f.leerkring(session)
    partner = f.user(session, Role.PARTNER)
    f.login(anon, session, f.user(session, Role.ADMIN))
    for user_id in (partner.id, "x", 99999):
        refused = anon.post(
            f"/admin/leerkringen/{kring.id}/wijkdocenten", data={"user_id": user_id}
        )
        assert refused.status_code == 422
        assert "Kies een actieve wijkdocent." in refused.text
    assert _members(session, kring) == []
    missing = anon.post("/admin/leerkringen/99999/wijkdocenten", data={"user_id": partner.id})
    assert missing.status_code == 404


def test_a_new_leerkring_needs_a_name_of_its_own(anon: TestClient, session: Session):
    f.login(anon, session, f.user(session, Role.ADMIN))
    empty = anon.post("/admin/leerkringen", data={"name": "  ", "region": "Betuwe"})
    assert empty.status_code == 422
    assert 'aria-invalid="true"' in empty.text
    assert 'value="Betuwe"' in empty.text  # the input is kept
    made = anon.post("/admin/leerkringen", data={"name": "Nijmegen  Oost", "region": ""})
    assert made.status_code == 303
    kring = session.exec(select(Leerkring).where(Leerkring.name == "Nijmegen Oost")).one()
    twin = anon.post("/admin/leerkringen", data={"name": "nijmegen oost"})
    assert twin.status_code == 422
    assert "Er is al een leerkring met deze naam." in twin.text
    closed = anon.post(f"/admin/leerkringen/{kring.id}/active", data={"active": "false"})
    assert closed.status_code == 303
    session.refresh(kring)
    assert not kring.active
    assert "gesloten" in anon.get("/admin/leerkringen").text


def test_a_wijkdocent_cannot_change_leerkringen(anon: TestClient, session: Session):
    kring = f.leerkring(session)
    wd = f.wijkdocent(session)
    f.login(anon, session, wd)
    assert anon.get("/admin/leerkringen").status_code == 403
    refused = anon.post(f"/admin/leerkringen/{kring.id}/wijkdocenten", data={"user_id": wd.id})
    assert refused.status_code == 403
    assert _members(session, kring) == []


def test_two_admins_adding_at_once_give_one_membership_and_one_leerkring(
    engine: Engine, settings: Settings
) -> None:
    with served(engine, settings) as live:
        with live.session() as session:
            kring = f.leerkring(session, "Zevenaar")
            wd = f.wijkdocent(session)
            admins = [f.user(session, Role.ADMIN) for _ in range(4)]
            session.commit()
            kring_id, wd_id = kring.id, wd.id
        clients = [live.login(a, page="/admin/leerkringen") for a in admins]
        add = f"/admin/leerkringen/{kring_id}/wijkdocenten"
        added = live.fire([partial(c.post, add, data={"user_id": wd_id}) for c in clients])
        assert [r.status_code for r in added] == [303] * 4
        made = live.fire(
            [partial(c.post, "/admin/leerkringen", data={"name": "Duiven"}) for c in clients]
        )
        assert sorted(r.status_code for r in made) == [303, 422, 422, 422]
        with live.session() as session:
            count = select(func.count()).select_from(LeerkringWijkdocent)
            assert session.exec(count.where(LeerkringWijkdocent.user_id == wd_id)).one() == 1
            named = select(func.count()).select_from(Leerkring).where(Leerkring.name == "Duiven")
            assert session.exec(named).one() == 1
            audit = select(func.count()).select_from(AuditEvent)
            assert (
                session.exec(audit.where(AuditEvent.action == "leerkring.add_wijkdocent")).one()
                == 1
            )


def test_an_admin_adds_and_closes_a_leerkrings_learning_effects(anon: TestClient, session: Session):
    kring = f.leerkring(session, "Overbetuwe")
    f.login(anon, session, f.user(session, Role.ADMIN))
    add = f"/admin/leerkringen/{kring.id}/effects"
    first = anon.post(add, data={"name_nl": "Tak één: samenwerken", "name_en": ""})
    assert first.status_code == 303
    assert (
        anon.post(add, data={"name_nl": "Eigen regie", "name_en": "Self-direction"}).status_code
        == 303
    )
    effects = services.effects_of(session=session, leerkring_id=kring.id)
    assert [(e.code, e.name_nl, e.name_en, e.sort_order) for e in effects] == [
        ("tak-een-samenwerken", "Tak één: samenwerken", "Tak één: samenwerken", 1),
        ("eigen-regie", "Eigen regie", "Self-direction", 2),
    ]
    twin = anon.post(add, data={"name_nl": "tak een, samenwerken"})
    assert twin.status_code == 422
    assert "Deze leerkring heeft al een leereffect met deze naam." in twin.text
    assert 'value="tak een, samenwerken"' in twin.text
    empty = anon.post(add, data={"name_nl": " ?! "})
    assert empty.status_code == 422
    assert "Vul de Nederlandse naam in." in empty.text
    closed = anon.post(
        f"/admin/leerkringen/effects/{effects[0].id}/active", data={"active": "false"}
    )
    assert closed.status_code == 303
    # A team's outcome form offers only the open ones; the closed one stays in the list here.
    assert [e.name_nl for e in services.effects_of(session=session, leerkring_id=kring.id)] == [
        "Eigen regie"
    ]
    assert "niet meer te kiezen" in anon.get("/admin/leerkringen").text
