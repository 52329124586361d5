"""Saved-search pages under /saved-searches."""

from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("saved-searches", views.index, name="index"),
    path("saved-searches/save", views.save, name="save"),
    path("saved-searches/<int:pk>", views.detail, name="detail"),
    path("saved-searches/<int:pk>/<slug:action>", views.change, name="change"),
    path("saved-searches/<int:pk>/hooks/<int:hook_id>/<slug:action>", views.change_hook, name="change-hook"),
]
