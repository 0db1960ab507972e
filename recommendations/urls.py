from __future__ import annotations

from django.urls import path

from recommendations import views

app_name = "recommendations"
urlpatterns = [
    path("cards/", views.card_list, name="card_list"),
    path("cards/review/", views.review, name="review_queue"),
    path("cards/<int:pk>/", views.card_detail, name="card_detail"),
    path("cards/<int:pk>/edit/", views.card_edit, name="card_edit"),
    path("cards/<int:pk>/move/", views.card_move, name="card_move"),
    path("cards/<int:pk>/share/", views.card_share, name="card_share"),
    path(
        "cards/<int:pk>/shares/<int:share_pk>/withdraw/",
        views.share_withdraw,
        name="share_withdraw",
    ),
    path(
        "cards/from-pain-point/<int:pk>/", views.card_from_pain_point, name="card_from_pain_point"
    ),
    path(
        "cards/from-action-item/<int:pk>/",
        views.card_from_action_item,
        name="card_from_action_item",
    ),
    path("for-you/", views.for_you, name="for_you"),
    path("for-you/<int:pk>/", views.for_you_card, name="for_you_card"),
    path("for-you/<int:pk>/answer/", views.for_you_respond, name="for_you_respond"),
]
