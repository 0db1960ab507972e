"""Card pages: IT staff review, edit, share and move cards; stakeholders read and answer them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from itrm.access import can_edit_line, it_staff_required, require_edit_line, signed_in
from itrm.lib.htmx import HtmxHttpRequest, template_for
from itrm.lib.pagination import paginate
from recommendations import services
from recommendations.charts import before_after_html, weekly_html
from recommendations.forms import (
    CardEditForm,
    CardFilterForm,
    MoveForm,
    ResponseForm,
    ShareForm,
)
from recommendations.models import Card, CardShare, CardStatus, ResponseKind
from recommendations.queries import (
    card_before_after,
    card_page,
    cards_for_list,
    get_card,
    get_share_for,
    review_queue,
    shares_for,
)

DETAIL = "recommendations/card_detail.html"
QUEUE = "recommendations/review_queue.html"
FOR_YOU = "recommendations/for_you_card.html"


@require_GET
@it_staff_required
def card_list(request: HtmxHttpRequest) -> HttpResponse:
    form = CardFilterForm(request.GET or None)
    cards = cards_for_list()
    if form.is_valid():
        data = form.cleaned_data
        cards = cards.filter(line=data["line"]) if data["line"] else cards
        cards = cards.filter(status=data["status"]) if data["status"] else cards
        cards = cards.filter(source=data["source"]) if data["source"] else cards
    else:
        cards = cards.none() if form.is_bound else cards
    context = {"form": form, "page": paginate(request, cards)}
    return render(
        request, template_for(request, "recommendations/card_list.html", "results"), context
    )


def _detail_context(request: HtmxHttpRequest, card: Card, **forms: object) -> dict[str, object]:
    can_edit = can_edit_line(request.user, card.line)
    numbers = card_before_after(card)
    context: dict[str, object] = {
        "card": card,
        "can_edit": can_edit,
        "edit_form": CardEditForm(instance=card) if can_edit and card.is_editable else None,
        "share_form": ShareForm(card=card) if can_edit else None,
        "before_after": numbers,
        "before_after_chart": before_after_html(numbers, div_id=f"ba-{card.pk}") if numbers else "",
        **card_page(card),
    }
    context.update(forms)
    return context


@require_GET
@it_staff_required
def card_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    card = get_card(pk)
    if request.htmx and request.GET.get("in") == "queue":
        return render(request, f"{QUEUE}#queue-row", {"card": card})
    return render(
        request, template_for(request, DETAIL, "card-main"), _detail_context(request, card)
    )


@require_http_methods(["GET", "POST"])
@it_staff_required
def card_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    card = get_card(pk)
    require_edit_line(request.user, card.line)
    in_queue = request.GET.get("in") == "queue" or request.POST.get("in") == "queue"
    if not card.is_editable:
        messages.error(request, "A card can be edited only until it is shared.")
        return redirect(card)
    form = CardEditForm(request.POST or None, instance=Card.objects.get(pk=card.pk))
    if request.method == "POST" and form.is_valid():
        card = services.card_edit(card=card, actor=signed_in(request), **form.cleaned_data)
        if request.htmx and in_queue:
            return render(request, f"{QUEUE}#queue-row", {"card": card})
        if request.htmx:
            return render(request, f"{DETAIL}#card-main", _detail_context(request, card))
        messages.success(request, "Card saved.")
        return redirect(card)
    if request.htmx and in_queue:
        return render(request, "recommendations/_queue_edit.html", {"card": card, "form": form})
    if request.htmx:
        return render(
            request, f"{DETAIL}#card-main", _detail_context(request, card, edit_form=form)
        )
    return render(request, "recommendations/card_edit.html", {"card": card, "form": form})


@require_POST
@it_staff_required
def card_move(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    card = get_card(pk)
    require_edit_line(request.user, card.line)
    in_queue = request.POST.get("in") == "queue"
    form = MoveForm(request.POST, card=card)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.card_move(
                card=card, to=data["to"], actor=signed_in(request), note=data["note"]
            )
        except ValueError as error:  # the workflow refuses it, or another click moved it first
            form.add_error(None, str(error))
        card = get_card(card.pk)
    # htmx swaps only successful answers: a refusal comes back as the fragment, with its reason.
    if request.htmx and in_queue:
        return render(request, f"{QUEUE}#queue-row", {"card": card, "move_form": form})
    if request.htmx:
        return render(
            request, f"{DETAIL}#card-main", _detail_context(request, card, move_form=form)
        )
    if form.is_valid():
        messages.success(request, f"The card is {card.get_status_display().lower()}.")
        return redirect("recommendations:review_queue" if in_queue else card.get_absolute_url())
    context = _detail_context(request, card, move_form=form)
    return render(request, DETAIL, context, status=400)


@require_POST
@it_staff_required
def card_share(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    card = get_card(pk)
    require_edit_line(request.user, card.line)
    form = ShareForm(request.POST, card=card)
    if form.is_valid():
        try:
            services.card_share(
                card=card,
                stakeholders=list(form.cleaned_data["stakeholders"]),
                note=form.cleaned_data["note"],
                actor=signed_in(request),
            )
        except ValueError as error:
            form.add_error(None, str(error))
    if form.is_valid():
        if request.htmx:
            return render(request, f"{DETAIL}#card-main", _detail_context(request, get_card(pk)))
        messages.success(request, "Shared. Each stakeholder gets an email with a link.")
        return redirect(card)
    context = _detail_context(request, card, share_form=form)
    return render(request, template_for(request, DETAIL, "card-main"), context)


@require_POST
@it_staff_required
def share_withdraw(request: HtmxHttpRequest, pk: int, share_pk: int) -> HttpResponse:
    card = get_card(pk)
    require_edit_line(request.user, card.line)
    share = get_object_or_404(
        CardShare.objects.select_related("stakeholder"), pk=share_pk, card=card
    )
    services.share_withdraw(share=share, actor=signed_in(request))
    if request.htmx:
        return render(request, f"{DETAIL}#card-main", _detail_context(request, get_card(pk)))
    messages.success(request, f"Withdrawn: {share.stakeholder.name} no longer sees the card.")
    return redirect(card)


@require_GET
@it_staff_required
def review(request: HtmxHttpRequest) -> HttpResponse:
    page = paginate(request, review_queue(request.user))
    return render(request, QUEUE, {"cards": page.object_list, "page": page, "statuses": CardStatus})


@require_POST
@it_staff_required
def card_from_pain_point(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    from dilo.models import PainPoint

    pain = get_object_or_404(PainPoint.objects.select_related("observation__line"), pk=pk)
    require_edit_line(request.user, pain.observation.line)
    card, created = services.card_from_pain_point(pain_point=pain, actor=signed_in(request))
    return _to_card(request, card, created)


@require_POST
@it_staff_required
def card_from_action_item(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    from meetings.models import ActionItem

    item = get_object_or_404(ActionItem.objects.select_related("line"), pk=pk)
    require_edit_line(request.user, item.line)
    card, created = services.card_from_action_item(item=item, actor=signed_in(request))
    return _to_card(request, card, created)


def _to_card(request: HtmxHttpRequest, card: Card, created: bool) -> HttpResponse:
    if created:
        messages.success(request, "Card made. Review it, then share it with the line.")
    else:
        messages.info(request, "This already has a card: here it is.")
    if request.htmx:
        return HttpResponseClientRedirect(card.get_absolute_url())
    return redirect(card)


@require_GET
def for_you(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "recommendations/for_you.html", {"shares": shares_for(request.user)})


def _for_you_context(share: CardShare, **extra: object) -> dict[str, object]:
    card = share.card
    weekly = card.evidence.get("weekly", []) if isinstance(card.evidence, dict) else []
    return {
        "share": share,
        "card": card,
        "evidence": card.evidence if isinstance(card.evidence, dict) else {},
        "chart": weekly_html(weekly, div_id=f"weekly-{card.pk}"),
        "answers": card.responses.filter(stakeholder=share.stakeholder).order_by("-at", "-pk"),
        "form": ResponseForm(),
        "kinds": ResponseKind,
        **extra,
    }


@require_GET
def for_you_card(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    share = get_share_for(request.user, pk)
    return render(request, FOR_YOU, _for_you_context(share))


@require_POST
def for_you_respond(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    share = get_share_for(request.user, pk)
    form = ResponseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        services.card_respond(
            share=share, kind=data["kind"], text=data["text"], author=signed_in(request)
        )
        share = get_share_for(request.user, pk)
        if not request.htmx:
            messages.success(request, "Thank you: your IT liaison has been told.")
            return redirect("recommendations:for_you_card", pk=pk)
        return render(request, f"{FOR_YOU}#answer", _for_you_context(share, thanked=True))
    context = _for_you_context(share, form=form)
    return render(request, template_for(request, FOR_YOU, "answer"), context)
