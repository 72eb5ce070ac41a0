"""What every API view shares: authentication by token or session (DRF's views opt out of
LoginRequiredMiddleware's redirect: the API answers 401 in JSON), the permission classes of
access.py, and get_object() through core.permissions.get_object_for_user, as the pages
fetch and authorise."""

import copy

from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from core.permissions import Perm, get_object_for_user

from .errors import form_errors


class ApiViewSet(viewsets.GenericViewSet):
    # References such as DAG10.1-03 hold dots, which DRF's default lookup refuses.
    lookup_value_regex = r"[^/]+"

    def detail_queryset(self):
        """The queryset one record is fetched from (with what its detail shows)."""
        return self.get_queryset()

    def get_object(self):
        """404 for a record the user may not read (or that does not exist); 403 when they
        may read it but not do what the action needs (access.RecordPermission)."""
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
        record = get_object_for_user(self.request.user, self.detail_queryset(), Perm.VIEW, **lookup)
        self.check_object_permissions(self.request, record)
        return record


def validated_input(serializer_class, request) -> dict:
    """The request's JSON checked against its shape: 400 with field messages if it is not."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def valid_form(form):
    """The page's form, checked as the page checks it: 400 with its messages if refused."""
    if not form.is_valid():
        raise ValidationError(form_errors(form))
    return form.cleaned_data


def patched_form(form_class, record, values: dict, version: int):
    """The page's versioned edit form of `record`, bound to what the page would post: the
    saved values, those the request sends in their place, and the version the client read
    (from If-Match)."""
    saved = form_class(instance=copy.copy(record))
    data = {name: saved[name].value() for name in saved.fields if name != "version"}
    return form_class({**data, **values, "version": str(version)}, instance=copy.copy(record))
