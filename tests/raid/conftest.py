"""The DAG and its people for the RAID tests of this folder: a bare group ("DAG group")
with a member and the secretariat named after their usernames. They replace
tests/conftest.py's DAG people here, so the names the tests give their own records
(make_person("Paul Pettitt")...) stay unique."""

import pytest

from core.models import Role
from tests.factories import make_group, make_user


@pytest.fixture
def dag():
    return make_group("DAG")


@pytest.fixture
def member(dag):
    return make_user("member", group=dag, role=Role.MEMBER)


@pytest.fixture
def secretariat(dag):
    return make_user("secretariat", group=dag, role=Role.SECRETARIAT)
