"""Uploads are bounded while they stream in: no request body or file is held whole before
its size is known.

* :class:`RequestBodyLimitMiddleware` answers 413 to a request that declares a body larger
  than any form here takes (a file at TETE_MAX_UPLOAD_BYTES plus the form's fields), before
  anything reads it.
* :class:`LimitedUploadHandler`, first in FILE_UPLOAD_HANDLERS, counts each file's real
  bytes as they arrive and drops a file past TETE_MAX_UPLOAD_BYTES (the rest of the request
  is read and discarded, so the other fields, the CSRF token among them, still arrive).
  :func:`refusal` then gives the message a form shows next to the field. Django's own
  handlers keep a file of up to FILE_UPLOAD_MAX_MEMORY_SIZE in memory, a larger one on disk.

A view that takes larger files (recordings) says so with :func:`accepts_files_up_to`; both
limits above then use its figure for requests to that view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

_REFUSAL = "_tete_upload_refusal"
_LIMIT = "_tete_upload_limit"

View = TypeVar("View", bound=Callable[..., Any])


def max_upload_bytes() -> int:
    return int(settings.TETE_MAX_UPLOAD_BYTES)


def accepts_files_up_to(limit: Callable[[], int]) -> Callable[[View], View]:
    """Let a view take files of up to ``limit()`` bytes instead of TETE_MAX_UPLOAD_BYTES.

    Put it under ``@access`` (whose wrappers copy the mark)."""

    def mark(view: View) -> View:
        view.upload_limit = limit  # type: ignore[attr-defined]
        return view

    return mark


def upload_limit(request: HttpRequest | None) -> int:
    """The largest file the view this request goes to takes."""
    if request is None:
        return max_upload_bytes()
    known = getattr(request, _LIMIT, None)
    if known is None:
        try:
            limit_of = getattr(resolve(request.path_info).func, "upload_limit", None)
        except Resolver404:
            limit_of = None
        known = int(limit_of()) if limit_of is not None else max_upload_bytes()
        setattr(request, _LIMIT, known)
    return int(known)


def max_body_bytes(request: HttpRequest | None = None) -> int:
    """The largest request body: one file at the limit and the form's other fields."""
    return upload_limit(request) + int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def too_large_message(size: int | None = None, limit_bytes: int | None = None) -> str:
    limit = human_size(limit_bytes if limit_bytes is not None else max_upload_bytes())
    if size is None:
        return f"The file is larger than {limit}, the largest file accepted."
    return f"The file is {human_size(size)}; the largest file accepted is {limit}."


def refusal(request: HttpRequest) -> str | None:
    """Why a file in this request was dropped while it was uploaded, if one was."""
    return getattr(request, _REFUSAL, None)


class RefusedUploadForm(forms.Form):
    """A form with a ``file`` field that says why the file was dropped while it was uploaded
    (``refusal=uploads.refusal(request)``), instead of "This field is required"."""

    def __init__(self, *args: Any, refusal: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refusal = refusal

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and self.refusal:
            self.errors["file"] = self.error_class([self.refusal])
            self.cleaned_data.pop("file", None)


class LimitedUploadHandler(FileUploadHandler):
    """Drops a file as soon as its bytes pass TETE_MAX_UPLOAD_BYTES, whatever it declares."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        limit = upload_limit(self.request)
        if self.received > limit:
            if self.request is not None:
                setattr(self.request, _REFUSAL, too_large_message(limit_bytes=limit))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class RequestBodyLimitMiddleware:
    """413, naming the limit, for a body larger than any form takes, before it is read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > max_body_bytes() and declared > max_body_bytes(request):
            if request.path.startswith("/api/"):
                # The API's clients read problem details (RFC 9457), not a page.
                from tete.api.problems import problem_response

                response = problem_response(
                    413,
                    f"The request body is {human_size(declared)}; the largest accepted is "
                    f"{human_size(max_body_bytes(request))}.",
                )
                response["Connection"] = "close"
                return response
            response = render(
                request,
                "request_too_large.html",
                {"size": human_size(declared), "limit": human_size(upload_limit(request))},
                status=413,
            )
            # The body is not read: the connection cannot carry another request.
            response["Connection"] = "close"
            return response
        return self.get_response(request)
