"""Routes of the account pages Django does not provide."""

from django.urls import path

from accounts import views

urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
]
