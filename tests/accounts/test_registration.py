"""Registering an enterprise or university with its first user."""
import re

import pytest
from sqlalchemy import func, select

from portal.accounts.models import (
    Organization,
    OrgKind,
    OrgStatus,
    ReviewDecision,
    Role,
    User,
)
from portal.accounts.services import require_publishing_rights
from portal.errors import PermissionDenied
from tests import factories
from tests.factories import enterprise_form


def university_form(**overrides):
    data = {
        "name": "上海临港职业技术学院", "school_code": "4131012345", "credit_code": "",
        "level": "higher_vocational", "district": "浦东新区",
        "user_name": "周老师", "email": "zhou@lingang.example",
        "password": factories.PASSWORD, "confirm": factories.PASSWORD, "agree": "y",
    }
    data.update(overrides)
    return data


def count(db, model):
    return db.scalar(select(func.count()).select_from(model))


def register_and_confirm(client, db, kind: str, data: dict):
    response = client.post(f"/register/{kind}", data=data)
    assert "请查收邮件" in response.get_data(as_text=True)
    link = factories.confirmation_link(db, data["email"])
    assert "确认并登录" in client.get(link).get_data(as_text=True)
    return client.post(link)


def test_enterprise_registration_creates_pending_org_and_signed_in_hr_user(client, db):
    response = register_and_confirm(client, db, "enterprise", enterprise_form())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/organization/")

    org = db.scalar(select(Organization))
    assert org.kind is OrgKind.ENTERPRISE and org.status is OrgStatus.PENDING
    assert org.credit_code == "91440300708461136T"
    user = org.members[0]
    assert user.role is Role.ENTERPRISE_HR
    assert user.email == "wang.min@chengyao.example"  # one spelling per address
    assert user.password_hash.startswith("$argon2id$")
    assert [r.decision for r in org.reviews] == [ReviewDecision.SUBMITTED]

    page = client.get("/organization/").get_data(as_text=True)
    assert "等待审核" in page and "上海澄曜智能装备有限公司" in page


def test_university_registration(client, db):
    response = register_and_confirm(client, db, "university", university_form())
    assert response.status_code == 302
    org = db.scalar(select(Organization))
    assert org.kind is OrgKind.UNIVERSITY and org.school_code == "4131012345"
    assert org.credit_code is None and org.size is None
    assert org.members[0].role is Role.UNIVERSITY_STAFF


def test_full_width_credit_code_is_stored_normalised(client, db):
    client.post("/register/enterprise",
                data=enterprise_form(credit_code="９１４４０３００７０８４６１１３６ｔ"))
    assert db.scalar(select(Organization.credit_code)) == "91440300708461136T"


@pytest.mark.parametrize("code, message", [
    ("91440300708461136U", "校验码不符"),
    ("9144030070846113", "应为 18 位"),
    ("91440300708461136I", "不含 I、O、S、V、Z"),
    ("", "此项为必填项"),
])
def test_bad_credit_codes_are_explained_in_chinese(client, db, code, message):
    response = client.post("/register/enterprise", data=enterprise_form(credit_code=code))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count(db, Organization) == 0 and count(db, User) == 0


def test_bad_credit_code_is_explained_in_english(client, db):
    response = client.post("/register/enterprise",
                           data=enterprise_form(credit_code="91440300708461136U"),
                           headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "does not match" in response.get_data(as_text=True)


def test_same_credit_code_cannot_register_twice(client, db):
    client.post("/register/enterprise", data=enterprise_form())
    client.post("/logout")
    with client.session_transaction() as session:
        session.clear()
    response = client.post("/register/enterprise",
                           data=enterprise_form(name="另一家公司", email="other@example.com"))
    assert response.status_code == 200
    assert "该统一社会信用代码已有机构注册" in response.get_data(as_text=True)
    assert count(db, Organization) == 1 and count(db, User) == 1


def test_same_school_code_cannot_register_twice(client, db):
    factories.member(db, OrgKind.UNIVERSITY)
    db.commit()
    existing = db.scalar(select(Organization.school_code))
    response = client.post("/register/university", data=university_form(school_code=existing))
    assert "该学校标识码已有机构注册" in response.get_data(as_text=True)
    assert count(db, Organization) == 1


def test_a_registered_address_gets_the_same_answer_and_its_holder_a_message(app, client, db):
    """Issue 14: the form answered differently for an address that has an account."""
    from portal.notifications.models import Notification

    holder = factories.member(db, email="taken@example.com")
    db.commit()
    taken = client.post("/register/enterprise", data=enterprise_form(email="TAKEN@example.com"))
    fresh = app.test_client().post("/register/enterprise", data=enterprise_form(
        email="fresh@example.com", name="另一家公司",
        credit_code=factories.valid_credit_code(4242)))
    pages = [re.sub(r'name="csrf_token" value="[^"]+"', "", r.get_data(as_text=True))
             .replace(address, "ADDRESS") for r, address in (
                 (taken, "TAKEN@example.com"), (fresh, "fresh@example.com"))]
    assert taken.status_code == fresh.status_code == 200 and pages[0] == pages[1]
    assert count(db, Organization) == 2  # the holder's, and the new one; none for "taken"
    told = db.scalars(select(Notification.event).where(Notification.user_id == holder.id))
    assert "registration_with_your_address" in told.all()


def test_an_unconfirmed_account_cannot_sign_in_and_is_sent_the_link_again(client, db):
    client.post("/register/enterprise", data=enterprise_form())
    first = factories.confirmation_link(db, "wang.min@chengyao.example")
    response = client.post("/login", data={"email": "wang.min@chengyao.example",
                                           "password": factories.PASSWORD})
    assert "请先确认您的电子邮箱" in response.get_data(as_text=True)
    assert client.get("/organization/").status_code == 302
    assert factories.confirmation_link(db, "wang.min@chengyao.example")  # sent again
    assert client.post(first).status_code == 302  # the first link still works (3 days)
    assert client.get("/organization/").status_code == 200


@pytest.mark.parametrize("token", ["not-a-token", "eyJ1c2VyIjoxfQ.forged.signature"])
def test_a_bad_confirmation_link_is_explained(client, token):
    page = client.post(f"/register/confirm/{token}").get_data(as_text=True)
    assert "链接无效" in page and client.get("/organization/").status_code == 302


@pytest.mark.parametrize("overrides, message", [
    ({"password": "short", "confirm": "short"}, "密码长度应在 10 到 128 个字符之间"),
    ({"password": "aaaaaaaaaaaa", "confirm": "aaaaaaaaaaaa"}, "过于简单"),
    ({"password": "1234567890", "confirm": "1234567890"}, "过于简单"),  # issue 14
    ({"password": "woaini1314520", "confirm": "woaini1314520"}, "过于简单"),
    ({"email": "zhangweiming@example.com", "password": "zhangweiming2026",
      "confirm": "zhangweiming2026"}, "过于简单"),  # the address itself, and a year
    ({"confirm": "something-else-entirely"}, "两次输入的密码不一致"),
    ({"email": "not-an-address"}, "请输入有效的电子邮箱地址"),
    ({"agree": ""}, "请勾选确认"),
    ({"size": "gigantic"}, "不是有效的选择"),
    ({"name": "名" * 201}, "请不要超过 200 个字符"),
    ({"name": "\u200b\u202e \x07"}, "此项为必填项"),  # only invisible characters
])
def test_registration_rejects_bad_input_without_saving(client, db, overrides, message):
    response = client.post("/register/enterprise", data=enterprise_form(**overrides))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert count(db, Organization) == 0 and count(db, User) == 0


def test_invisible_characters_are_removed_from_names(client, db):
    client.post("/register/enterprise",
                data=enterprise_form(name="上海\u200b澄曜\u202e智能  装备有限公司\x00"))
    assert db.scalar(select(Organization.name)) == "上海澄曜智能 装备有限公司"


def test_script_in_a_name_is_shown_as_text(client, db):
    register_and_confirm(client, db, "enterprise",
                         enterprise_form(name="<script>alert(1)</script>公司"))
    page = client.get("/organization/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;公司" in page


def test_unknown_organisation_kind_is_not_found(client):
    assert client.get("/register/government").status_code == 404


@pytest.mark.parametrize("status", [OrgStatus.PENDING, OrgStatus.REJECTED])
def test_only_verified_organisations_may_publish(db, status):
    coordinator = factories.coordinator(db)
    org = factories.organization(db)
    if status is OrgStatus.REJECTED:
        from portal.accounts.services import reject_organization

        reject_organization(db, org, coordinator, "营业执照照片不清晰")
    assert not org.can_publish
    with pytest.raises(PermissionDenied):
        require_publishing_rights(org)


def test_verified_organisation_may_publish(db):
    org = factories.organization(db, verified=True)
    assert org.can_publish
    require_publishing_rights(org)  # does not raise
