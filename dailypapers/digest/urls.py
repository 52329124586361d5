"""Digest routes: subscribing, confirming, managing, leaving, the operator preview and the
bounce webhook."""

from django.urls import path

from . import views

app_name = "digest"
urlpatterns = [
    path("subscribe", views.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>", views.confirm, name="confirm"),
    path("subscriptions/<str:token>", views.manage, name="manage"),
    path("unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
    path("digest/preview", views.preview, name="preview"),
    path("digest/webhook/bounce", views.bounce_webhook, name="bounce_webhook"),
]
