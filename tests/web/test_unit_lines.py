"""Counts kept along each unit's line (org.lineage, org.tallies,
study.rollups): after members are created, study, move, and units are moved
and merged, every unit's member tally and lesson roll-up, direct and
beneath, equal what the members and their progress say; and a campaign
assigned to part of the tree is counted from exactly that part."""
from datetime import timedelta

from sqlalchemy import select

from learning.campaigns import operations as campaigns
from learning.campaigns.operations import CampaignInput
from learning.core import db
from learning.core.clock import vietnam_today
from learning.models import MemberTally, Unit, UnitAncestor, User
from learning.org import lineage
from learning.org import units as org
from learning.study import reading
from tests.web.test_dashboards import _complete, _reviewer, _row
from tests.web.test_rollups import _recomputed, _stored


def _above(path: str) -> list[int]:
    """The units above this path, but the top of the tree (written out here
    again, from the paths alone, to check org.lineage against)."""
    return [int(part) for part in path.strip("/").split("/")][1:-1]


def _expected_tallies():
    paths = dict(db.session.execute(select(Unit.id, Unit.path)).all())
    expected: dict[tuple[int, bool], int] = {}
    for member in db.session.scalars(select(User).where(User.unit_id.is_not(None))):
        if member.active and not member.exempt:
            for key in [(member.unit_id, False), *((a, True) for a in _above(paths[member.unit_id]))]:
                expected[key] = expected.get(key, 0) + 1
    return expected


def _stored_tallies():
    return {(t.unit_id, t.beneath): t.members for t in db.session.scalars(select(MemberTally)) if t.members}


def _stored_lines():
    return {(a.unit_id, a.ancestor_id, a.depth) for a in db.session.scalars(select(UnitAncestor))}


def _expected_lines():
    lines = set()
    for unit_id, path in db.session.execute(select(Unit.id, Unit.path)):
        above = _above(path)
        lines |= {(unit_id, unit_id, 0), *((unit_id, a, len(above) - i) for i, a in enumerate(above))}
    return lines


def _check():
    db.session.commit()
    db.session.expire_all()
    assert _stored_lines() == _expected_lines()
    assert _stored_tallies() == _expected_tallies()
    assert _stored() == _recomputed()


def test_a_line_is_the_unit_and_what_is_above_it_but_the_top():
    assert lineage.lineage("/1/4/9/") == [(9, 0), (4, 1)]
    assert lineage.lineage("/1/4/9/12/") == [(12, 0), (9, 1), (4, 2)]
    assert lineage.lineage("/1/") == [(1, 0)]
    assert lineage.lineage("") == []


def test_tallies_and_roll_ups_follow_members_and_units_through_moves_and_merges(tree, make_user, publish_file):
    admin = make_user(role="admin", name="Quản trị", member_of=None)
    lesson = publish_file("366-qd-tw-2025.md")
    committee = org.add_unit("Đảng ủy Khối", "committee", parent=tree["province"])
    other = org.add_unit("Đảng bộ phường Hai", "grassroots", parent=committee)
    cell_c = org.add_unit("Chi bộ C", "cell", parent=other)
    db.session.commit()
    people = [make_user(name=f"Đảng viên {i}", member_of=cell) for i, cell in enumerate(
        [tree["cell_a"], tree["cell_a"], tree["cell_b"], cell_c, cell_c, tree["grassroots"]])]
    make_user(name="Miễn", member_of=cell_c, exempt=True)
    _check()
    _complete(people[0], lesson)
    _complete(people[3], lesson)
    reading.record_opened(people[2], lesson)
    reading.record_opened(people[5], lesson)
    _check()
    assert db.session.get(MemberTally, (committee.id, True)).members == 2  # cell C's two rated members

    org.move_unit(admin, tree["cell_b"], other)  # a cell with its studying member goes to another organisation
    _check()
    org.move_unit(admin, other, tree["province"])  # and that organisation out of the committee
    _check()
    org.move_members(admin, [people[3].id], tree["cell_a"])
    _check()
    org.merge_units(admin, tree["grassroots"], other)  # its own member and cell A go too
    _check()
    _complete(people[4], lesson)
    _check()
    assert db.session.get(MemberTally, (other.id, True)).members == 5
    assert db.session.get(MemberTally, (other.id, False)).members == 1


def test_a_campaign_assigned_to_one_cell_counts_that_cell_alone_on_every_page(
        client, login, make_user, publish_file, tree):
    lesson = publish_file("366-qd-tw-2025.md")
    admin = make_user(role="admin", name="Quản trị", member_of=None)
    today = vietnam_today()
    campaign = campaigns.create_campaign(admin, CampaignInput(
        "Chỉ Chi bộ A", "", today - timedelta(days=3), today + timedelta(days=10), [lesson.id],
        [tree["cell_a"].id]))
    second = org.add_unit("Đảng bộ xã Hai", "grassroots", parent=tree["province"])
    outside = org.add_unit("Chi bộ ngoài", "cell", parent=second)
    db.session.commit()
    done = make_user(name="Nguyễn Văn An", member_of=tree["cell_a"])
    make_user(name="Nguyễn Văn Bình", member_of=tree["cell_a"])
    for cell in (tree["cell_b"], outside):  # studying, but in units the campaign does not bind
        _complete(make_user(name="Trần Văn Ngoài", member_of=cell), lesson)
    _complete(done, lesson)
    db.session.commit()
    login(_reviewer(make_user, tree["province"]))
    top = client.get(f"/follow-up/campaigns/{campaign.id}").get_data(as_text=True)
    assert _row(top, "Đảng bộ xã Thử nghiệm")[1:4] == ["50%", "2", "1"]
    assert "Đảng bộ xã Hai" not in top
    middle = client.get(f"/follow-up/campaigns/{campaign.id}/units/{tree['grassroots'].id}").get_data(as_text=True)
    assert _row(middle, "Chi bộ A")[1:4] == ["50%", "2", "1"]
    assert "Chi bộ B" not in middle
    lagging = client.get(f"/follow-up/campaigns/{campaign.id}/lagging?level=grassroots").get_data(as_text=True)
    assert _row(lagging, "Đảng bộ xã Thử nghiệm")[2:4] == ["50%", "2"]
    assert "Đảng bộ xã Hai" not in lagging
    cells = client.get(f"/follow-up/campaigns/{campaign.id}/lagging?level=cell").get_data(as_text=True)
    assert "Chi bộ A" in cells and "Chi bộ B" not in cells and "Chi bộ ngoài" not in cells


def test_the_repair_command_rebuilds_lines_tallies_and_roll_ups_from_nothing(tree, make_user, publish_file, app):
    from learning.models import LessonRollup
    lesson = publish_file("366-qd-tw-2025.md")
    _complete(make_user(name="Đảng viên Một", member_of=tree["cell_a"]), lesson)
    reading.record_opened(make_user(name="Đảng viên Hai", member_of=tree["cell_b"]), lesson)
    _check()
    kept = (_stored_lines(), _stored_tallies(), _stored())
    for model in (LessonRollup, MemberTally, UnitAncestor):
        db.session.execute(model.__table__.delete())
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["study", "rebuild-rollups"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert (_stored_lines(), _stored_tallies(), _stored()) == kept
    _check()
