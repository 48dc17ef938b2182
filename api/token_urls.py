"""One's own API tokens, under /akun/token-api/ (included by the root URLconf)."""

from django.urls import path

from api import token_views

urlpatterns = [
    path("", token_views.token_list, name="api-token-list"),
    path("<int:pk>/cabut/", token_views.token_revoke, name="api-token-revoke"),
]
