"""`dailypapers serve`: run the site with gunicorn (several worker processes, static files by
WhiteNoise, metrics shared across workers). `--dev` runs Django's development server instead
(auto-reload, one process)."""

from __future__ import annotations

import os
import shutil
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the site over HTTP (gunicorn; --dev for Django's development server)."
    example = "dailypapers serve --host 127.0.0.1 --port 8000 --workers 2"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on (default 8000).")
        parser.add_argument(
            "--workers",
            type=int,
            default=max(2, (os.cpu_count() or 1)),
            help="Worker processes (default: one per core, at least 2).",
        )
        parser.add_argument("--dev", action="store_true", help="Use Django's development server (auto-reload).")

    def handle(self, *args, host, port, workers, dev, **options):
        if dev:
            from django.core.management import call_command

            call_command("runserver", f"{host}:{port}")
            return
        # Fresh per-server metrics folder: counters restart with the server, as Prometheus expects.
        # The variable must be set before prometheus_client is first imported, so gunicorn runs
        # in a fresh process (exec) rather than in this one, where system checks imported it.
        metrics_dir = settings.HOME / "prometheus"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
        self.stdout.write(f"dailypapers serving on http://{host}:{port} with {workers} workers (Ctrl-C stops)")
        self.stdout.flush()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config=python:dailypapers.ops.gunicorn_conf",
            f"--bind={host}:{port}",
            f"--workers={workers}",
            "dailypapers.wsgi:application",
        ]
        os.execve(sys.executable, argv, env)
