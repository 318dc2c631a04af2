from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renaksi.capaian import capaian, capaian_kumulatif, capaian_triwulan, predikat

D = Decimal
amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)
positive = st.decimals(min_value=D("0.01"), max_value=10**9, places=2, allow_nan=False)
optional = st.none() | amounts
arah = st.sampled_from(["naik", "turun"])


def test_it_divides_realisation_by_target_when_higher_is_better():
    # TW 1 of "Koordinasi dan Penyusunan Laporan Keuangan Akhir Tahun SKPD": target 26, real 26.
    assert capaian(D(26), D(26), "naik") == 100
    assert capaian(D(13), D(26), "naik") == 50


def test_it_mirrors_the_ratio_when_lower_is_better():
    # "Menurunnya Tingkat Kriminalitas": target 25, realisation 30 → 80 %.
    assert capaian(D(30), D(25), "turun") == 80
    assert capaian(D(20), D(25), "turun") == 120
    assert capaian(D(60), D(25), "turun") == 0


def test_it_has_no_capaian_without_target_or_realisation():
    assert capaian(D(10), None, "naik") is None
    assert capaian(None, D(25), "naik") is None
    assert capaian(D(10), D(0), "naik") is None


def test_it_accumulates_reported_quarters_against_targets_to_date():
    targets = [D(26), D(26), D(25), D(23)]
    real = [D(26), D(13), None, None]
    assert capaian_kumulatif(targets, real, 2, "naik") == D(39) / D(52) * 100
    assert capaian_kumulatif(targets, real, 1, "naik") == 100


def test_it_uses_the_current_quarter_for_the_last_value_method():
    targets = [D(50), D(100), None, None]
    real = [D(10), D(80), None, None]
    assert capaian_kumulatif(targets, real, 2, "naik", metode="terakhir") == 80


def test_it_skips_quarters_without_target_in_the_cumulative_sum():
    targets = [None, D(100), None, None]
    assert capaian_kumulatif(targets, [None, None, None, None], 1, "naik") is None
    assert capaian_kumulatif(targets, [None, D(100), None, None], 3, "naik") == 100


@pytest.mark.parametrize(
    ("nilai", "label"),
    [
        (D(100), "Sangat Tinggi"),
        (D(91), "Sangat Tinggi"),
        (D("90.99"), "Tinggi"),
        (D(80), "Tinggi"),
        (D(76), "Tinggi"),
        (D("75.99"), "Sedang"),
        (D(66), "Sedang"),
        (D("65.99"), "Rendah"),
        (D(51), "Rendah"),
        (D("50.99"), "Sangat Rendah"),
        (D(0), "Sangat Rendah"),
    ],
)
def test_it_names_the_permendagri_predicate(nilai, label):
    assert predikat(nilai).label == label


def test_it_has_no_predicate_without_capaian():
    assert predikat(None) is None


@given(optional, optional, arah)
def test_it_never_raises_for_non_negative_input(realisasi, target, direction):
    result = capaian(realisasi, target, direction)
    assert result is None or result >= 0
    if result is not None:
        assert predikat(result) is not None


@given(positive)
def test_naik_and_turun_agree_at_target(target):
    assert capaian(target, target, "naik") == capaian(target, target, "turun") == 100


@given(positive, amounts, amounts)
def test_it_is_monotone_in_the_right_direction(target, a, b):
    low, high = sorted((a, b))
    assert capaian(low, target, "naik") <= capaian(high, target, "naik")
    assert capaian(low, target, "turun") >= capaian(high, target, "turun")


@given(st.lists(optional, min_size=4, max_size=4), st.lists(optional, min_size=4, max_size=4))
def test_cumulative_and_quarter_never_raise(targets, real):
    for tw in (1, 2, 3, 4):
        for direction in ("naik", "turun"):
            for metode in ("kumulatif", "terakhir"):
                result = capaian_kumulatif(targets, real, tw, direction, metode)
                assert result is None or result >= 0
            capaian_triwulan(targets, real, tw, direction)
