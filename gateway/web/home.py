"""`GET /`: what this service is, with links to the public parts (in demo mode: the simulator).

Nothing private is shown: no counts, no organisation names, no settings."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for

blueprint = Blueprint("home", __name__, template_folder="templates")


@blueprint.get("/")
def index():
    if current_app.extensions["services"].settings.demo:
        return redirect(url_for("simulator.page"))
    return render_template("home.html")
