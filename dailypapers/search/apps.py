from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "dailypapers.search"
    label = "search"

    def ready(self) -> None:
        # Load onnxruntime before anything can load usearch (see search/native.py): done at
        # Django start-up, every process of the site gets the safe order whatever imports later.
        from dailypapers.search import native  # noqa: F401
