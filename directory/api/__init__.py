"""The Open Referral UK (HSDS 3.0) API of the public directory, on Django REST framework.

serializers.py  the HSDS records, declared field by field
pagination.py   the ORUK page envelope
filters.py      the query parameters, each parsed by alliance/params.py
views.py        read-only viewsets, the API info, the OpenAPI document
errors.py       every error as JSON `{"detail": …}`, Redis down as 503
The URLs are in directory/api_urls.py, the reads in directory/selectors.py; docs/api.md.
"""
