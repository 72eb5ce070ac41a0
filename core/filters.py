"""The base of the project's FilterSets."""

import django_filters


class FilterSet(django_filters.FilterSet):
    """A FilterSet whose filters build their form fields for this request.

    A filter caches its form field the first time it is read. drf-spectacular, writing
    the API's schema, reads the fields of the classes' own filters (`base_filters`),
    with the choices and querysets of no request; every FilterSet made afterwards in that
    process copied those cached fields, so the choices and querysets its `__init__` sets
    for the request (the RAID log's areas, the register's groups, the decision log's
    meetings) were ignored and any value chosen was refused. Dropping the copied cache
    makes each field from the filter as this request set it up."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            filter_.__dict__.pop("_field", None)
