"""Pages of billing (seeds/002 "Facturation", docs/billing.md): the cost report for
everybody (in their scope), and the rate plans, their import, the calls no rate matched and
re-pricing for administrators."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centrex.core import roles
from centrex.core.importexport import ImportFileError
from centrex.core.models import Department
from centrex.core.views import confirm_page, form_page
from centrex.reports import billing, calllog
from centrex.reports.billing_forms import BillingForm, DaysForm, RatePlanForm, TariffFileForm
from centrex.reports.models import Call, RatePlan
from centrex.reports.tariff import format_amount
from centrex.web.access import requires
from centrex.web.lists import Column, render_list, table_response

PDF_TYPE = "application/pdf"


# -- the report -------------------------------------------------------------------------------
def _money(amount: int | None) -> str:
    return format_amount(amount)


def report_tables(calls, kind: str) -> tuple[list[str], list[list[str]]]:
    """The report as one table (the page, CSV, XLSX and PDF all draw this): ``calls`` are
    ``Call`` rows for the detail, ``BillingDaily`` totals for the recap."""
    if kind == "detail":
        mask = calllog.masker()
        headers = [_("Date / time"), _("Department"), _("Phone"), _("Destination"), _("Zone"),
                   _("Duration"), _("Cost excl. VAT"), _("Cost incl. VAT")]
        departments = dict(Department.objects.values_list("pk", "name"))
        rows = [[timezone.localtime(c.start).strftime("%Y-%m-%d %H:%M:%S"),
                 departments.get(c.caller_department_id, ""), c.source,
                 mask(c.destination, True), c.zone or c.get_pricing_display(),
                 calllog.duration_text(c.duration), _money(c.cost), _money(c.cost_vat)]
                for c in calls.order_by("start", "pk").iterator(chunk_size=2000)]
        return headers, rows
    headers = [_("Department"), _("Name (phone)"), _("Calls"), _("Duration"),
               _("Cost excl. VAT"), _("Cost incl. VAT")]
    rows = []
    grand = [0, 0, 0, 0]
    for department, lines in billing.recap(calls).items():
        total = [0, 0, 0, 0]
        for line in lines:
            label = f"{line.name} ({line.phone})" if line.name else line.phone
            rows.append([department or _("No department"), label, str(line.calls),
                         calllog.duration_text(line.seconds), _money(line.cost),
                         _money(line.cost_vat)])
            for i, value in enumerate((line.calls, line.seconds, line.cost, line.cost_vat)):
                total[i] += value
        rows.append([department or _("No department"), _("DEPARTMENT TOTAL"), str(total[0]),
                     calllog.duration_text(total[1]), _money(total[2]), _money(total[3])])
        grand = [a + b for a, b in zip(grand, total, strict=True)]
    if rows:
        rows.append(["", _("TOTAL"), str(grand[0]), calllog.duration_text(grand[1]),
                     _money(grand[2]), _money(grand[3])])
    return headers, rows


def _departments(user):
    if user.has_perm("core.view_all_costs"):
        return Department.objects.all()
    return roles.departments_in_scope(user, Department.objects.all()) if user.has_perm(
        "core.view_department_costs") else Department.objects.none()


@requires()
def billing_report(request: HttpRequest) -> HttpResponseBase:
    """Costs of answered outgoing calls: one's own; the department's for a department head;
    all for ``direction``, ``compta`` and ``admin``. CSV, XLSX and PDF of what is shown."""
    form = BillingForm(_departments(request.user), request.GET or None)
    headers: list[str] = []
    rows: list[list[str]] = []
    data = None
    if form.is_valid() or not request.GET:
        data = form.cleaned_data if form.is_bound else form.clean_defaults()
        # The recap reads the per-day totals, the detail the calls: both filtered alike.
        calls = billing.visible(request.user, totals=data["kind"] != "detail").filter(
            day__gte=data["since"], day__lte=data["until"])
        if data.get("department"):
            calls = calls.filter(caller_department=data["department"])
        if data.get("phones"):
            calls = calls.filter(source__in=data["phones"])
        headers, rows = report_tables(calls, data["kind"])
        fmt = request.GET.get("export", "")
        if fmt in ("csv", "xlsx"):
            return table_response("billing", headers, rows, fmt)
        if fmt == "pdf":
            return _pdf(request, headers, rows, data)
    currency = RatePlan.objects.filter(active=True).values_list("currency", flat=True).first()
    return render(request, "reports/billing.html", {
        "title": _("Billing"), "form": form, "headers": headers, "rows": rows,
        "data": data, "currency": currency or "",
        "may_manage": request.user.has_perm("reports.view_rateplan")})


def _pdf(request: HttpRequest, headers: list[str], rows: list[list[str]],
         data: dict) -> HttpResponse:
    from weasyprint import HTML

    html = render_to_string("reports/billing_pdf.html", {
        "headers": headers, "rows": rows, "data": data,
        "generated": timezone.localtime()}, request=request)
    response = HttpResponse(HTML(string=html).write_pdf(), content_type=PDF_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="billing-{stamp}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# -- rate plans -------------------------------------------------------------------------------
PLAN_COLUMNS = [
    Column(gettext_lazy("Name"), "name", sort="name", link=True),
    Column(gettext_lazy("Currency"), "currency"),
    Column(gettext_lazy("VAT (%)"), "vat_percent", css="number"),
    Column(gettext_lazy("Zones"), lambda p: p.zones.count(), css="number"),
    Column(gettext_lazy("Prefixes"), lambda p: p.prefixes.count(), css="number"),
    Column(gettext_lazy("In force"), "active", sort="active"),
]


@requires("reports.view_rateplan")
def plan_list(request: HttpRequest) -> HttpResponseBase:
    actions = []
    if request.user.has_perm("reports.add_rateplan"):
        actions.append({"url": reverse("rateplan-add"), "label": _("New rate plan")})
    actions += [{"url": reverse("unpriced-calls"), "label": _("Calls without a rate")}]
    if request.user.has_perm("reports.change_rateplan"):
        actions.append({"url": reverse("reprice"), "label": _("Price again")})
    return render_list(request, "reports/plan_list.html", RatePlan.objects.all(),
                       PLAN_COLUMNS, search=["name"], default_sort="name",
                       context={"title": _("Rate plans"), "actions": actions})


def _save_plan(plan: RatePlan) -> RatePlan:
    """One plan in force at a time: making this one active retires the others."""
    from django.db import transaction

    with transaction.atomic():
        plan.save()
        if plan.active:
            RatePlan.objects.exclude(pk=plan.pk).filter(active=True).update(active=False)
    return plan


@requires("reports.add_rateplan")
def plan_add(request: HttpRequest) -> HttpResponse:
    form = RatePlanForm(request.POST or None)

    def save(valid) -> HttpResponse:
        plan = _save_plan(valid.save(commit=False))
        messages.success(request, _("The rate plan has been created: import its zones."))
        return redirect("rateplan-detail", plan.pk)

    return form_page(request, form, title=_("New rate plan"), save=save,
                     cancel=reverse("rateplan-list"))


@requires("reports.change_rateplan")
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(RatePlan, pk=pk)
    form = RatePlanForm(request.POST or None, instance=plan)

    def save(valid) -> HttpResponse:
        _save_plan(valid.save(commit=False))
        messages.success(request, _("The rate plan has been saved."))
        return redirect("rateplan-detail", plan.pk)

    return form_page(request, form, title=_("Edit %(name)s") % {"name": plan}, save=save,
                     cancel=reverse("rateplan-detail", args=[plan.pk]))


@requires("reports.view_rateplan")
def plan_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The plan's zones with their prices; its import (replaces them) and export."""
    plan = get_object_or_404(RatePlan, pk=pk)
    if request.GET.get("export") in ("csv", "xlsx"):
        return table_response(f"tariff-{plan.pk}", [*billing.COLUMNS, *billing.OPTIONAL],
                              billing.export_rows(plan), request.GET["export"])
    form = TariffFileForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST":
        if not request.user.has_perm("reports.change_rateplan"):
            return HttpResponse(status=403)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                checked = billing.import_tariff(plan, upload.name, upload.read())
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                problems = checked.problems
                if not problems:
                    messages.success(request, _(
                        "Imported: %(zones)s zones, %(prefixes)s prefixes.") % {
                        "zones": len(checked.zones), "prefixes": len(checked.prefixes)})
                    return redirect("rateplan-detail", plan.pk)
    zones = plan.zones.all()
    return render(request, "reports/plan_detail.html", {
        "title": str(plan), "plan": plan, "zones": [
            (z, *(format_amount(v, 4) for v in (z.peak, z.offpeak, z.setup, z.minimum)))
            for z in zones],
        "prefix_count": plan.prefixes.count(), "form": form, "problems": problems,
        "may_change": request.user.has_perm("reports.change_rateplan"),
        "may_delete": request.user.has_perm("reports.delete_rateplan")})


@requires("reports.delete_rateplan")
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(RatePlan, pk=pk)

    def delete(_form) -> HttpResponse:
        plan.delete()
        messages.success(request, _("The rate plan has been deleted."))
        return redirect("rateplan-list")

    return confirm_page(
        request, title=_("Delete %(name)s") % {"name": plan},
        question=_("Delete the rate plan “%(name)s”? Calls already priced keep their "
                   "cost.") % {"name": plan},
        button=_("Delete"), cancel=reverse("rateplan-detail", args=[plan.pk]),
        action=delete)


UNPRICED_COLUMNS = [
    Column(gettext_lazy("Date / time"), lambda c: timezone.localtime(c.start).strftime(
        "%Y-%m-%d %H:%M:%S"), sort="start", css="nowrap"),
    Column(gettext_lazy("Phone"), "source", sort="source"),
    Column(gettext_lazy("Destination"), "destination", sort="destination"),
    Column(gettext_lazy("Duration"), lambda c: calllog.duration_text(c.duration),
           css="number"),
    Column(gettext_lazy("Why"), "get_pricing_display", sort="pricing"),
]


@requires("reports.view_rateplan")
def unpriced_calls(request: HttpRequest) -> HttpResponseBase:
    """Answered outgoing calls no rate matched (or to a forbidden zone): never dropped,
    listed here until a plan covers them and they are priced again."""
    calls = Call.objects.filter(pricing__in=("unmatched", "forbidden"))
    return render_list(request, "core/list.html", calls, UNPRICED_COLUMNS,
                       search=["destination", "source"], default_sort="-start",
                       export_name="unpriced-calls",
                       context={"title": _("Calls without a rate"), "actions": []})


@requires("reports.change_rateplan")
def reprice(request: HttpRequest) -> HttpResponse:
    form = DaysForm(request.POST or None)

    def save(valid) -> HttpResponse:
        if not RatePlan.objects.filter(active=True).exists():
            valid.add_error(None, _("No rate plan is in force."))
            return render(request, "core/form.html", {
                "form": valid, "title": _("Price again"), "cancel": reverse("rateplan-list")})
        count = billing.reprice(valid.cleaned_data["since"], valid.cleaned_data["until"])
        messages.success(request, _("%(count)s calls priced again with the plan in force.")
                         % {"count": count})
        return redirect("rateplan-list")

    return form_page(request, form, title=_("Price again"), save=save,
                     cancel=reverse("rateplan-list"))
