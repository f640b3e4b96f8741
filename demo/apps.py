from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and scale data for developers and benchmarks (`seed_demo`): it imports every domain
    app, and no domain app imports it."""

    name = "demo"
    verbose_name = "演示数据"
