"""Child processes the tests start for real (Celery workers, gunicorn, Redis, PostgreSQL),
and how they stop or are killed.

Every child starts in a session of its own, so that :func:`kill` reaches its whole group (a
prefork worker's main process and its pool children) with one signal.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


WEB_ENV = {"DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost", "HEALTH_CHECK_TIMEOUT": "1"}


def child_env(
    *, broker: str, queue: str | None = None, database_url: str | None = None, **extra: str
) -> dict:
    """The environment of a web or worker process a test starts: this test's database (or
    ``database_url``), the broker at ``broker``, tasks sent for real (not run eagerly), warnings
    only in the log, its own ``queue``; ``extra`` on top (``**WEB_ENV`` for a web process)."""
    from django.db import connection

    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": database_url
        or f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    if queue:
        env["CELERY_QUEUE"] = queue
    env.update(extra)
    return env


def celery_worker(
    *, env: dict, name: str, queue: str | None = None, pool: str = "solo", concurrency: int = 1
) -> subprocess.Popen:
    """A worker process with the given environment (its broker, its database)."""
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        f"--pool={pool}",
        f"--concurrency={concurrency}",
        "-n",
        name,
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-l",
        "warning",
    ]
    if queue:
        command += ["-Q", queue]
    return subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def gunicorn(*, env: dict, port: int, workers: int = 1) -> subprocess.Popen:
    """The web as it is deployed (gunicorn, config.wsgi) on 127.0.0.1:``port``."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def redis_server(*, port: int) -> subprocess.Popen:
    """A throwaway Redis on its own port, without persistence."""
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for_port(port)
    return process


def wait_for(predicate, timeout: float = 30.0, step: float = 0.2):
    """Ask ``predicate`` every ``step`` seconds until it answers something true (returned), or
    ``timeout`` seconds have passed (``None``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port} after {timeout} s")


def _signal(process: subprocess.Popen, signum: int) -> None:
    """``signum`` to the process's whole group when it leads one (started here with a
    session of its own), else to the process alone."""
    with contextlib.suppress(ProcessLookupError):
        if os.getpgid(process.pid) == process.pid:
            os.killpg(process.pid, signum)
        else:
            os.kill(process.pid, signum)


def kill(process: subprocess.Popen) -> None:
    """SIGKILL the process and every process of its session (pool children included)."""
    if process.poll() is None:
        _signal(process, signal.SIGKILL)
    process.wait()


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        _signal(process, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        kill(process)


class PostgresCluster:
    """A PostgreSQL cluster of the test's own (``initdb``/``pg_ctl``) on its own port and
    socket directory, run as the ``postgres`` user when the tests run as root."""

    def __init__(self, directory: Path, port: int):
        self.directory, self.port = directory, port
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        if not bins:
            raise FileNotFoundError("no PostgreSQL server binaries in /usr/lib/postgresql")
        self.bin = bins[-1].parent
        self.data = directory / "data"
        self.sockets = directory / "sockets"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)

    def init(self) -> None:
        self.sockets.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
            shutil.chown(self.sockets, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        # The server's log goes to a file: on pg_ctl's stdout it would keep our pipe open.
        log = str(self.directory / "server.log")
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "-t", "60", "start"
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop", check=False)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/ketnoi_fault"

    @property
    def connect_args(self) -> list[str]:
        """Where a client program (createdb, psql) reaches this cluster, as ``postgres``."""
        return ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]


def psycopg_dsn(settings_dict) -> str:
    """A psycopg connection string for the database of Django's ``settings_dict`` (a second
    session of the tests' own, outside Django's connection)."""
    dsn = (
        f"host={settings_dict['HOST']} port={settings_dict['PORT'] or 5432} "
        f"user={settings_dict['USER']} dbname={settings_dict['NAME']}"
    )
    if settings_dict["PASSWORD"]:
        dsn += f" password={settings_dict['PASSWORD']}"
    return dsn
