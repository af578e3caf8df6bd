import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Factories hash a password for every actor; the real hasher costs ~0.25 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
