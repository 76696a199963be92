"""Progress roll-ups (study.rollups): kept current by every progress write, in
its own transaction, they always equal what lesson_progress says, after any
sequence of readings, submissions, reflections graded and moves between units."""
import random

import pytest
from sqlalchemy import select

from learning.core import db
from learning.core.errors import DomainError
from learning.models import Answer, Attempt, LessonRollup, Unit, User
from learning.org import units as org
from learning.org.access import Member
from learning.org.signals import members_moved
from learning.study import answers as answering
from learning.study import attempts, reading, reflections, rollups, submission
from tests.web.test_study import correct_values


def _stored():
    return {(r.unit_id, r.lesson_id, r.beneath): (r.started, r.completed, r.on_time, r.reflected, r.awaiting,
                                                  r.scored, round(r.score_sum, 6))
            for r in db.session.scalars(select(LessonRollup))
            if (r.started, r.completed, r.on_time, r.reflected, r.awaiting, r.scored) != (0, 0, 0, 0, 0, 0)}


def _recomputed():
    """The direct rows as lesson_progress says they are, and the rows of
    each unit above (but the top of the tree) summed from them."""
    paths = dict(db.session.execute(select(Unit.id, Unit.path)).all())
    expected = {}
    for unit_id, lesson_id, *counts in db.session.execute(rollups._recomputed(None)).all():
        above = [int(part) for part in paths[unit_id].strip("/").split("/")][1:-1]
        for key in [(unit_id, lesson_id, False), *((a, lesson_id, True) for a in above)]:
            expected[key] = tuple(round(x + y, 6) for x, y in zip(expected.get(key, (0,) * 7), counts))
    return {key: (*(int(c) for c in counts[:6]), counts[6]) for key, counts in expected.items()
            if counts[:6] != (0, 0, 0, 0, 0, 0)}


def _answers(rng, attempt):
    incoming = []
    for question in attempt.version.questions:
        if rng.random() < 0.2:
            continue  # left unanswered
        values = correct_values(question)
        if question.kind in ("single", "multiple", "true_false") and rng.random() < 0.4:
            choices = [c["key"] for c in question.data.get("choices", [])] or ["true", "false"]
            values = [rng.choice(choices)]
        incoming.append(answering.IncomingAnswer(question.key, values))
    return incoming


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_roll_ups_equal_a_recompute_after_random_reads_submits_grades_and_moves(
        seed, tree, make_user, publish_file):
    rng = random.Random(seed)
    lessons = [publish_file("57-nq-tw-2024.md"), publish_file("366-qd-tw-2025.md")]
    cell_c = org.add_unit("Chi bộ C", "cell", parent=tree["grassroots"])
    db.session.commit()
    cells = [tree["cell_a"], tree["cell_b"], cell_c]
    members = [make_user(name=f"Đảng viên {i}", member_of=cells[i % 3]) for i in range(5)]
    members.append(make_user(name="Miễn sinh hoạt", member_of=tree["cell_a"], exempt=True))
    graded = 0
    for _step in range(60):
        member, lesson = rng.choice(members), rng.choice(lessons)
        action = rng.choice(["open", "read", "submit", "submit", "move", "grade"])
        if action == "open":
            reading.record_opened(member, lesson)
        elif action == "read":
            reading.record_read(member, lesson)
        elif action == "submit":
            version = lesson.versions[-1]
            try:
                attempt = attempts.start_attempt(member, lesson, version, rng)
                answering.save_answers(Member(user_id=member.id), attempt.id, _answers(rng, attempt))
                submission.submit_attempt(attempt, auto=rng.random() < 0.5, confirmed=True)
            except DomainError:
                db.session.rollback()  # refused (no attempt left, a reflection too short): nothing changed
                continue
        elif action == "grade":  # a reviewer grades one of the reflections submitted so far
            keys = [q.key for lesson_ in lessons for q in lesson_.versions[-1].questions if q.kind == "reflection"]
            written = list(db.session.scalars(
                select(Answer).join(Attempt, Attempt.id == Answer.attempt_id)
                .where(Attempt.status == "submitted", Answer.question_key.in_(keys)).order_by(Answer.id)))
            if not written:
                continue
            answer = rng.choice(written)
            passed = rng.random() < 0.6
            reflections.record_reflection_grade(answer, percent=80.0 if passed else 20.0, passed=passed,
                                                comment="" if passed else "Chưa đạt", grader_id=None,
                                                returned_reason=None if passed or rng.random() < 0.5 else "Viết lại")
            graded += 1
        else:
            old = member.unit_id
            member.unit = rng.choice([c for c in cells if c.id != old])
            db.session.flush()
            members_moved.send(None, unit_ids=[old, member.unit_id], member_ids=[member.id])
        db.session.commit()
        assert _stored() == _recomputed(), (seed, _step, action)
    assert any(row[5] for row in _stored().values()), "some scores were counted"
    assert any(row[1] for row in _stored().values()), "some lessons were completed"
    assert graded, "some reflections were graded"


def test_exempt_members_are_not_counted_and_a_rebuild_keeps_the_figures(tree, make_user, publish_file, app):
    lesson = publish_file()
    counted = make_user(name="Đếm", member_of=tree["cell_a"])
    exempt = make_user(name="Miễn", member_of=tree["cell_a"], exempt=True)
    for person in (counted, exempt):
        reading.record_read(person, lesson)
    db.session.commit()
    row = db.session.get(LessonRollup, (tree["cell_a"].id, lesson.id, False))
    assert row.started == 1
    before = _stored()
    result = app.test_cli_runner().invoke(args=["study", "rebuild-rollups"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert _stored() == before


def test_a_refused_submission_changes_no_roll_up(tree, make_user, publish_file):
    lesson = publish_file()  # its reflection has a word limit
    member = make_user(name="Vội", member_of=tree["cell_a"])
    attempt = attempts.start_attempt(member, lesson, lesson.versions[-1])
    db.session.commit()
    before = _stored()
    with pytest.raises(DomainError):
        submission.submit_attempt(attempt, confirmed=True)  # nothing answered: the reflection is missing
    db.session.commit()
    assert _stored() == before
    assert db.session.get(User, member.id).unit_id == tree["cell_a"].id
