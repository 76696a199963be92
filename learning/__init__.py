"""The study platform for Party directives and resolutions."""
from __future__ import annotations

import gc
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from learning.core import (
    db,
    i18n,
    ratelimit,  # registers the database:// storage and its table
)
from learning.core.config import PROJECT_ROOT, load_config
from learning.core.extensions import babel, init_csrf, init_limiter, login_manager
from learning.jobs import queue as jobs_queue


def create_app(config: dict | None = None) -> Flask:
    """config → db → login → CSRF → i18n and the authoring translator → rate
    limits → security → blueprints → template globals → error pages → the
    request lifecycle → CLI."""
    from learning.core.lifecycle import StudyApp
    app = StudyApp(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.config.update(load_config(app.instance_path, config))
    if app.config.get("TRUST_PROXY"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    db.init_app(app)
    _init_login(app)
    init_csrf(app)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))
    i18n.init_app(app)
    ratelimit.init_app(app)
    jobs_queue.init_app(app)
    _install_translator()
    init_limiter(app)

    from learning.core import assets, errors, lifecycle, security
    security.init_app(app)
    assets.init_app(app)
    _register_blueprints(app)
    _register_template_globals(app)
    errors.init_app(app)
    lifecycle.wrap_every_view(app)

    from learning import cli
    cli.init_app(app)

    # Relationships are resolved at start-up (a tenth of a second) rather than
    # on each worker's first request, which would make some member wait.
    from sqlalchemy.orm import configure_mappers
    configure_mappers()
    if not app.testing:
        # What start-up made (modules, mappers, templates: some 150,000
        # objects) lives as long as the worker. Out of the collector's sight,
        # a full collection scans only what requests made: measured on a
        # province's dashboard, 70-100 ms pauses every ten requests became
        # 2 ms (bench/province.py). Tests make many apps, and keep none.
        gc.freeze()
    return app


def _install_translator() -> None:
    """The pure authoring package (parser, question kinds) writes its messages
    through Flask-Babel, in the request's language. Bound here, not in
    core.i18n: core sits below the areas and imports none of them."""
    from flask_babel import gettext

    from learning.lessons.authoring import messages

    messages.install_translator(gettext)


def _init_login(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from learning.org.accounts import load_by_session_token

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    # Phones change IP address all the time on mobile networks: a protection
    # mode keyed on the client's address would sign members out mid-quiz.
    login_manager.session_protection = None
    login_manager.user_loader(load_by_session_token)
    # Flask-Login's context processor loads the user for every template, even
    # an error page rendered while the database is down; templates get the
    # lazy proxy instead, which loads the user only if the page asks.
    from flask_login import current_user
    from flask_login.utils import _user_context_processor
    app.template_context_processors[None].remove(_user_context_processor)
    app.context_processor(lambda: {"current_user": current_user})
    # Nobody signs in with "remember me" (login_user is never asked to: a
    # session lasts 30 days instead), so Flask-Login's after-request hook,
    # which looks into every session for a remember cookie to set or clear
    # (and so marks every response "Vary: Cookie"), has nothing to do.
    app.after_request_funcs[None].remove(login_manager._update_remember_cookie)


def _register_blueprints(app: Flask) -> None:
    """Each area brings its blueprint(s); their names (auth, learn, quiz, edit,
    campaigns, members, grading, scales, audit, activation, follow, misc, org_admin, evaluation, evaluation_results,
    evaluation_exports) are the URL
    names' prefixes templates and tests use."""
    from learning.campaigns import views as campaigns
    from learning.core import views as core
    from learning.evaluation import export_views as evaluation_exports
    from learning.evaluation import results_views as evaluation_results
    from learning.evaluation import views as evaluation
    from learning.jobs import views as jobs
    from learning.lessons import views as lessons
    from learning.org import admin_views as org_admin
    from learning.org import views as org
    from learning.org.roster import views as roster
    from learning.review.views import audit, grading, members
    from learning.review.views import dashboard as follow_up
    from learning.review.views import scales as review_scales
    from learning.study import quiz_views
    from learning.study import views as study

    app.register_blueprint(org.bp)
    app.register_blueprint(org.activation_bp)
    app.register_blueprint(study.bp)
    app.register_blueprint(lessons.bp, url_prefix="/edit")
    app.register_blueprint(core.bp)
    app.register_blueprint(quiz_views.bp)
    app.register_blueprint(campaigns.bp, url_prefix="/campaigns")
    app.register_blueprint(jobs.bp, url_prefix="/jobs")
    app.register_blueprint(roster.bp, url_prefix="/org/import")
    app.register_blueprint(members.bp, url_prefix="/review/members")
    app.register_blueprint(grading.bp, url_prefix="/review")
    app.register_blueprint(review_scales.bp, url_prefix="/review")
    app.register_blueprint(org_admin.bp, url_prefix="/org")
    app.register_blueprint(audit.bp)
    app.register_blueprint(follow_up.bp, url_prefix="/follow-up")
    app.register_blueprint(evaluation.bp, url_prefix="/evaluation")
    app.register_blueprint(evaluation_results.bp, url_prefix="/evaluation")
    app.register_blueprint(evaluation_exports.bp, url_prefix="/evaluation")


def _register_template_globals(app: Flask) -> None:
    from learning.core import permissions
    from learning.evaluation.access import may_manage_periods
    from learning.lessons.authoring import KINDS
    from learning.lessons.labels import document_kind_label, question_kind_label
    from learning.lessons.models import LessonState
    from learning.org.models import UnitKind
    from learning.study.progress import StudyState

    app.jinja_env.globals.update(
        kind_label=document_kind_label,
        state_label=LessonState.label_of,
        question_kind_label=question_kind_label,
        study_state_label=StudyState.label_of,
        LessonState=LessonState,
        question_kind=KINDS.__getitem__,
        is_editor=permissions.is_editor,
        manages_campaigns=permissions.manages_campaigns,
        is_reviewer=permissions.is_reviewer,
        unit_kind_label=UnitKind.label_of,
        role_label=permissions.Role.label_of,
        is_admin=permissions.is_admin,
        manages_periods=may_manage_periods,
    )
