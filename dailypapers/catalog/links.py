"""Find a paper's code repository and project page in its abstract and comment.

Authors write "Code: https://github.com/org/repo", "Project page: https://x.github.io/y",
"website at https://…"; we keep the first code link (GitHub, GitLab, Hugging Face) and the
first project link (a URL announced as "project page"/"website"/"homepage", or a github.io
page). arXiv's hard line breaks can split a URL, so text is rejoined before searching.
"""

from __future__ import annotations

import re

# A URL runs until whitespace or a closing bracket/quote; trailing punctuation is trimmed.
_URL = re.compile(r"https?://[^\s<>\"'{}|\\^`\]\)]+", re.IGNORECASE)
# A line break right after a slash inside a URL (arXiv's hard wrapping).
_BROKEN_URL = re.compile(r"(https?://\S*/)\s*\n\s*")
_CODE_HOST = re.compile(
    r"^https?://(?:www\.)?(?:github\.com|gitlab\.com|huggingface\.co|hf\.co)/[^/\s]+", re.IGNORECASE
)
_PAGES_HOST = re.compile(r"^https?://[^/\s]+\.(?:github\.io|gitlab\.io|pages\.dev)(?:/|$)", re.IGNORECASE)
_PROJECT_WORDS = re.compile(
    r"(?:project\s*page|project\s*website|website|homepage|home\s*page|webpage|project\s*site)", re.IGNORECASE
)
# Hosts that are never a paper's code or page (the paper itself, DOIs, licences).
_IGNORED_HOSTS = re.compile(
    r"^https?://(?:www\.)?(?:arxiv\.org|doi\.org|dx\.doi\.org|creativecommons\.org)", re.IGNORECASE
)


def join_broken_urls(text: str) -> str:
    """Rejoin "https://github.com/a/\nrepo" (a line break right after a slash in a URL)."""
    return _BROKEN_URL.sub(r"\1", text) if "\n" in text else text


def find_urls(text: str) -> list[str]:
    """URLs in `text`, in order, without trailing punctuation."""
    if not text or "://" not in text:  # most abstracts: no URL, no regex work
        return []
    text = join_broken_urls(text)
    urls = []
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:!?*")
        if url.count("(") < url.count(")"):
            url = url.rstrip(")")
        urls.append(url)
    return urls


def _is_code(url: str) -> bool:
    if not _CODE_HOST.match(url):
        return False
    # huggingface.co/papers/… is HF's page about the paper itself, not code.
    return not re.match(r"^https?://(?:www\.)?(?:huggingface\.co|hf\.co)/(?:papers|docs|blog)/", url, re.IGNORECASE)


def extract_links(*texts: str) -> tuple[str, str]:
    """(code_url, project_url) found in the texts (abstract, comment); "" when none."""
    code_url = ""
    project_url = ""
    for text in texts:
        if not text:
            continue
        for match_url in find_urls(text):
            if _IGNORED_HOSTS.match(match_url):
                continue
            if not code_url and _is_code(match_url):
                code_url = match_url
                continue
            if project_url:
                continue
            if _PAGES_HOST.match(match_url):
                project_url = match_url
                continue
            # A plain URL counts as the project page when the words before it announce one.
            start = text.find(match_url)
            before = text[max(0, start - 60) : start]
            if _PROJECT_WORDS.search(before) and not _is_code(match_url):
                project_url = match_url
    return code_url[:500], project_url[:500]
