"""The admin's page of the kinds of deliverable (*soorten opbrengst*): add one, rename it,
move it up or down, stop offering it or offer it again; a team adding a deliverable chooses
only among the kinds on offer."""

from __future__ import annotations

from functools import partial

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.config import Settings
from app.deliverable_kinds import services
from app.models import AuditEvent, Deliverable, DeliverableKind, Role
from tests import factories as f
from tests.concurrent import served
from tests.outcomes.conftest import Closing

PAGE = "/admin/deliverable-kinds"


def _kinds(session: Session) -> list[tuple[str, str, str, bool]]:
    session.expire_all()
    return [(k.code, k.name_nl, k.name_en, k.active) for k in services.kinds(session=session)]


def _kind(session: Session, code: str) -> DeliverableKind:
    session.expire_all()
    return session.exec(select(DeliverableKind).where(DeliverableKind.code == code)).one()


def _actions(session: Session) -> list[str]:
    stmt = select(AuditEvent.action).where(col(AuditEvent.action).startswith("deliverable_kind."))
    return list(session.exec(stmt.order_by(col(AuditEvent.id))))


def _admin(anon: TestClient, session: Session) -> TestClient:
    f.login(anon, session, f.user(session, Role.ADMIN))
    return anon


def test_the_page_lists_the_kinds_in_their_order(anon: TestClient, session: Session):
    page = _admin(anon, session).get(PAGE)
    assert page.status_code == 200
    assert "Soorten resultaat" in page.text
    names = ["Advies", "Onderzoek", "Product", "Activiteit", "Spel", "Overig"]
    positions = [page.text.index(f'value="{name}"') for name in names]
    assert positions == sorted(positions)
    assert 'href="/admin/deliverable-kinds"' in page.text  # in the admin's menu


def test_an_admin_adds_a_kind_coded_from_its_dutch_name(anon: TestClient, session: Session):
    client = _admin(anon, session)
    made = client.post(PAGE, data={"name_nl": "Beleids  notitie é", "name_en": "Policy brief"})
    assert made.status_code == 303
    assert made.headers["location"].startswith(PAGE)
    kind = _kind(session, "beleids-notitie-e")
    assert (kind.name_nl, kind.name_en, kind.active) == ("Beleids notitie é", "Policy brief", True)
    assert _kinds(session)[-1][0] == "beleids-notitie-e"  # last in the order
    assert _actions(session) == ["deliverable_kind.create"]
    assert "De soort resultaat is toegevoegd." in client.get(made.headers["location"]).text


def test_a_new_kind_needs_both_names_of_its_own(anon: TestClient, session: Session):
    client = _admin(anon, session)
    empty = client.post(PAGE, data={"name_nl": " ?! ", "name_en": " "})
    assert empty.status_code == 422
    assert "Vul de Nederlandse naam in." in empty.text
    assert "Vul de Engelse naam in." in empty.text
    assert 'aria-invalid="true" aria-describedby="name_nl-error"' in empty.text
    assert 'aria-invalid="true" aria-describedby="name_en-error"' in empty.text
    long = client.post(PAGE, data={"name_nl": "x" * 121, "name_en": "Long"})
    assert long.status_code == 422
    twin = client.post(PAGE, data={"name_nl": "ADVIES", "name_en": "Counsel"})
    assert twin.status_code == 422
    assert "Er is al een soort resultaat met deze Nederlandse naam." in twin.text
    assert 'value="Counsel"' in twin.text  # the input is kept
    code = client.post(PAGE, data={"name_nl": "Advies!", "name_en": "Counsel"})
    assert code.status_code == 422  # the same code as "Advies"
    assert "Er is al een soort resultaat met deze Nederlandse naam." in code.text
    english = client.post(PAGE, data={"name_nl": "Raad", "name_en": "advice"})
    assert english.status_code == 422
    assert "Er is al een soort resultaat met deze Engelse naam." in english.text
    assert len(_kinds(session)) == 6
    assert _actions(session) == []


def test_an_admin_renames_a_kind_and_its_code_stays(anon: TestClient, session: Session):
    client = _admin(anon, session)
    kind = _kind(session, "spel")
    url = f"{PAGE}/{kind.id}/rename"
    renamed = client.post(
        url,
        data={"name_nl": "Serious game", "name_en": "Serious game", "seen_nl": "Spel"}
        | {"seen_en": "Game"},
    )
    assert renamed.status_code == 303
    kind = _kind(session, "spel")
    assert (kind.name_nl, kind.name_en) == ("Serious game", "Serious game")
    assert _actions(session) == ["deliverable_kind.rename"]
    same = {"name_nl": "Serious game", "name_en": "Serious game"}
    unchanged = client.post(url, data=same | {"seen_nl": "Serious game", "seen_en": "Serious game"})
    assert unchanged.status_code == 303
    assert _actions(session) == ["deliverable_kind.rename"]  # nothing changed, nothing audited
    taken = client.post(
        url,
        data={"name_nl": "Product", "name_en": "", "seen_nl": "Serious game"}
        | {"seen_en": "Serious game"},
    )
    assert taken.status_code == 422
    assert "Er is al een soort resultaat met deze Nederlandse naam." in taken.text
    assert "Vul de Engelse naam in." in taken.text
    assert f'aria-describedby="kind-{kind.id}-name_nl-error"' in taken.text
    assert _kind(session, "spel").name_nl == "Serious game"


def test_a_rename_from_a_stale_page_is_refused_not_lost(anon: TestClient, session: Session):
    client = _admin(anon, session)
    kind = _kind(session, "spel")
    stale = client.post(
        f"{PAGE}/{kind.id}/rename",
        data={"name_nl": "Bordspel", "name_en": "Board game", "seen_nl": "Game"}
        | {"seen_en": "Game"},
    )
    assert stale.status_code == 409
    assert "Spel" in stale.text  # what it is called now
    assert _kind(session, "spel").name_nl == "Spel"
    assert _actions(session) == []


def test_an_admin_moves_a_kind_up_and_down(anon: TestClient, session: Session):
    client = _admin(anon, session)
    spel = _kind(session, "spel")
    assert client.post(f"{PAGE}/{spel.id}/move", data={"direction": "up"}).status_code == 303
    order = [k[0] for k in _kinds(session)]
    assert order == ["advies", "onderzoek", "product", "spel", "activiteit", "overig"]
    advies = _kind(session, "advies")
    assert client.post(f"{PAGE}/{advies.id}/move", data={"direction": "up"}).status_code == 303
    assert [k[0] for k in _kinds(session)] == order  # the first stays first
    assert client.post(f"{PAGE}/{advies.id}/move", data={"direction": "down"}).status_code == 303
    order = [k[0] for k in _kinds(session)]
    assert order == ["onderzoek", "advies", "product", "spel", "activiteit", "overig"]
    assert _actions(session) == ["deliverable_kind.move", "deliverable_kind.move"]
    bad = client.post(f"{PAGE}/{advies.id}/move", data={"direction": "sideways"})
    assert bad.status_code == 422
    assert client.post(f"{PAGE}/99999/move", data={"direction": "up"}).status_code == 404


def test_moving_repairs_kinds_that_share_a_position(anon: TestClient, session: Session):
    for kind in session.exec(select(DeliverableKind)):
        kind.sort_order = 0
        session.add(kind)
    session.flush()
    client = _admin(anon, session)
    before = [k[0] for k in _kinds(session)]  # by name when the positions are equal
    last = _kind(session, before[-1])
    assert client.post(f"{PAGE}/{last.id}/move", data={"direction": "up"}).status_code == 303
    after = [k[0] for k in _kinds(session)]
    assert after == [*before[:-2], before[-1], before[-2]]
    orders = [k.sort_order for k in services.kinds(session=session)]
    assert len(set(orders)) == len(orders)


def test_a_kind_no_longer_offered_is_not_a_choice_for_a_new_deliverable(
    anon: TestClient, session: Session, closing: Closing, upload_dir
):
    spel = _kind(session, "spel")
    outcome_id = _outcome_id(anon, session, closing)
    session.add(Deliverable(outcome_id=outcome_id, kind_id=spel.id or 0, title="Wijkspel"))
    session.flush()
    f.login(anon, session, closing.admin)
    stopped = anon.post(f"{PAGE}/{spel.id}/active", data={"active": "false"})
    assert stopped.status_code == 303
    assert not _kind(session, "spel").active
    assert "niet meer te kiezen" in anon.get(PAGE).text
    again = anon.post(f"{PAGE}/{spel.id}/active", data={"active": "false"})
    assert again.status_code == 303  # the same click twice changes nothing

    f.login(anon, session, closing.student)
    team = anon.get(f"/outcomes/teams/{closing.team.id}")
    assert f'<option value="{spel.id}"' not in team.text
    assert "Wijkspel" in team.text
    assert "<td>Spel</td>" in team.text  # the deliverable of that kind keeps showing it
    refused = anon.post(
        f"/outcomes/teams/{closing.team.id}/deliverables",
        data={"title": "Nog een spel", "kind_id": str(spel.id), "link": "https://example.org"},
    )
    assert refused.status_code == 422

    f.login(anon, session, closing.admin)
    assert anon.post(f"{PAGE}/{spel.id}/active", data={"active": "true"}).status_code == 303
    assert _kind(session, "spel").active
    assert _actions(session) == ["deliverable_kind.deactivate", "deliverable_kind.activate"]
    f.login(anon, session, closing.student)
    team = anon.get(f"/outcomes/teams/{closing.team.id}")
    assert f'<option value="{spel.id}"' in team.text


def _outcome_id(anon: TestClient, session: Session, closing: Closing) -> int:
    """The team's outcome, made by the team's first deliverable over HTTP."""
    f.login(anon, session, closing.student)
    made = anon.post(
        f"/outcomes/teams/{closing.team.id}/deliverables",
        data={"title": "Adviesrapport", "kind_id": "1", "link": "https://example.org/r"},
    )
    assert made.status_code == 303, made.text
    row = session.exec(select(Deliverable)).first()
    assert row is not None
    return row.outcome_id


def test_only_an_admin_keeps_the_kinds(anon: TestClient, session: Session, closing: Closing):
    spel = _kind(session, "spel")
    for user in (closing.wijkdocent, closing.partner_user, closing.student):
        f.login(anon, session, user)
        assert anon.get(PAGE).status_code == 403
        assert anon.post(PAGE, data={"name_nl": "Raad", "name_en": "Counsel"}).status_code == 403
        for tail, data in (
            ("active", {"active": "false"}),
            ("move", {"direction": "up"}),
            ("rename", {"name_nl": "X", "name_en": "X", "seen_nl": "Spel", "seen_en": "Game"}),
        ):
            assert anon.post(f"{PAGE}/{spel.id}/{tail}", data=data).status_code == 403
    assert _kinds(session)[4] == ("spel", "Spel", "Game", True)
    assert len(_kinds(session)) == 6


def test_two_admins_renaming_at_once_give_one_rename_and_one_refusal(
    engine: Engine, settings: Settings
) -> None:
    with served(engine, settings) as live:
        with live.session() as session:
            admins = [f.user(session, Role.ADMIN) for _ in range(2)]
            session.commit()
            kind_id = _kind(session, "spel").id
        clients = [live.login(a, page=PAGE) for a in admins]
        url = f"{PAGE}/{kind_id}/rename"
        seen = {"seen_nl": "Spel", "seen_en": "Game"}
        answers = live.fire(
            [
                partial(c.post, url, data={"name_nl": name, "name_en": name} | seen)
                for c, name in zip(clients, ["Bordspel", "Wijkspel"], strict=True)
            ]
        )
        assert sorted(r.status_code for r in answers) == [303, 409]
        with live.session() as session:
            kind = session.get(DeliverableKind, kind_id)
            assert kind is not None
            assert kind.name_nl in {"Bordspel", "Wijkspel"}
            renames = select(AuditEvent).where(AuditEvent.action == "deliverable_kind.rename")
            assert len(session.exec(renames).all()) == 1


def test_two_admins_moving_at_once_lose_no_move(engine: Engine, settings: Settings) -> None:
    with served(engine, settings) as live:
        with live.session() as session:
            admins = [f.user(session, Role.ADMIN) for _ in range(3)]
            session.commit()
            kind_id = _kind(session, "overig").id
        clients = [live.login(a, page=PAGE) for a in admins]
        url = f"{PAGE}/{kind_id}/move"
        answers = live.fire([partial(c.post, url, data={"direction": "up"}) for c in clients])
        moved = sum(r.status_code == 303 for r in answers)
        assert moved >= 1
        assert sorted(r.status_code for r in answers) == [303] * moved + [409] * (3 - moved)
        with live.session() as session:
            rows = services.kinds(session=session)
            assert len({k.sort_order for k in rows}) == len(rows)  # no two share a place
            assert [k.code for k in rows].index("overig") == 5 - moved  # each 303 moved it
            moves = select(AuditEvent).where(AuditEvent.action == "deliverable_kind.move")
            assert len(session.exec(moves).all()) == moved
