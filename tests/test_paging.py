"""Pages of blocks that stay together (renaksi/paging.py): pure, no database."""

import pytest

from renaksi.paging import page_number, page_window, pages_of_blocks


def test_it_never_splits_a_block():
    assert pages_of_blocks([3, 3, 3, 3], per_page=7) == [range(0, 2), range(2, 4)]


def test_it_gives_a_block_larger_than_a_page_a_page_of_its_own():
    assert pages_of_blocks([2, 9, 2], per_page=5) == [range(0, 1), range(1, 2), range(2, 3)]


def test_it_keeps_a_small_table_on_one_page():
    assert pages_of_blocks([3, 2, 5, 1, 4] * 2, per_page=80) == [range(0, 10)]


def test_it_has_one_empty_page_for_no_blocks():
    assert pages_of_blocks([], per_page=10) == [range(0, 0)]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, (1, False)),
        ("", (1, False)),
        ("2", (2, False)),
        ("0", (1, True)),
        ("-1", (1, True)),
        ("x", (1, True)),
        ("٢", (1, True)),
        ("1e3", (1, True)),
        ("9", (5, True)),
        ("9" * 40, (1, True)),
    ],
)
def test_it_reads_a_page_number(raw, expected):
    assert page_number(raw, 5) == expected


def test_it_shows_first_last_and_nearby_pages():
    assert page_window(1, 1) == [1]
    assert page_window(5, 10) == [1, None, 3, 4, 5, 6, 7, None, 10]
    assert page_window(2, 4) == [1, 2, 3, 4]
