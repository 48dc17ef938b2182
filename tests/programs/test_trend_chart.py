"""The trend chart's layout (programs.charts.trend_layout): its scale, bars and target lines."""

from decimal import Decimal as D

from programs import charts
from programs.trends import TrendQuarter


def test_the_value_axis_ends_on_a_round_number_above_every_value():
    assert charts.trend_scale([D("3.61"), D("3.80")]) == (0, 4, 1)
    assert charts.trend_scale([D(985), D(250)]) == (0, 1000, 250)
    # A negative growth rate: the axis goes below zero by whole steps.
    assert charts.trend_scale([D("-2.07"), D("5.20")]) == (-4, 6, 2)
    assert charts.trend_scale([None, D(0)]) == (0, 1, D("0.25"))
    assert charts.trend_scale([D(250)], percent=True) == (0, 100, 25)


def _two_years():
    values = {(2022, 1): D(5), (2022, 2): D(9), (2023, 1): D(-2)}
    return [
        TrendQuarter(
            year=year,
            quarter=quarter,
            value=values.get((year, quarter)),
            to_date=values.get((year, quarter)),
            target={2022: D(10), 2023: D(12)}[year],
        )
        for year in (2022, 2023)
        for quarter in (1, 2, 3, 4)
    ]


def test_bars_and_a_step_target_per_year():
    layout = charts.trend_layout(_two_years())
    assert len(layout["bars"]) == 3  # only the quarters with a verified figure
    assert [b["x"] for b in layout["bars"]] == ["2.500%", "15.000%", "52.500%"]
    zero = layout["zero_y"]
    negative = layout["bars"][2]
    assert negative["y"] == zero and negative["height"] > 0  # drawn down from zero
    assert layout["bars"][1]["y"] < layout["bars"][0]["y"] < zero  # 9 is higher than 5
    # 2022's target across its four quarters, a riser, 2023's target.
    lines = layout["target_lines"]
    assert [(line["x1"], line["x2"]) for line in lines] == [
        ("0.000%", "50.000%"),
        ("50.000%", "50.000%"),
        ("50.000%", "100.000%"),
    ]
    assert lines[2]["y1"] < lines[0]["y1"]  # 12 above 10
    assert [(y["year"], y["shaded"]) for y in layout["years"]] == [(2022, False), (2023, True)]
    assert [t["value"] for t in layout["ticks"]] == [-5, 0, 5, 10, 15]
    assert not layout["short_labels"] and not layout["dense"]


def test_a_planned_line_joins_the_quarters_ends():
    quarters = [
        TrendQuarter(year=2022, quarter=q, value=None, to_date=None, target=D(25 * q))
        for q in (1, 2, 3, 4)
    ]
    layout = charts.trend_layout(quarters, percent=True, step_target=False)
    assert len(layout["target_points"]) == 4
    assert len(layout["target_lines"]) == 3
    assert layout["target_points"][-1]["y"] == layout["plot_top"]  # 100 % at the top
    assert layout["bars"] == []


def test_many_quarters_get_short_labels_and_hide_them_on_a_phone():
    quarters = [
        TrendQuarter(year=2016 + i // 4, quarter=i % 4 + 1, to_date=D(1)) for i in range(24)
    ]
    layout = charts.trend_layout(quarters)
    assert layout["short_labels"] and layout["dense"]
    assert layout["slots"][5]["roman"] == "II"
