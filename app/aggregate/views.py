"""Pages of the aggregate blueprint: overview, disparities, Goals, coverage,
open data and the locality register. Every number passes disclosure control."""

import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path

from flask import Response, redirect, render_template, request, url_for
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _

from app import i18n
from app.aggregate import charts, opendata
from app.auth.permissions import requires
from app.database import get_db, node
from app.errors import AppError
from app.i18n.labels import GOALS, label_of
from app.node import clock, device_clock, settings
from app.privacy import disclosure
from app.store import aggregates as store
from app.store import localities as register
from app.store import sync_state

from . import coverage as subtree
from .blueprint import bp
from .indicators import GROUP_LENSES, disparity

ATTENDANCE = ("women_attendance",)


def _k(db) -> int:
    return settings.get_int(db, "k")


def _names(db) -> dict[str, str]:
    return register.names(db, i18n.current().code)


def _context(db) -> dict:
    """Date range and coverage every aggregate page states."""
    first, last = store.week_range(db)
    children = sync_state.children(db)
    silent_days = settings.get_int(db, "silent_child_days")
    silent = [c for c in children if _silent(c, silent_days)]
    return {
        "first_week": first,
        "last_week": last,
        "children": len(children),
        "silent": len(silent),
        "own_needs": store.own_needs_count(db),
        "received_needs": sum(v["needs"] for v in store.records_by_origin(db).values()),
        "k": _k(db),
    }


def _silent(child: dict, days: int, now: dt.datetime | None = None) -> bool:
    if not child.get("last_seen"):
        return True
    seen = dt.datetime.fromisoformat(child["last_seen"])
    if seen.tzinfo is None:
        seen = seen.replace(tzinfo=dt.UTC)
    return (now or clock.now()) - seen > dt.timedelta(days=days)


def _levels(db) -> tuple[int, list[int]]:
    """The default locality depth (node + 1) and the depths the data has."""
    start = disclosure.depth(node()["locality"]) + 1
    paths = store.cells(db, ("locality",))
    deepest = max((disclosure.depth(p) for (p,) in paths), default=start)
    return start, list(range(start, max(start, deepest) + 1))


def _name(names: dict, path: str) -> str:
    return names.get(path) or path


@bp.route("/")
@requires("aggregates")
def index():
    db = get_db()
    return render_template("aggregate/index.html", ctx=_context(db))


@bp.route("/disparities")
@requires("aggregates")
def disparities():
    db = get_db()
    categories = sorted(c for (c,) in store.cells(db, ("category",)))
    options = (
        [(f"category:{c}", _("Share of needs about %(topic)s", topic=label_of("category", c)))
         for c in categories]
        + [(f"goal:{g}", _("Share of needs about Goal %(n)d: %(name)s", n=g, name=GOALS[g]))
           for g in range(1, 18)]
        + [("supporters_per_meeting", _("Supporters per meeting")),
           ("women_attendance", _("Women's share of meeting attendance")),
           ("actions_on_time", _("Share of actions done on time"))]
    )  # fmt: skip
    codes = [code for code, _label in options]
    default = "category:water" if "category:water" in codes else codes[0]
    indicator = request.args.get("indicator", default)
    if indicator not in codes:
        raise AppError(404)
    start, levels = _levels(db)
    try:
        level = int(request.args.get("level", start))
    except ValueError:
        level = start
    if level not in levels:
        level = start
    result = disparity(db, indicator, level, _k(db))
    names = _names(db)
    pops = register.populations(db)
    totals = {
        r["locality"]: r for r in opendata.publisher(db, _k(db)).table((f"locality:{level}",))
    }
    rate = result["kind"] == "rate"

    def fmt(v):
        if v is None:
            return _("hidden")
        return format_decimal(v, format="#,##0.0") if rate else format_percent(v, format="#,##0%")

    def fmt_gap(v):
        if v is None:
            return "–"
        sign = "+" if v > 0 else ("−" if v < 0 else "±")
        body = (
            format_decimal(abs(v), format="#,##0.0")
            if rate
            else format_decimal(abs(v) * 100, format="#,##0")
        )
        return f"{sign}{body}" if rate else _("%(gap)s points", gap=f"{sign}{body}")

    for row in result["rows"]:
        row["name"] = _name(names, row["locality"])
        total = totals.get(row["locality"], {}).get("needs")
        pop = pops.get(row["locality"])
        row["per_1000"] = None if not pop or total is None else total * 1000 / pop
    chart_rows = [r for r in result["rows"] if r["value"] is not None]
    title = dict(options)[indicator]
    figure = charts.bar_chart(
        chart_rows,
        label="name",
        value=lambda r: round(r["value"] * (1 if rate else 100), 1),
        title=dict(options)[indicator],
        rtl=i18n.current().dir == "rtl",
        number=lambda v: format_decimal(v, format="#,##0.#"),
    )
    title = dict(options)[indicator]
    lens_labels = {
        "gender:female": _("Women"),
        "age_band:15-24": _("Youth (15–24)"),
        "group:disability": _("People with disability"),
        "group:displaced": _("Displaced people"),
    }
    return render_template(
        "aggregate/disparities.html",
        ctx=_context(db),
        options=options,
        indicator=indicator,
        title=title,
        level=level,
        levels=levels,
        result=result,
        figure=figure,
        fmt=fmt,
        fmt_gap=fmt_gap,
        lens_labels=lens_labels,
        lenses=[f"{d}:{c}" for d, c in GROUP_LENSES if f"{d}:{c}" in result["lenses"]],
        has_population=bool(pops),
        fmt_rate=lambda v: "–" if v is None else format_decimal(v, format="#,##0.0"),
    )


@bp.route("/goals")
@requires("aggregates")
def goals():
    db = get_db()
    k = _k(db)
    pub = opendata.publisher(db, k)
    start = _levels(db)[0]
    by_goal = {r["goal"]: r for r in pub.table(("goal",))}
    raising: dict[int, int] = {}
    for r in pub.table((f"locality:{start}", "goal")):
        if not r["hidden"]:
            raising[r["goal"]] = raising.get(r["goal"], 0) + 1
    prio: dict[int, dict] = {}
    for p in store.priorities(db):
        for g in p["goals"]:
            prio.setdefault(g, {})
            prio[g][p["status"]] = prio[g].get(p["status"], 0) + 1
    acts: dict[int, dict] = {}
    for a in store.actions(db):
        for g in a["goals"]:
            acts.setdefault(g, {})
            acts[g][a["status"]] = acts[g].get(a["status"], 0) + 1
    rows = []
    for g in range(1, 18):
        cell = by_goal.get(g)
        rows.append(
            {
                "goal": g,
                "name": GOALS[g],
                "needs": None if cell is None else cell["needs"],
                "supporters": None if cell is None else cell["supporters"],
                "hidden": bool(cell and cell["hidden"]),
                "empty": cell is None,
                "localities": raising.get(g, 0),
                "priorities": prio.get(g, {}),
                "actions": acts.get(g, {}),
            }
        )
    chosen = request.args.get("goal", type=int)
    if chosen not in GOALS:
        chosen = max(rows, key=lambda r: r["needs"] or 0)["goal"]
    trend = [r for r in pub.table(("goal", "month")) if r["goal"] == chosen]
    months = sorted({r["month"] for r in pub.table(("month",))})
    by_month = {r["month"]: r for r in trend}
    trend_rows = [
        {"month": m, "needs": (by_month[m]["needs"] if m in by_month else 0),
         "hidden": bool(m in by_month and by_month[m]["hidden"])}
        for m in months
    ]  # fmt: skip
    figure = charts.figure(
        [r for r in trend_rows if not r["hidden"]],
        label="month",
        value="needs",
        title=_("Needs about Goal %(n)d by month", n=chosen),
        columns=[(_("Needs"), "needs")],
        label_header=_("Month"),
        rtl=i18n.current().dir == "rtl",
        vertical=True,
        number=lambda v: format_decimal(v),
    )
    return render_template(
        "aggregate/goals.html",
        ctx=_context(db),
        rows=rows,
        chosen=chosen,
        figure=figure,
        hidden_months=[r["month"] for r in trend_rows if r["hidden"]],
    )


@bp.route("/coverage")
@requires("aggregates")
def coverage():
    db = get_db()
    days = settings.get_int(db, "silent_child_days")
    sent = store.records_by_origin(db, device_clock.plausible_weeks())
    units = subtree.units(db, clock.now().date())
    by_id = {u["node_id"]: u for u in units}
    children = []
    for c in sync_state.children(db):
        mine = sent.get(c["node_id"] or "", {})
        unit = by_id.get(c["node_id"] or "")
        children.append(
            dict(c, needs=unit["subtree_needs"] if unit else mine.get("needs", 0),
                 relay=bool(unit and unit["relay"]), meetings=mine.get("meetings", 0),
                 last_week=mine.get("last_week"), silent=_silent(c, days))
        )  # fmt: skip
    return render_template(
        "aggregate/coverage.html", ctx=_context(db), children=children, days=days,
        units=units,
    )  # fmt: skip


@bp.route("/open-data")
@requires("aggregates")
def open_data():
    db = get_db()
    return render_template(
        "aggregate/open_data.html",
        ctx=_context(db),
        snapshot=store.latest_snapshot(db),
        snapshots=store.snapshots(db),
        open_data=settings.get(db, "open_data"),
        records=settings.get(db, "open_data_records"),
    )


@bp.route("/open-data/package.zip")
@requires("aggregates")
def open_data_zip():
    """The latest snapshot's package, built in a temporary folder (no DB write)."""
    db = get_db()
    snap = store.latest_snapshot(db)
    if snap is None:
        raise AppError(404, "no_snapshot", _("No snapshot has been taken yet."))
    with tempfile.TemporaryDirectory() as tmp:
        opendata.write_package(db, Path(tmp), snap)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted(Path(tmp).iterdir()):
                z.write(path, path.name)
    name = f"sauti-open-data-{snap['as_of']}.zip"
    return Response(
        buffer.getvalue(),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/localities", methods=["GET", "POST"])
@requires("admin")
def localities():
    db = get_db()
    message, error = None, None
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            error = _("Choose a CSV file first.")
        else:
            try:
                text = upload.read().decode("utf-8")
                count = register.import_rows(db, register.parse_csv(text))
            except UnicodeDecodeError:
                error = _("The file is not UTF-8 text; save it as CSV (UTF-8).")
            except register.RegisterError as exc:
                error = str(exc)
            else:
                return redirect(url_for("aggregate.localities", imported=count))
    if request.args.get("imported"):
        message = _("%(n)s localities imported.", n=request.args.get("imported"))
    lang = i18n.current().code
    entries = register.all_entries(db)
    for e in entries:
        e["name"] = e["names"].get(lang) or e["names"].get("en") or ""
    return render_template(
        "aggregate/localities.html", entries=entries, message=message, error=error
    ), (422 if error else 200)
