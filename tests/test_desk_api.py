"""The review desk's JSON API (FastAPI's TestClient): uploads checked by the pipeline,
located errors for bad files, versions compared, waivers, status, the letter, limits,
authentication and CSRF."""

from __future__ import annotations

import io
import zipfile

import pytest

pytest.importorskip("fastapi")

from conftest import EXAMPLES  # noqa: E402
from desk_plans import BROKEN_YAML, FLAWED_YAML, GOOD_YAML, workbooks  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from validator.desk.app import create_app  # noqa: E402
from validator.desk.security import hash_password  # noqa: E402
from validator.desk.settings import MB, Auth, Settings  # noqa: E402


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    return workbooks(tmp_path_factory.mktemp("books"))


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    settings = Settings(data=tmp_path_factory.mktemp("desk"), workers=1, max_upload=2 * MB)
    with TestClient(create_app(settings)) as c:
        yield c


def upload(client, path, name=None, **params):
    client.cookies.clear()  # a program: no session, so no CSRF token needed on a local desk
    return client.post("/api/submissions", params=params,
                       files={"file": (name or path.name, path.read_bytes())})


def test_a_flawed_workbook_is_checked_and_its_reports_served(client, books):
    flawed, _ = books
    r = upload(client, flawed, "Kế hoạch Cao Bằng.xlsx")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["state"] == "done" and body["plan_id"] == "cb-sedp-2026-2030"
    assert body["counts"] == {"error": 2, "warning": 0, "info": 0}
    assert {(f["rule"], f["entity"]["id"]) for f in body["findings"]} == {
        ("PH-04", "O1.T2"), ("DIR-01", "O1.T5")}
    assert body["findings"][0]["location"]["file"] == "Kế hoạch Cao Bằng.xlsx"
    sub = body["id"]
    assert client.get(f"/api/submissions/{sub}").json()["findings"] == body["findings"]
    html = client.get(f"/api/submissions/{sub}/report.html")
    assert html.status_code == 200 and "PH-04" in html.text and "Báo cáo" in html.text
    assert "Plan review report" in client.get(f"/api/submissions/{sub}/report.html",
                                              params={"lang": "en"}).text
    annotated = client.get(f"/api/submissions/{sub}/annotated")
    assert annotated.status_code == 200
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(annotated.content))
    assert "PH-04" in book["Chỉ tiêu"]["D12"].comment.text
    sarif = client.get(f"/api/submissions/{sub}/report.sarif").json()
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"PH-04", "DIR-01"}


def test_a_bad_file_is_a_located_error_not_a_500(client):
    r = upload(client, BROKEN_YAML)
    assert r.status_code == 201
    body = r.json()
    assert body["state"] == "invalid" and body["plan_id"] is None
    problem = body["problems"][0]
    assert (problem["line"], problem["column"], problem["path"]) == (10, 18, "plan.period[1]")
    assert "số nguyên" in problem["message"] or "whole number" in problem["message"]
    page = client.get(body["links"]["page"])
    assert page.status_code == 200 and "period-wrong-type.yaml:10:18" in page.text
    client.cookies.clear()
    garbage = client.post("/api/submissions", files={"file": ("plan.xlsx", b"not a zip")})
    assert garbage.status_code == 201 and garbage.json()["state"] == "invalid"
    assert garbage.json()["problems"]
    odd = client.post("/api/submissions", files={"file": ("../../etc/passwd", b"x: 1")})
    assert odd.json()["filename"] == "passwd" and odd.json()["state"] == "invalid"


def test_versions_fixed_new_unchanged_and_waivers(client, books):
    flawed, fixed = books
    first = upload(client, flawed).json()
    accept = client.post(f"/api/submissions/{first['id']}/accept",
                         json={"rule": "DIR-01", "entity": "O1.T5",
                               "reason": "Tỷ lệ nghèo tăng do sáp nhập xã"})
    assert accept.status_code == 200, accept.text
    second = upload(client, fixed).json()
    assert second["plan_id"] == first["plan_id"] and second["version"] == first["version"] + 1
    assert second["findings"] == []  # PH-04 fixed, DIR-01 accepted
    assert [w["rule"] for w in second["waived"]] == ["DIR-01"]
    versions = client.get(f"/api/plans/{first['plan_id']}/versions").json()
    assert [v["version"] for v in versions] == list(range(1, len(versions) + 1))
    page = client.get(f"/submissions/{second['id']}", params={"lang": "en"}).text
    assert "fixed: PH-04 O1.T2" in page
    client.cookies.clear()
    waivers = client.get("/api/waivers.yaml", params={"plan_id": first["plan_id"]}).text
    assert "rule: DIR-01" in waivers and "Tỷ lệ nghèo tăng do sáp nhập xã" in waivers
    status = client.post(f"/api/submissions/{second['id']}/status",
                         json={"status": "returned", "remark": "Bổ sung số liệu 2025"})
    assert status.status_code == 200
    assert client.get(f"/api/submissions/{second['id']}").json()["status"] == "returned"
    assert client.post(f"/api/submissions/{second['id']}/status",
                       json={"status": "lost"}).status_code == 400
    unknown = client.post(f"/api/submissions/{second['id']}/accept",
                          json={"rule": "PH-04", "entity": "O9", "reason": "x"})
    assert unknown.status_code == 400


def test_the_remarks_letter_groups_by_objective(client, books):
    from docx import Document

    flawed, _ = books
    sub = upload(client, flawed, "letter.xlsx").json()
    client.post(f"/api/submissions/{sub['id']}/status",
                json={"status": "in_review", "remark": "Đề nghị rà soát mục tiêu O1"})
    noted = client.post(f"/api/submissions/{sub['id']}/remarks",
                        json={"text": "Kiểm tra lại số liệu năm 2028", "rule": "PH-04",
                              "entity": "O1.T2"})
    assert noted.status_code == 200
    r = client.get(f"/api/submissions/{sub['id']}/letter.docx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "cb-sedp-2026-2030" in text and "Cao Bằng" in text
    assert "O1: " in text and "PH-04" in text
    assert "Đề nghị rà soát mục tiêu O1" in text
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if "PH-04" in line)
    assert lines[at + 1] == "Ý kiến người thẩm định: Kiểm tra lại số liệu năm 2028"
    assert "DIR-01 on O1.T5" not in text  # the letter is in Vietnamese


def test_a_zip_of_plans_is_one_submission_each(client):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as z:
        z.writestr("tinh/province.yaml", GOOD_YAML.read_bytes())
        z.writestr("xa/flawed.yaml", FLAWED_YAML.read_bytes())
        z.writestr("xa/__MACOSX/._flawed.yaml", b"junk")
        z.writestr("readme.txt", b"not a plan")
    r = client.post("/api/submissions", files={"file": ("mua-2026.zip", data.getvalue())})
    assert r.status_code == 201, r.text
    body = r.json()
    assert [s["filename"] for s in body["submissions"]] == ["province.yaml", "flawed.yaml"]
    assert all(s["state"] == "done" for s in body["submissions"])
    assert body["progress"] == {"done": 2}


def test_limits_and_openapi(client):
    big = client.post("/api/submissions", files={"file": ("big.yaml", b"#" * (3 * MB))})
    assert big.status_code == 400 and "MB" in big.json()["detail"]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ("a.yaml", "b.yaml"):
            z.writestr(name, b"#" * (3 * MB // 2))  # small zipped, over the cap unpacked
    assert len(bomb.getvalue()) < MB // 10
    r = client.post("/api/submissions", files={"file": ("bomb.zip", bomb.getvalue())})
    assert r.status_code == 400 and "giải nén" in r.json()["detail"]
    spec = client.get("/openapi.json").json()
    for path in ("/api/submissions", "/api/submissions/{sub_id}",
                 "/api/submissions/{sub_id}/annotated", "/api/submissions/{sub_id}/report.html",
                 "/api/plans/{plan_id}/versions", "/healthz"):
        assert path in spec["paths"]
    assert client.get("/healthz").json()["ok"] is True
    assert client.get("/api/submissions/99999").status_code == 404


def test_posts_from_a_browser_need_the_csrf_token(client):
    r = client.post("/api/submissions/1/status", json={"status": "in_review"},
                    headers={"origin": "http://evil.example"})
    assert r.status_code == 403
    page = client.get("/")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    ok = client.post("/api/submissions/1/status", json={"status": "in_review"},
                     headers={"origin": "http://testserver", "x-csrf-token": token})
    assert ok.status_code == 200


def test_a_desk_with_logins(tmp_path):
    auth = Auth(token="t" * 20, users={"lan": hash_password("mật khẩu")})
    with TestClient(create_app(Settings(data=tmp_path, auth=auth, workers=1))) as c:
        assert c.get("/api/submissions").status_code == 401
        assert c.get("/", follow_redirects=False).headers["location"] == "/login?next=/"
        assert c.get("/healthz").status_code == 200
        bearer = {"authorization": "Bearer " + "t" * 20}
        assert c.get("/api/submissions", headers=bearer).status_code == 200
        assert c.get("/api/submissions", auth=("lan", "sai")).status_code == 401
        assert c.get("/api/submissions", auth=("lan", "mật khẩu")).status_code == 200
        # without a session token, a post is refused even from a program
        assert c.post("/api/submissions/1/status", json={"status": "x"}).status_code in (401, 403)
        login = c.get("/login").text
        token = login.split('name="csrf_token" value="')[1].split('"')[0]
        r = c.post("/login", data={"name": "lan", "password": "mật khẩu", "csrf_token": token,
                                   "next": "https://evil.example/"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/"
        assert c.get("/").status_code == 200


def test_the_cycle_overview_shows_the_set_and_its_cross_plan_findings(client):
    for name in ("province-five-year-sedp.yaml", "commune-five-year-sedp.yaml",
                 "health-five-year-sectoral.yaml", "district-five-year-sedp.yaml",
                 "district-annual-sedp-2022.yaml"):
        assert upload(client, EXAMPLES / name).json()["state"] == "done"
    province = client.get("/api/plans/lc-sedp-2026-2030/cycle").json()
    assert [p["plan_id"] for p in province["plans"]] == [
        "lc-sedp-2026-2030", "lc-bacha-xa-sedp-2026-2030", "lc-health-2026-2030"]
    # a 2021-2025 district plan and the annual plan phased from it: a set of their own
    district = client.get("/api/plans/lc-bacha-sedp-2021-2025/cycle").json()
    assert district["problems"] == []
    assert [p["plan_id"] for p in district["plans"]] == [
        "lc-bacha-sedp-2021-2025", "lc-bacha-sedp-2022"]
    cross = {(f["rule"], f["entity"]["id"]) for f in district["cross_plan_findings"]}
    # the annual plan phased from the five-year one: seen only when both are checked
    assert cross == {("PH-02N", "O2.T2"), ("LNK-02", "lc-bacha-sedp-2021-2025")}
    page = client.get("/cycles/lc-bacha-sedp-2021-2025")
    assert page.status_code == 200 and "PH-02N" in page.text
    client.cookies.clear()


def test_an_uploaded_rule_pack_is_used_and_a_bad_one_is_located(client, tmp_path):
    plan = EXAMPLES / "flawed" / "smart-m-b-no-unit-no-baseline.yaml"
    pack = io.BytesIO()
    with zipfile.ZipFile(pack, "w") as z:
        for path in sorted((EXAMPLES / "packs" / "lao-cai").rglob("*")):
            if path.is_file():
                z.write(path, f"lao-cai/{path.relative_to(EXAMPLES / 'packs' / 'lao-cai')}")
        z.writestr("../../../lc-99.rules", "# a member's folders are dropped\n")
    client.cookies.clear()
    r = client.post("/api/submissions", files={"file": (plan.name, plan.read_bytes()),
                                               "pack": ("lao-cai.zip", pack.getvalue())})
    assert r.status_code == 201, r.text
    severities = {f["rule"]: f["severity"] for f in r.json()["findings"]}
    assert severities["SMART-B"] == "error"  # the province's pack: warning made error
    assert upload(client, plan).json()["counts"]["warning"] == 1  # the bundled pack
    data = client.app.state.desk.settings.data
    assert not list(data.parent.rglob("lc-99.rules"))[1:]  # only inside the unpacked pack
    assert all(p.parent.parent == data / "packs" for p in data.parent.rglob("lc-99.rules"))
    bad = client.post("/api/submissions", files={"file": ("p.yaml", GOOD_YAML.read_bytes()),
                                                 "pack": ("x.rules", b"rule X-1 {{{")})
    problems = bad.json()["problems"]
    assert bad.json()["state"] == "invalid" and problems and problems[0]["line"] == 1


def test_a_request_larger_than_the_cap_is_refused_before_it_is_read(tmp_path):
    app = create_app(Settings(data=tmp_path, max_upload=MB, max_request=MB))
    client = TestClient(app)  # no lifespan: nothing is checked, no worker starts
    r = client.post("/api/submissions", files={"file": ("big.yaml", b"#" * (2 * MB))})
    assert r.status_code == 413 and "giới hạn 1 MB" in r.json()["detail"]
    assert list((tmp_path / "blobs").rglob("*")) == []


def test_serve_refuses_other_hosts_without_a_login_and_a_bad_auth_file(cli, tmp_path,
                                                                        monkeypatch):
    monkeypatch.delenv("PLANCHECK_DESK_TOKEN", raising=False)
    code, _, err = cli("serve", "--host", "0.0.0.0", "--data", tmp_path)
    assert code == 2 and "--auth" in err
    bad = tmp_path / "auth.toml"
    bad.write_text('token = "short"\nfoo = 1\n', encoding="utf-8")
    code, _, err = cli("serve", "--auth", bad, "--data", tmp_path)
    assert code == 2 and "auth.toml" in err and "'foo'" in err and "16" in err


def test_a_word_plan_is_checked_and_its_annotated_copy_is_a_word_document(client, tmp_path):
    import docx
    from test_docx import OUTPUT, TITLE
    from test_xlsx_helpers import make_docx

    path = make_docx(tmp_path / "Kế hoạch Bảo Thắng.docx", OUTPUT, title=TITLE)
    body = upload(client, path).json()
    assert body["state"] == "done" and body["counts"]["error"] >= 1, body
    assert any(f["rule"] == "FR-01" for f in body["findings"])
    r = client.get(f"/api/submissions/{body['id']}/annotated")
    assert r.status_code == 200 and "annotated.docx" in r.headers["content-disposition"]
    copy = docx.Document(io.BytesIO(r.content))
    assert any(c.text.startswith("[lỗi] FR-01") for c in copy.comments)
    page = client.get(f"/submissions/{body['id']}").text
    assert "tài liệu có chú thích" in page
    client.cookies.clear()
