"""Blueprints: thin views that load, check permission, call a service, commit, render."""
from flask import Flask


def register_blueprints(app: Flask) -> None:
    from learning.web import auth, campaigns, edit, learn, misc, quiz

    app.register_blueprint(auth.bp)
    app.register_blueprint(learn.bp)
    app.register_blueprint(edit.bp, url_prefix="/edit")
    app.register_blueprint(misc.bp)
    app.register_blueprint(quiz.bp)
    app.register_blueprint(campaigns.bp, url_prefix="/campaigns")
