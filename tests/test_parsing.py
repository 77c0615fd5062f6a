"""The one parser for numbers, ids and e-mail addresses from user input."""

from __future__ import annotations

import pytest

from app.parsing import ascii_int, normalise_email, parse_id


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), (" 7 ", 7), ("-3", -3), ("+4", 4), ("0", 0)]
    + [(bad, None) for bad in ("²", "١٢", "1_000", "", "1.5", "x", "12a", "1" * 19, "\n5")],
)
def test_ascii_int_reads_ascii_digits_only(raw: str, expected: int | None):
    assert ascii_int(raw) == expected


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), (" 12", 12), (5, 5), ("2147483647", 2147483647), ("2147483648", None)]
    + [(bad, None) for bad in ("²", "¹²", "١", "-1", "+1", "", "1e3", True, 1.0, None, [1], -1)]
    + [(2**31, None), ("12345678901", None)],
)
def test_parse_id_takes_ascii_ids_that_fit_a_column(raw: object, expected: int | None):
    assert parse_id(raw) == expected


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Anna@Example.NL", "anna@example.nl"), (" a.b+c@zorg.han.nl ", "a.b+c@zorg.han.nl")]
    + [
        (bad, None)
        for bad in (
            "a@b.nl\r\nBcc: x@y.nl",
            "a@b.nl\n",
            "\ra@b.nl",
            "a b@c.nl",
            "a@b",
            "@b.nl",
            "a@@b.nl",
            "a@b..nl",
            'a"@b.nl',
            "a@-b.nl",
            "x" * 65 + "@b.nl",
            "a@" + "b" * 250 + ".nl",
            "a@b.nl\x00",
        )
    ],
)
def test_e_mail_addresses_carry_no_line_breaks_or_spaces(raw: str, expected: str | None):
    assert normalise_email(raw) == expected
