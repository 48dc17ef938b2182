"""Fixtures of the API tests: clients that send a personal API token."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from api import token_services


def make_token(username, *, days=30):
    user = get_user_model().objects.get(username=username)
    return token_services.create_token(
        user, f"test {username}", timezone.now() + datetime.timedelta(days=days)
    )


def bearer_client(plaintext):
    return Client(HTTP_AUTHORIZATION=f"Bearer {plaintext}")


@pytest.fixture
def api(db):
    """``api("dkiss")``: a client sending a fresh token of that user."""

    def _client(username):
        _token, plaintext = make_token(username)
        return bearer_client(plaintext)

    return _client
