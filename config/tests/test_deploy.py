"""The production configuration: settings from the environment, the image, compose, entrypoint.

There is no Docker engine on the development machines, so the Dockerfile and the compose file
are checked for their structure (and by ``docker compose config`` where the plugin exists);
what the image runs (entrypoint, gunicorn, collectstatic, ``check --deploy``) runs here for real.
"""

import json
import os
import re
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from core.tests.processes import stop

BASE_DIR = Path(__file__).resolve().parents[2]
SETTINGS = BASE_DIR / "config" / "settings.py"
ENV_EXAMPLE = BASE_DIR / ".env.example"
DOCKERFILE = BASE_DIR / "docker" / "Dockerfile"
COMPOSE = BASE_DIR / "docker" / "compose.yaml"
ENTRYPOINT = BASE_DIR / "docker" / "entrypoint.sh"
VENV_BIN = str(Path(sys.executable).parent)


def clean_env(**values) -> dict:
    """A bare process environment: none of the test run's settings, only ``values``."""
    env = {key: os.environ[key] for key in ("HOME", "LANG", "TMPDIR") if key in os.environ}
    env["PATH"] = f"{VENV_BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}"
    env.update(values)
    return env


def production_env(**values) -> dict:
    """What a deployment sets: no DJANGO_DEBUG, a real key, hosts, PostgreSQL and Redis."""
    return clean_env(
        **{
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "ketnoi.example.vn",
            "DJANGO_CSRF_TRUSTED_ORIGINS": "https://ketnoi.example.vn",
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "REDIS_URL": "redis://127.0.0.1:6379/9",
            **values,
        }
    )


@pytest.fixture(scope="module")
def test_database_url(django_db_setup, django_db_blocker) -> str:
    """The URL of the test run's (migrated, empty) PostgreSQL database, for subprocesses.

    pytest-django creates the test databases that the session's ``django_db`` tests ask for,
    so every test using this fixture carries the mark.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        name = connection.settings_dict["NAME"]
    return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()


def run(args, env, timeout=60, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout, **kwargs
    )


def env_example() -> dict:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.match(r"^([A-Z][A-Z0-9_]*)=(.*)$", line)
        if match:
            values[match[1]] = match[2]
    return values


# --- settings -----------------------------------------------------------------------------------


def test_env_example_lists_every_variable_the_settings_read():
    read = set(re.findall(r"\benv(?:\.\w+)?\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']", SETTINGS.read_text()))
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.M))

    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "MATCH_WEIGHT_PRODUCT"} <= read
    assert read - documented == set()


def test_env_example_points_the_app_at_the_compose_services():
    values = env_example()
    database = urlsplit(values["DATABASE_URL"])

    assert database.hostname == "postgres"
    assert database.username == values["POSTGRES_USER"]
    assert database.password == values["POSTGRES_PASSWORD"]
    assert database.path == f"/{values['POSTGRES_DB']}"
    assert urlsplit(values["REDIS_URL"]).hostname == "redis"
    assert values["DJANGO_DEBUG"] == "0"


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off():
    result = run(
        [sys.executable, "manage.py", "check"],
        clean_env(DJANGO_SECRET_KEY="", DJANGO_DEBUG="0"),
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.skipif(
    (BASE_DIR / ".env").exists(), reason="a local .env would change the embedded defaults"
)
def test_with_only_debug_set_the_platform_runs_embedded():
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'db': settings.DATABASES['default']['ENGINE'], "
        "'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'broker': settings.CELERY_BROKER_URL, "
        "'cache': settings.CACHES['default']['BACKEND'], 'debug': settings.DEBUG}))"
    )
    result = run(
        [sys.executable, "-c", script],
        clean_env(DJANGO_DEBUG="1", DJANGO_SETTINGS_MODULE="config.settings"),
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "db": "django.db.backends.sqlite3",
        "eager": True,
        "broker": "memory://",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "debug": True,
    }


def test_check_deploy_is_clean_under_production_settings():
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(),
        timeout=120,
    )
    output = result.stdout + result.stderr

    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output.upper()


# --- the image ------------------------------------------------------------------------------


def test_dockerfile_builds_a_locked_venv_and_runs_it_unprivileged():
    text = DOCKERFILE.read_text()
    makefile_uv = re.search(r"^UV_VERSION := (\S+)$", (BASE_DIR / "Makefile").read_text(), re.M)
    stages = re.findall(r"^FROM (\S+) AS (\w+)$", text, re.M)
    runtime = text[text.index("AS runtime") :]

    assert [name for _, name in stages] == ["builder", "runtime"]
    assert "ARG PYTHON_IMAGE=python:3.11-slim-bookworm" in text
    assert f"ARG UV_VERSION={makefile_uv[1]}" in text
    assert "uv sync --frozen --no-dev" in text
    assert "COPY --from=builder /opt/venv /opt/venv" in runtime
    assert "PYTHONDONTWRITEBYTECODE=1" in runtime
    assert re.search(r"collectstatic --noinput", runtime)
    users = re.findall(r"^USER (\S+)$", runtime, re.M)
    assert users and users[-1] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*\n?.*/healthz", runtime, re.M)
    assert 'ENTRYPOINT ["/app/docker/entrypoint.sh"]' in runtime
    cmd = re.search(r"^CMD (.+)$", runtime, re.M)[1]
    assert (
        "gunicorn config.wsgi:application --bind 0.0.0.0:8000 "
        "--workers ${WEB_CONCURRENCY:-3} --access-logfile -"
    ) in cmd


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = set((BASE_DIR / ".dockerignore").read_text().split())

    assert {".env", ".git", ".venv", "db.sqlite3", "/staticfiles", "/media"} <= ignored
    assert "!.env.example" in ignored


# --- compose ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_runs_the_five_services_and_a_seed_job(compose):
    services = compose["services"]

    assert set(services) == {"web", "worker", "beat", "postgres", "redis", "seed"}
    assert compose["name"] == "ketnoi"
    assert services["postgres"]["image"] == "postgres:16-alpine"
    assert services["redis"]["image"] == "redis:7-alpine"
    assert "--appendonly yes" in services["redis"]["command"]
    assert services["worker"]["command"] == (
        "celery -A config worker -l info --concurrency ${CELERY_CONCURRENCY:-2}"
    )
    assert services["beat"]["command"] == "celery -A config beat -l info"
    assert services["seed"]["command"] == "python manage.py seed"
    assert services["seed"]["profiles"] == ["seed"]
    assert services["web"]["environment"]["DJANGO_MIGRATE"] == "1"
    for name in ("worker", "beat", "seed"):
        assert "DJANGO_MIGRATE" not in services[name].get("environment", {}), name


def test_compose_app_services_share_the_image_and_the_env_file(compose):
    services = compose["services"]
    for name in ("web", "worker", "beat", "seed"):
        service = services[name]
        assert service["build"] == {"context": "..", "dockerfile": "docker/Dockerfile"}, name
        assert service["env_file"] == "../.env", name
        assert service["image"] == services["web"]["image"], name


def test_compose_starts_each_service_once_its_dependencies_are_healthy(compose):
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["postgres"] == {"condition": "service_healthy"}, name
        assert depends["redis"] == {"condition": "service_healthy"}, name
    # Worker, beat and seed wait for web, which has applied the migrations.
    for name in ("worker", "beat", "seed"):
        assert services[name]["depends_on"]["web"] == {"condition": "service_healthy"}, name
    # Every service a condition waits for has a health check.
    for service in services.values():
        for dependency in service.get("depends_on", {}):
            assert "test" in services[dependency]["healthcheck"], dependency


def test_compose_health_checks(compose):
    services = compose["services"]

    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "redis-cli ping" in " ".join(services["redis"]["healthcheck"]["test"])
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
    assert services["beat"]["healthcheck"] == {"disable": True}


def test_compose_keeps_data_in_named_volumes(compose):
    services = compose["services"]

    assert set(compose["volumes"]) == {"postgres-data", "redis-data", "media"}
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert "redis-data:/data" in services["redis"]["volumes"]
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith(
        "${POSTGRES_PASSWORD:?"
    )


@pytest.mark.skipif(
    run(["docker", "compose", "version"], os.environ).returncode != 0
    if shutil.which("docker")
    else True,
    reason="the docker compose plugin is not installed",
)
def test_docker_compose_accepts_the_file(tmp_path):
    # A copy beside a .env made from the example, as an operator lays it out.
    (tmp_path / "docker").mkdir()
    compose_file = tmp_path / "docker" / "compose.yaml"
    compose_file.write_text(COMPOSE.read_text())
    env_file = tmp_path / ".env"
    env_file.write_text(ENV_EXAMPLE.read_text())
    result = run(
        ["docker", "compose", "-f", str(compose_file), "--env-file", str(env_file), "config", "-q"],
        os.environ,
    )

    assert result.returncode == 0, result.stderr


# --- entrypoint ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_entrypoint_waits_for_the_database_then_hands_over(test_database_url):
    result = run(
        ["sh", str(ENTRYPOINT), "python", "-c", "print('handed over')"],
        production_env(DATABASE_URL=test_database_url),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("handed over")
    assert "Running migrations" not in result.stdout


def test_entrypoint_gives_up_when_the_database_never_answers():
    started = time.monotonic()
    result = run(
        ["sh", str(ENTRYPOINT), "python", "-c", "print('handed over')"],
        production_env(
            DATABASE_URL="postgres://postgres@127.0.0.1:1/nothing", DJANGO_DB_WAIT_SECONDS="2"
        ),
    )

    assert result.returncode == 1
    assert "database not reachable after 2s" in result.stderr
    assert "handed over" not in result.stdout
    assert time.monotonic() - started < 20


def test_entrypoint_migrates_when_asked(tmp_path):
    database = tmp_path / "fresh.sqlite3"
    result = run(
        ["sh", str(ENTRYPOINT), "python", "-c", "print('handed over')"],
        production_env(DATABASE_URL=f"sqlite:///{database}", DJANGO_MIGRATE="1"),
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("handed over")
    with sqlite3.connect(database) as db:
        applied = {app for (app,) in db.execute("SELECT DISTINCT app FROM django_migrations")}
    assert {"accounts", "catalog", "listings", "axes", "django_celery_beat"} <= applied


# --- the web server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, **headers):
    """(status, headers, body) without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory, test_database_url):
    """The image's web command against production settings, static files collected first."""
    static_root = tmp_path_factory.mktemp("static")
    env = production_env(DATABASE_URL=test_database_url, DJANGO_STATIC_ROOT=str(static_root))
    collected = run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    assert collected.returncode == 0, collected.stderr

    port = free_port()
    process = subprocess.Popen(
        [
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            "-",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                fetch(f"{base}/healthz")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start:\n{process.stdout.read()}")
                time.sleep(0.2)
        yield base, static_root
    finally:
        stop(process)


@pytest.mark.django_db
def test_gunicorn_answers_the_probe_over_plain_http_on_any_host(gunicorn):
    base, _ = gunicorn

    status, _, body = fetch(f"{base}/healthz", Host="10.0.3.7:8000")

    assert status == 200
    assert json.loads(body) == {"status": "ok"}


@pytest.mark.django_db
def test_gunicorn_redirects_plain_http_to_https_and_sends_hsts(gunicorn):
    base, _ = gunicorn

    redirected = fetch(f"{base}/api/v1/units/", Host="ketnoi.example.vn")
    secure = fetch(
        f"{base}/api/v1/units/", Host="ketnoi.example.vn", **{"X-Forwarded-Proto": "https"}
    )
    unknown_host = fetch(f"{base}/api/v1/units/", Host="evil.example.com")

    assert redirected[0] == 301
    assert redirected[1]["Location"] == "https://ketnoi.example.vn/api/v1/units/"
    assert secure[0] == 200
    assert secure[1]["Strict-Transport-Security"].startswith("max-age=31536000")
    assert unknown_host[0] == 400


@pytest.mark.django_db
def test_gunicorn_serves_hashed_static_files_for_a_year(gunicorn):
    base, static_root = gunicorn
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["admin/css/base.css"]

    status, headers, body = fetch(
        f"{base}/static/{hashed}", Host="ketnoi.example.vn", **{"X-Forwarded-Proto": "https"}
    )

    assert status == 200
    assert b"{" in body
    assert "immutable" in headers["Cache-Control"]


@pytest.mark.django_db
def test_gunicorn_refuses_a_chunked_body_with_411_instead_of_dropping_it(gunicorn):
    """The probe's chunked POST ran as an empty request (issue 16, finding 8)."""
    import http.client

    base, _ = gunicorn
    connection = http.client.HTTPConnection(urlsplit(base).netloc, timeout=10)
    body = iter([b'{"username": "canbo", ', b'"password": "x"}'])
    connection.request(
        "POST",
        "/api/v1/auth/token/",
        body=body,
        headers={
            "Host": "ketnoi.example.vn",
            "X-Forwarded-Proto": "https",
            "Content-Type": "application/json",
            "Transfer-Encoding": "chunked",
        },
        encode_chunked=True,
    )
    response = connection.getresponse()

    assert response.status == 411
    assert json.loads(response.read())["code"] == "length_required"
    connection.close()


@pytest.mark.django_db
def test_gunicorn_serves_the_api_docs_from_the_sidecar_package(gunicorn):
    base, _ = gunicorn
    headers = {"Host": "ketnoi.example.vn", "X-Forwarded-Proto": "https"}

    status, _, body = fetch(f"{base}/api/docs/", **headers)
    scripts = re.findall(r'src="(/static/drf_spectacular_sidecar/[^"]+\.js)"', body.decode())

    assert status == 200 and scripts
    for script in scripts:
        assert fetch(f"{base}{script}", **headers)[0] == 200
