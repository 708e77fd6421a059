"""The facilitator's need form: capturing a new need, its receipt, and editing
a need afterwards."""

from flask import redirect, render_template, request, url_for

from app.auth.permissions import requires
from app.capture import needs
from app.errors import AppError
from app.store import needs as store

from . import audio_page
from .blueprint import bp
from .forms import edit_from_form, need_from_form
from .view_helpers import (
    category_map,
    changeable_need,
    error_messages,
    form_context,
    need_or_404,
    new_values,
    posted_values,
    refused_form,
)


@bp.route("/capture", methods=["GET", "POST"])
@requires("capture")
def new_need():
    if request.method == "GET":
        return render_template("capture/new_need.html", **form_context(new_values(), {}))
    audio_page.accept_large_form()
    kept, audio_error = audio_page.receive_form_audio(request.form, request.files)
    try:
        if audio_error:
            raise AppError(422, "invalid", details={"audio": [audio_error]})
        data = audio_page.fill_audio_only(need_from_form(request.form), kept)
        stored, _created = needs.capture(data)
    except AppError as error:
        values, errors = refused_form(error)
        if audio_error:
            errors = {"audio": audio_error}
        values["audio_kept"] = kept and error.status != 409
        return render_template(
            "capture/new_need.html", **form_context(values, errors)
        ), error.status
    return redirect(url_for("capture.receipt", ref=stored["ref"]), code=303)


@bp.route("/capture/receipt/<ref>")
@requires("capture")
def receipt(ref):
    need = need_or_404(ref)
    return render_template(
        "capture/receipt.html", need=need, category=category_map().get(need["category"])
    )


@bp.route("/needs/<ref>/edit", methods=["GET", "POST"])
@requires("capture")
def edit_need(ref):
    item = changeable_need(ref)
    if request.method == "POST":
        try:
            needs.edit(item, audio_page.keep_audio_only(item, edit_from_form(request.form)))
        except AppError as error:
            if error.status != 422:
                raise
            return render_template(
                "capture/edit.html",
                need=item,
                **form_context(posted_values(request.form), error_messages(error.details)),
            ), 422
        return redirect(url_for("capture.need", ref=item["ref"]), code=303)
    values = {k: item[k] for k in store.EDITABLE}
    if item["text"] == audio_page.AUDIO_ONLY_TEXT:
        values["text"] = ""  # nothing typed yet: the facilitator types what was said
    values["goals"] = [str(g) for g in item["goals"]]
    return render_template("capture/edit.html", need=item, **form_context(values, {}))
