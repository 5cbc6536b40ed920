"""Export a chosen set of incidents and messages as a signed, verifiable bundle (a ZIP)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from safelight.downloads import neutral_name
from safelight.evidence import actions, custody, export, reading, streaming
from safelight.evidence.bundle import write_bundle
from safelight.evidence.bundle_pdf import render_pdf
from safelight.evidence.forms import ExportForm
from safelight.evidence.session import OpenLocker
from safelight.evidence.views import with_locker


def bundle_response(opened: OpenLocker, *, incident_ids, import_choices, actor=None,
                    organisation=None) -> HttpResponse:
    key = custody.signing_key()
    content = export.build(opened, incident_ids=incident_ids, import_choices=import_choices,
                           signing_public_key=key.verify_key().to_bytes()[-32:])
    pdf = render_pdf(content.pdf)
    actions.export_bundle(locker=opened.locker, actor=actor, organisation=organisation)
    response = StreamingHttpResponse(
        streaming.stream(lambda dst: write_bundle(dst, content, signing_key=key, pdf=pdf)),
        content_type="application/zip")
    # A neutral name: the browser keeps it in its downloads list (safelight.downloads).
    name = neutral_name("export", content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True,
                                                                 filename=name)
    return response


@with_locker
def choose(request: HttpRequest, opened: OpenLocker) -> HttpResponse:
    incidents = reading.incidents(opened)
    imports = reading.imports(opened)
    form = ExportForm(request.POST or None, incidents=incidents, imports=imports)
    if request.method == "POST" and form.is_valid():
        return bundle_response(opened, incident_ids=form.cleaned_data["incidents"],
                               import_choices=form.choices())
    return render(request, "evidence/export.html", {
        "form": form, "incidents": incidents, "imports": imports,
        "empty": opened.locker.log_size == 0})
