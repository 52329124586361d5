"""Why the community app refused an action, as a code a program can branch on, and the one
table that turns a code into an HTTP status, shared by the pages and the JSON API.

Every refusal (`CommentRefused`, `FollowRefused`, `SubmissionRefused`, `NotAllowed`) is a
`Refused` with a `code` from `STATUS_OF_CODE`; its message is for people and may change, the
code is the contract. The table sits here, below web and api, so both import the same one.
"""

from __future__ import annotations

# code -> HTTP status (RFC 9110 meanings).
STATUS_OF_CODE = {
    "invalid": 400,  # the input itself is wrong: empty, too long, not an arXiv id
    "unauthenticated": 401,  # nobody is logged in
    "forbidden": 403,  # banned, disabled, or not the author
    "not_found": 404,  # no such paper or comment
    "duplicate": 409,  # the paper was already submitted
    "too_old": 409,  # a rule about the paper's age refuses it
    "removed": 409,  # the moderators removed the paper
    "rate_limited": 429,  # a per-member limit; try again later
    "upstream_unavailable": 503,  # arXiv did not answer; ours to retry, not the client's fault
}


class Refused(Exception):
    """A community rule refused the action; `code` says which kind of refusal (see the table)."""

    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.code = code or self.default_code
        if self.code not in STATUS_OF_CODE:
            raise ValueError(f"unknown refusal code {self.code!r}; add it to STATUS_OF_CODE")

    @property
    def status(self) -> int:
        return STATUS_OF_CODE[self.code]
