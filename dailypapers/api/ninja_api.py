"""The one NinjaAPI behind `/api/`: the Hugging Face-compatible routes at its root, ours under
`/api/v1/`, the OpenAPI schema at `/api/openapi.json` and the Swagger UI at `/api/swagger` (the
light reference page at `/api/docs` is the web app's, rendered from the same schema).

Errors are JSON `{"error": "..."}` like Hugging Face's (errors.py covers those Django answers
outside the routes), and bad parameters answer 400 naming the parameter (ninja's default would
be 422 with a pydantic dump). A community refusal adds its `code` and answers the status of
that code (community.refusals.STATUS_OF_CODE).
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from dailypapers.api.listing import ListingError
from dailypapers.api.params import describe_errors
from dailypapers.api.security import RateLimit
from dailypapers.community.refusals import Refused
from dailypapers.search.filters import SearchError

api = NinjaAPI(
    title="dailypapers API",
    version="1",
    description=(
        "Hugging Face papers API-compatible endpoints (`/api/daily_papers`, `/api/papers/…`) and this "
        "site's own endpoints under `/api/v1/`. Writes need a personal access token "
        "(`Authorization: Bearer dp_…`, created on /settings/tokens) or a session with CSRF token. "
        "Anonymous clients are rate-limited per IP (429 with Retry-After)."
    ),
    urls_namespace="api:ninja",  # nested in the api app's namespace
    openapi_url="/openapi.json",
    docs_url="/swagger",
    throttle=[RateLimit()],
)


@api.exception_handler(ValidationError)
def _bad_parameters(request, exc: ValidationError):
    return api.create_response(request, {"error": describe_errors(exc.errors)}, status=400)


@api.exception_handler(ListingError)
def _bad_listing(request, exc: ListingError):
    return api.create_response(request, {"error": str(exc)}, status=400)


@api.exception_handler(SearchError)
def _bad_search(request, exc: SearchError):
    return api.create_response(request, {"error": str(exc)}, status=400)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(
        request,
        {"error": "authentication required: send a personal access token (Authorization: Bearer dp_…) or log in"},
        status=401,
    )


@api.exception_handler(Throttled)
def _throttled(request, exc: Throttled):
    return api.create_response(
        request, {"error": "too many requests; retry after the number of seconds in Retry-After"}, status=429
    )


@api.exception_handler(Refused)
def _refused(request, exc: Refused):
    """A community rule said no: the status its code has in community.refusals, for pages too."""
    return api.create_response(request, {"error": str(exc), "code": exc.code}, status=exc.status)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return api.create_response(request, {"error": str(exc)}, status=exc.status_code)


from dailypapers.api import hf_routes, v1_collections, v1_member, v1_routes, v1_saved  # noqa: E402  (routes register on `api`)

api.add_router("/", hf_routes.router)
api.add_router("/v1/", v1_routes.router)
api.add_router("/v1/", v1_collections.router)
api.add_router("/v1/me/", v1_member.router)
api.add_router("/v1/me/", v1_saved.router)
