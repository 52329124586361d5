"""Every error under /api/ answers JSON `{"error": "..."}`, whoever produced it.

The routes' own errors are ninja's (ninja_api.py). This middleware covers the rest, which
Django answers with HTML pages: a path no route matches (404), a method a route does not
take (405, ninja's empty answer), a body over DATA_UPLOAD_MAX_MEMORY_SIZE (400) and a fault
in our code (500, logged by Django as usual before it gets here). It sits outside the other
middleware, so their errors are covered too.
"""

from __future__ import annotations

from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import JsonResponse

API_PREFIX = "/api/"


def _message(request, response) -> str:
    status = response.status_code
    if status == 404:
        return f"no API endpoint at {request.path[:200]}; the endpoints are listed at /api/docs"
    if status == 405:
        return f"method {request.method} is not allowed here; allowed: {response.get('Allow', 'none')}"
    if status == 500:
        return f"internal error; the operator's log has the details (request id {getattr(request, 'request_id', '?')})"
    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return f"error {status}"


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX) and response.status_code >= 400 and not _is_json(response):
            error = getattr(request, "_api_error_message", None) or _message(request, response)
            replacement = JsonResponse({"error": error}, status=response.status_code)
            for header in ("Allow", "Retry-After", "X-Request-ID", "Access-Control-Allow-Origin"):
                if response.has_header(header):
                    replacement[header] = response[header]
            return replacement
        return response

    def process_exception(self, request, exception):
        """Keep the reason of a refused request for the JSON answer; Django still answers it."""
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, RequestDataTooBig):
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            request._api_error_message = f"request body: larger than the {limit} bytes this server accepts"
        elif isinstance(exception, SuspiciousOperation):
            request._api_error_message = f"bad request: {exception}"[:300]
        return None
