"""HTTP glue for the public directory: search, one service, and My list."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from alliance.params import ParamError, parse_id, parse_next_path
from alliance.sessions import needs_session
from directory import curation_views, selectors, services
from directory.forms import MAX_QUERY_CHARS, MyListEmailForm, SearchForm
from directory.pagination import CountInPagePaginator

# Ten results: a results page stays light and short on a cheap phone.
RESULTS_PER_PAGE = 10
MY_LIST_TOKEN = "my_list_email_token"  # noqa: S105 - a session key name


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Find services; every bad input becomes a message on the page, never an error page."""
    categories = selectors.category_tree()
    form = SearchForm(request.GET, categories=categories)
    form.is_valid()
    context: dict[str, object] = {
        "form": form,
        "categories": categories,
        "searched": bool(request.GET),
        "max_query_chars": MAX_QUERY_CHARS,
    }
    if request.GET:
        query = form.to_query()
        found = selectors.search(query)
        paginator = CountInPagePaginator(selectors.with_locations(found.services), RESULTS_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        postcode_match = form.postcode_match
        context.update(
            {
                "query": query,
                "matched": found.matched,
                # "Some of your words" only when a service on this page did not match them all.
                "some_words": found.matched == selectors.Matched.SOME
                and any(not getattr(s, "strict_fit", True) for s in page.object_list),
                "suggests_danger": found.suggests_danger,
                "phrases": found.phrases,
                "outside_area": postcode_match is not None
                and not selectors.in_alliance_area(postcode_match),
                "page": page,
                "paginator": paginator,
                # Only the links shown (1 … 4 5 6 … 51), not one per page of results.
                "page_numbers": list(
                    paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
                ),
                "ellipsis": Paginator.ELLIPSIS,
                "postcode_match": postcode_match,
            }
        )
    return render(request, "directory/search.html", context)


@require_GET
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One service's page: published or temporarily closed, never draft or archived."""
    service = selectors.service_for_page(slug)
    if service is None:
        raise Http404
    return render(request, "directory/service.html", {"service": service})


@require_http_methods(["GET", "POST"])
def report_problem(request: HttpRequest, slug: str) -> HttpResponse:
    """Report a problem with a visible listing (the form is curation's)."""
    service = selectors.service_for_page(slug)
    if service is None:
        raise Http404
    return curation_views.report_problem(request, service)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = parse_next_path(
        request.POST.get("next"), host=request.get_host(), https=request.is_secure()
    )
    if target:
        return target
    return fallback


@never_cache
@require_GET
@needs_session
def my_list(request: HttpRequest) -> HttpResponse:
    """The services this browser saved; kept in the session only, gone on exit."""
    saved = selectors.services_by_ids(services.my_list_ids(request.session))
    token = request.session.get(MY_LIST_TOKEN) or MyListEmailForm.new_token()
    request.session[MY_LIST_TOKEN] = token
    form = MyListEmailForm(initial={"token": token})
    return render(request, "directory/my_list.html", {"services": saved, "email_form": form})


@never_cache
@require_GET
@needs_session
def my_list_print(request: HttpRequest) -> HttpResponse:
    """A plain version of the list to print."""
    saved = selectors.services_by_ids(services.my_list_ids(request.session))
    return render(
        request,
        "directory/my_list_print.html",
        {"services": saved, "site_url": settings.SITE_URL},
    )


@require_POST
@needs_session
def my_list_add(request: HttpRequest) -> HttpResponse:
    """Save a service to the list, then go back where the parent was."""
    fallback = reverse("directory:my-list")
    try:
        service_id = parse_id(request.POST.get("service", ""), name="service")
        if service_id is None:
            raise services.DirectoryError("No service given.")
        services.my_list_add(session=request.session, service_id=service_id)
    except (ParamError, services.DirectoryError):
        messages.error(request, _("That service could not be saved. It may have been removed."))
        return HttpResponseRedirect(_safe_next(request, fallback))
    messages.success(request, _("Saved to your list."))
    return HttpResponseRedirect(_safe_next(request, fallback))


@require_POST
@needs_session
def my_list_remove(request: HttpRequest) -> HttpResponse:
    """Take a service off the list."""
    try:
        service_id = parse_id(request.POST.get("service", ""), name="service")
    except ParamError:
        service_id = None
    if service_id is None:
        return redirect("directory:my-list")
    services.my_list_remove(session=request.session, service_id=service_id)
    messages.success(request, _("Removed from your list."))
    return HttpResponseRedirect(_safe_next(request, reverse("directory:my-list")))


@never_cache
@require_http_methods(["GET", "POST"])
@needs_session
def my_list_email(request: HttpRequest) -> HttpResponse:
    """Email the list to the parent through the outbox; the address is wiped once sent."""
    saved = selectors.services_by_ids(services.my_list_ids(request.session))
    if request.method == "GET":
        return redirect("directory:my-list")
    form = MyListEmailForm(request.POST)
    if not saved:
        messages.error(request, _("Your list is empty, so there is nothing to send."))
        return redirect("directory:my-list")
    if form.is_valid() and is_ratelimited(
        request,
        group="directory.my_list_email",
        key="ip",
        rate=f"{settings.MY_LIST_EMAILS_PER_HOUR}/h",
        increment=True,
    ):
        form.add_error(
            "email",
            _(
                "You have emailed your list several times in the last hour. Try again later, "
                "or print your list instead."
            ),
        )
        return render(
            request, "directory/my_list.html", {"services": saved, "email_form": form}, status=429
        )
    if not form.is_valid():
        return render(
            request,
            "directory/my_list.html",
            {"services": saved, "email_form": form},
            status=400,
        )
    services.my_list_email(
        to=form.cleaned_data["email"], services=saved, token=form.cleaned_data["token"]
    )
    # A fresh token for the next send; a double-click re-uses the old one and sends once.
    request.session[MY_LIST_TOKEN] = MyListEmailForm.new_token()
    messages.success(
        request,
        _("We are sending your list. We do not keep the email address once it has gone."),
    )
    return redirect("directory:my-list")
