"""The coordinators' register of agreements: filters, pages, who may open it."""
import pytest

from portal.accounts.models import Role
from portal.cooperation.models import CooperationKind as K
from portal.cooperation.services import act
from tests import factories
from tests.factories import partnership


@pytest.fixture
def issued(db):
    training = partnership(db, K.ORDER_TRAINING, title="数控订单班")
    research = partnership(db, K.JOINT_RESEARCH, title="压铸件缺陷检测攻关")
    db.commit()
    act(db, research, research.partner.members[0], "terminate", comment="经费未落实")
    db.commit()
    return training.agreements[0], research.agreements[0]


def listed(client, **filters):
    return client.get("/agreements", query_string=filters).get_data(as_text=True)


def test_coordinators_filter_the_register(client, db, login_as, issued):
    training, research = issued
    login_as(Role.COORDINATOR)
    everything = listed(client)
    assert training.number in everything and research.number in everything
    assert "共 2 份协议" in everything
    terminated = listed(client, status="terminated")
    assert research.number in terminated and training.number not in terminated
    by_kind = listed(client, kind="order_training")
    assert training.number in by_kind and research.number not in by_kind
    by_party = listed(client, q=training.proposal.partner.name)
    assert training.number in by_party and research.number not in by_party
    assert training.number in listed(client, signed="no")
    assert "没有符合筛选条件的协议" in listed(client, signed="yes")
    assert "共 2 份协议" in listed(client, status="nonsense", page="x")  # ignored


def test_certificates_awaiting_countersignature_are_listed(client, db, login_as):
    from portal.agreements.certificates import CertificateDetails, file_certificate

    proposal = partnership(db, K.DUAL_MENTOR, title="双导师")
    file_certificate(db, proposal, proposal.partner.members[0],
                     CertificateDetails("李建国", "2026–2027 学年第一学期", ["测试技术"], 32))
    db.commit()
    login_as(factories.coordinator(db))
    assert "李建国" in listed(client) and "待会签的导师证明" in listed(client)


@pytest.mark.parametrize("role, status", [(Role.ENTERPRISE_HR, 403),
                                          (Role.UNIVERSITY_STAFF, 403)])
def test_members_cannot_open_the_register(client, login_as, role, status):
    login_as(role)
    assert client.get("/agreements").status_code == status


@pytest.mark.parametrize("typed", ["%", "_", "cj-%", "数控_班"])
def test_wildcards_typed_in_the_search_are_only_themselves(client, login_as, issued, typed):
    """Issue 14: "%" listed every agreement."""
    login_as(Role.COORDINATOR)
    assert "没有符合筛选条件的协议" in listed(client, q=typed)
