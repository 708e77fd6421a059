"""The council dashboard: needs and supporters by category, Goal, locality,
gender, age band and group; meeting participation; trends by month. Every
chart is server-rendered SVG (app.aggregate.charts) with its data table beside it."""

import datetime as dt

from flask import render_template, request
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _

from app import i18n
from app.aggregate import charts
from app.auth.permissions import requires
from app.database import get_db, node
from app.i18n.labels import label_of
from app.store import council as store

from .blueprint import bp


def locality_label(code: str) -> str:
    """A locality shown relative to the node's own (the last segments)."""
    base = node()["locality"].strip("/")
    code = str(code).strip("/")
    if code == base:
        return _("this locality (%(code)s)", code=code.rsplit("/", 1)[-1])
    if code.startswith(base + "/"):
        return code[len(base) + 1 :]
    return code


def month_label(code: str) -> str:
    return format_date(dt.date.fromisoformat(code + "-01"), "MMM y")


LABELS = {
    "category": lambda c: str(label_of("category", c)),
    "goal": lambda g: _("Goal %(n)s: %(name)s", n=g, name=label_of("goal", int(g))),
    "locality": locality_label,
    "gender": lambda c: str(label_of("gender", c)),
    "age_band": lambda c: str(label_of("age_band", c)),
    "group": lambda c: str(label_of("group", c)),
    "month": month_label,
}


def titles(measure: str) -> dict:
    if measure == "supporters":
        return {
            "category": _("Supporters by category"),
            "goal": _("Supporters by Goal"),
            "locality": _("Supporters by locality"),
            "gender": _("Supporters by gender of the person who raised the need"),
            "age_band": _("Supporters by age band"),
            "group": _("Supporters by group"),
            "month": _("Supporters by month"),
        }
    return {
        "category": _("Needs by category"),
        "goal": _("Needs by Goal"),
        "locality": _("Needs by locality"),
        "gender": _("Needs by gender of the person who raised them"),
        "age_band": _("Needs by age band"),
        "group": _("Needs by group"),
        "month": _("Needs by month"),
    }


def figure_for(rows, dimension: str, *, title: str, measure: str, columns, rtl: bool):
    label = LABELS[dimension]
    return charts.figure(
        rows,
        label=lambda r: label(r["key"]),
        value=measure,
        title=title,
        columns=columns,
        label_header="",
        rtl=rtl,
        vertical=dimension == "month",
        number=format_decimal,
        empty_text=_("No data yet."),
    )


@bp.route("/dashboard", endpoint="dashboard")
@requires("aggregates")
def dashboard():
    db = get_db()
    measure = "supporters" if request.args.get("measure") == "supporters" else "needs"
    rtl = i18n.current().dir == "rtl"
    columns = [(_("needs"), "needs"), (_("supporters"), "supporters")]
    figures = []
    for dimension, title in titles(measure).items():
        rows = store.by_month(db) if dimension == "month" else store.counts(db, dimension)
        figures.append(
            (
                dimension,
                figure_for(rows, dimension, title=title, measure=measure, columns=columns, rtl=rtl),
            )
        )
    people = [(_("people"), "people")]
    participation = [
        figure_for(
            store.attendance(db, dim),
            dim,
            title=title,
            measure="people",
            columns=people,
            rtl=rtl,
        )
        for dim, title in (
            ("gender", _("Meeting attendance by gender")),
            ("age_band", _("Meeting attendance by age band")),
        )
    ]
    status = store.counts(db, "status")
    return render_template(
        "council/dashboard.html",
        figures=figures,
        participation=participation,
        measure=measure,
        status=status,
        total_needs=sum(r["needs"] for r in status if r["key"] != "merged"),
        total_supporters=sum(r["supporters"] for r in status if r["key"] != "merged"),
    )
