"""The money rules: rupiah as typed, serapan from sums, efisiensi and its bands."""

from decimal import Decimal

import pytest

from renaksi.keuangan import (
    EFISIEN,
    KURANG_EFISIEN,
    MAX_RUPIAH,
    SESUAI,
    Anggaran,
    RupiahRefused,
    anggaran_total,
    efisiensi,
    efisiensi_band,
    format_rupiah,
    rupiah_from_cell,
    rupiah_parse,
    rupiah_sum,
    serapan,
)


@pytest.mark.parametrize(
    "text",
    [
        "Rp 1.250.000",
        "1250000",
        "1.250.000",
        "Rp1.250.000",
        "rp. 1.250.000",
        "1 250 000",
        "1.250.000,00",
        "\u00a01.250.000 ",
    ],
)
def test_it_reads_every_way_of_writing_one_amount(text):
    assert rupiah_parse(text) == 1_250_000


def test_it_reads_a_dot_as_thousands_since_rupiah_have_no_decimals():
    assert rupiah_parse("1.500") == 1500
    assert rupiah_parse("1,000,000") == 1_000_000  # commas used more than once group too


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,250,000", 1_250_000),
        ("1,500", 1500),
        ("1,250,000.00", 1_250_000),
        ("1.250.000", 1_250_000),
        ("Rp 1,250,000", 1_250_000),
    ],
)
def test_it_reads_english_thousands_commas_in_english(text, value):
    assert rupiah_parse(text, language="en") == value


@pytest.mark.parametrize("text", ["1.5", "1.500", "1,250,000.50"])
def test_in_english_a_lone_dot_starts_cents_and_is_refused(text):
    with pytest.raises(RupiahRefused) as refused:
        rupiah_parse(text, language="en")
    assert refused.value.code == "fraction"


@pytest.mark.parametrize("text", ["", "   ", "Rp", None])
def test_it_reads_nothing_as_not_reported(text):
    assert rupiah_parse(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("-1000", "negative"),
        ("-1.000", "negative"),
        ("Rp -5", "negative"),
        ("1250000,5", "fraction"),
        ("1.250.000,50", "fraction"),
        ("12.5", "fraction"),
        ("1.2345", "fraction"),
        ("abc", "invalid"),
        ("1e6", "invalid"),
        ("١٢٣", "invalid"),
        ("1.250,000", "invalid"),
        ("1,500", "fraction"),  # in Indonesian a comma starts the cents
        ("9" * 16, "too_large"),
        ("9" * 41, "invalid"),
    ],
)
def test_it_refuses_what_is_no_whole_amount(text, code):
    with pytest.raises(RupiahRefused) as refused:
        rupiah_parse(text)
    assert refused.value.code == code
    assert str(refused.value)  # a message for the user, never empty


def test_it_reads_spreadsheet_cells_by_the_same_rule():
    assert rupiah_from_cell(1250000) == 1_250_000
    assert rupiah_from_cell(1250000.0) == 1_250_000
    assert rupiah_from_cell("Rp 1.250.000") == 1_250_000
    assert rupiah_from_cell(None) is None
    for bad, code in [
        (-1, "negative"),
        (12.5, "fraction"),
        (float("nan"), "invalid"),
        (True, "invalid"),
    ]:
        with pytest.raises(RupiahRefused) as refused:
            rupiah_from_cell(bad)
        assert refused.value.code == code
    with pytest.raises(RupiahRefused):
        rupiah_from_cell(MAX_RUPIAH)


def test_it_prints_rupiah_with_dots_and_a_dash_for_nothing():
    assert format_rupiah(1_250_000) == "1.250.000"
    assert format_rupiah(1_250_000, language="en") == "1,250,000"
    assert format_rupiah(0) == "0"
    assert format_rupiah(None) == "-"


def test_it_sums_only_amounts_that_are_set():
    assert rupiah_sum([100, None, 250]) == 350
    assert rupiah_sum([None, None]) is None
    assert rupiah_sum([0, None]) == 0


def test_it_computes_serapan_from_rupiah():
    assert serapan(250_000, 1_000_000) == Decimal(25)
    assert serapan(None, 1_000_000) is None
    assert serapan(100, None) is None
    assert serapan(100, 0) is None


def test_it_computes_a_parents_serapan_from_sums_never_from_averages():
    # Two children: 10 % of a small pagu and 90 % of a large one.
    children = [(10, 100), (900_000, 1_000_000)]
    parent = serapan(rupiah_sum(r for r, _ in children), rupiah_sum(p for _, p in children))
    average = sum(serapan(r, p) for r, p in children) / 2
    assert parent == Decimal(900_010) / Decimal(1_000_100) * 100
    assert parent != average


def test_it_computes_efisiensi_in_percentage_points():
    assert efisiensi(Decimal(80), Decimal(60)) == Decimal(20)
    assert efisiensi(None, Decimal(60)) is None
    assert efisiensi(Decimal(80), None) is None


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (Decimal("5.01"), EFISIEN),
        (Decimal(5), SESUAI),
        (Decimal(0), SESUAI),
        (Decimal(-5), SESUAI),
        (Decimal("-5.01"), KURANG_EFISIEN),
        (None, None),
    ],
)
def test_it_bands_efisiensi_by_the_default_bounds(value, band):
    assert efisiensi_band(value) == band


def test_it_bands_efisiensi_by_an_agencys_own_bounds():
    assert efisiensi_band(Decimal(8), batas_atas=Decimal(10), batas_bawah=Decimal(-2)) == SESUAI
    assert (
        efisiensi_band(Decimal(-3), batas_atas=Decimal(10), batas_bawah=Decimal(-2))
        == KURANG_EFISIEN
    )


# --- Anggaran: a row's money and a parent's sum ---------------------------------------------


def test_it_computes_serapan_per_quarter_and_to_date_from_the_rupiah():
    row = Anggaran(pagu=4_000_000, realisasi=(1_000_000, None, 500_000, None))
    assert row.realisasi_sd(1) == 1_000_000
    assert row.realisasi_sd(3) == 1_500_000
    assert row.serapan_tw(1) == Decimal(25)
    assert row.serapan_tw(2) is None  # nothing reported is "-", not 0 %
    assert row.serapan_sd(3) == Decimal("37.5")


def test_it_sums_a_parent_and_computes_its_serapan_from_the_sums_not_the_mean():
    small = Anggaran(pagu=1_000_000, realisasi=(900_000, None, None, None))  # 90 %
    large = Anggaran(pagu=9_000_000, realisasi=(900_000, None, None, None))  # 10 %
    parent = anggaran_total([small, large])
    assert parent.pagu == 10_000_000
    assert parent.realisasi_sd(1) == 1_800_000
    assert parent.serapan_sd(1) == Decimal(18)  # the mean of 90 and 10 would be 50
    assert parent.realisasi_tw(2) is None


def test_it_leaves_a_parent_of_rows_without_money_empty():
    assert anggaran_total([Anggaran(), Anggaran()]).is_empty
    assert anggaran_total([]).is_empty
    assert anggaran_total([Anggaran(), Anggaran(pagu=0)]).serapan_sd(4) is None


def test_it_sums_the_renstra_and_planned_disbursement_too():
    rows = [
        Anggaran(pagu=10, kas=(1, 2, None, None), pagu_renstra=50, realisasi_lalu=5),
        Anggaran(pagu=20, kas=(3, None, None, None), pagu_renstra=None, realisasi_lalu=7),
    ]
    total = anggaran_total(rows)
    assert total.kas == (4, 2, None, None)
    assert total.kas_sd(2) == 6
    assert (total.pagu_renstra, total.realisasi_lalu) == (50, 12)


def test_it_reads_a_row_from_its_model_fields():
    class Sub:
        pagu, pagu_renstra, realisasi_lalu_rp = 100, None, None

        def kas(self, triwulan):
            return {1: 25}.get(triwulan)

    class Stored:
        def __init__(self, keuangan):
            self.keuangan = keuangan

    row = Anggaran.of(Sub(), [Stored(10), None, Stored(None), Stored(30)])
    assert row.realisasi == (10, None, None, 30)
    assert row.kas == (25, None, None, None)
    assert row.serapan_sd(4) == Decimal(40)
