"""The app's own settings plus one bare view to compare page throughput against."""

from tete.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"
