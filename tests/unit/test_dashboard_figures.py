"""The dashboards' arithmetic and chart geometry (review.figures, review.charts): pure."""
from learning.review.charts import BAR, WIDTH, bar_chart, shorten, value_text
from learning.review.figures import Figures, average, percent


def test_percent_has_one_decimal_and_says_100_only_when_all_is_done():
    assert percent(1, 3) == 33.3
    assert percent(2, 3) == 66.6  # rounded down: never more than was done
    assert percent(9999, 10000) == 99.9
    assert percent(10000, 10000) == 100.0
    assert percent(0, 7) == 0.0
    assert percent(3, 0) is None  # nothing to count


def test_average_rounds_halves_up_and_is_none_without_scores():
    assert average(200.0, 3) == 66.7
    assert average(0.25, 1) == 0.3
    assert average(10.0, 0) is None


def test_figures_add_up_over_units_and_count_lessons_per_member():
    cell_a = Figures(members=3, started=5, completed=4, on_time=3, scored=4, score_sum=320.0)
    cell_b = Figures(members=2, started=1, completed=0, on_time=0, scored=1, score_sum=40.0)
    total = Figures().add(cell_a).add(cell_b)
    assert (total.members, total.started, total.completed, total.scored) == (5, 6, 4, 5)
    assert total.expected(2) == 10 and total.completion(2) == 40.0
    assert total.not_started(2) == 4 and total.not_complete(2) == 6
    assert total.average == 72.0 and total.on_time_share() == 75.0
    assert Figures().completion(3) is None and Figures().average is None


def test_bars_are_as_long_as_their_share_with_a_label_and_the_value_in_text():
    chart = bar_chart([("Chi bộ A", 50.0, "/a"), ("Chi bộ B", 100.0, None), ("Chi bộ C", None, None),
                       ("Quá", 140.0, None)])
    a, b, c, over = chart.bars
    assert chart.width == WIDTH and chart.height == 4 * 44
    assert b.width == chart.track and a.width == chart.track / 2
    assert c.width == 0 and c.value_text == "–" and over.width == chart.track  # clamped to 100%
    assert a.href == "/a" and a.value_text == "50%" and b.value_text == "100%"
    assert a.label_y < a.bar_y < b.label_y  # each label sits above its bar, rows never overlap
    assert b.bar_y + BAR <= b.label_y + 44 - 6
    assert b.value_x + 40 <= WIDTH  # "100%" fits to the right of a full bar


def test_long_names_are_shortened_on_the_chart_but_kept_whole_in_the_title():
    name = "Đảng bộ cơ quan Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Thái Nguyên"
    bar = bar_chart([(name, 12.5, None)]).bars[0]
    assert bar.full_label == name and bar.label.endswith("…") and len(bar.label) <= 44
    assert shorten("Chi bộ A") == "Chi bộ A"
    assert value_text(33.3) == "33.3%" and value_text(0.0) == "0%"


def test_percent_of_one_and_of_more_than_all():
    assert percent(0, 1) == 0.0 and percent(1, 1) == 100.0
    assert percent(5, 4) == 100.0  # more done than expected (a late member added) is all of it


def test_adding_figures_sums_every_count_and_nothing_is_ever_negative():
    total = Figures(members=2, started=2, completed=1, on_time=1, awaiting=1, scored=1, score_sum=80.0)
    total.add(Figures(members=1, started=1, completed=1, on_time=0, awaiting=2, scored=1, score_sum=60.0))
    assert (total.members, total.started, total.completed, total.on_time, total.awaiting, total.scored,
            total.score_sum) == (3, 3, 2, 1, 3, 2, 140.0)
    assert total.not_started(1) == 0 and total.not_complete(1) == 1
    assert Figures(members=1, started=1, completed=1).not_started(1) == 0  # all started: none left, not one
    assert Figures(members=1, completed=1).not_complete(1) == 0
