"""`ipgov alerts run` against a real SMTP server (aiosmtpd on 127.0.0.1) and a local HTTP server
standing in for a WeCom / DingTalk group robot: the right items, once, in Chinese; a second run
sends nothing new; a server that refuses is retried on the next run and shown."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import http.server
import json
import shutil
import socket
import threading
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from typer.testing import CliRunner

from dashboard.access import audit
from dashboard.alerts import store
from dashboard.cli import app
from etl import appdb, warehouse
from etl.errors import IpgovError
from tests.test_worklist import expected

AS_OF = dt.date(2026, 9, 30)  # the sample's last day
DEADLINES = {
    "takedown_workdays": 2,
    "opinion_workdays": 2,
    "case_open_days": 90,
    "referral_workdays": 30,
    "near_workdays": 1,
}
TO = "duban@ipc.example.gov.cn"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """aiosmtpd handler: keeps every message; answers 550 to the addresses in `refuse`."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()
        self.tried: list[str] = []  # every recipient the server was asked to take

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.tried.append(address)
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


class Robot(http.server.BaseHTTPRequestHandler):
    """A group robot: keeps every JSON body, answers the server's `status` as WeCom does."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.bodies.append(json.loads(body))
        status = self.server.status
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        answer = {"errcode": 0, "errmsg": "ok"} if status == 200 else {"errcode": -1}
        self.wfile.write(json.dumps(answer).encode())

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def inbox():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


@pytest.fixture
def robot():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Robot)
    server.bodies, server.status = [], 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/webhook/send?key=test"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def wh(sample_wh, tmp_path, monkeypatch, inbox, robot) -> warehouse.WarehousePaths:
    """A copy of the scale-1 sample (its own app database), the alerts set to the servers."""
    shutil.copytree(sample_wh.db.parent, tmp_path / "wh")
    paths = warehouse.WarehousePaths(tmp_path / "wh" / sample_wh.db.name)
    for name, value in {
        "DB": str(paths.db),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(inbox.port),
        "SMTP_TLS": "none",
        "ALERT_FROM": "ipgov@ipc.example.gov.cn",
        "ALERT_TO": TO,
        "ALERT_WEBHOOK": robot.url,
        "PUBLIC_URL": "https://ipgov.example.gov.cn",
    }.items():
        monkeypatch.setenv(f"IPGOV_{name}", value)
    return paths


def alerts_run(paths: warehouse.WarehousePaths, *options: str) -> tuple[int, dict]:
    result = CliRunner().invoke(app, ["alerts", "run", "--json", "--db", str(paths.db), *options])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


def late_items(paths: warehouse.WarehousePaths) -> Counter:
    """Late items per kind on the data's last day, counted independently (tests/test_worklist)."""
    with warehouse.read_snapshot(paths) as con:
        items = expected(con, AS_OF, DEADLINES)
    return Counter(kind for (kind, _), (state, *_) in items.items() if state == "late")


def test_first_run_sends_the_late_items_once_in_chinese(wh, inbox, robot):
    code, report = alerts_run(wh)
    assert code == 0, report
    late = late_items(wh)
    assert late == {"takedown_live": 295, "case_open": 3, "referral_unanswered": 2}
    announced = Counter(c["rule"].split(":")[1] for c in report["changes"] if c["now"] == "late")
    assert announced == late
    # both promised shares are below target in 2026Q3 (86.7% < 90%, 85.7% < 95%)
    kpis = {c["rule"]: c["now"] for c in report["changes"] if c["rule"].startswith("kpi:")}
    assert kpis == {
        "kpi:takedown_within_2wd_share": "watch",
        "kpi:opinion_within_2wd_share": "alert",
    }

    (message,) = inbox.messages  # one digest for the one group
    assert message["To"] == TO
    assert (
        message["Subject"] == "【督办提醒】数据截至 2026-09-30：302 项状态变化，其中新超期 300 项"
    )
    text = message.get_content()
    assert "下架通知超时未下架：新超期 295 项（当前共超期 295 项，即将到期 2 项）" in text
    assert "案件超期未结：新超期 3 项" in text
    assert "协作方超时未办结：新超期 2 项" in text
    assert "2个工作日内下架率（2026年第三季度）：86.7%，目标 90%（接近目标）" in text
    # the most overdue notice first, with its platform, age and a link to its record
    assert "1. TD2022-000005 · 京东 · 已用时 1182 个工作日 · 到期日 2022-01-06" in text
    link = "https://ipgov.example.gov.cn/takedowns?period=custom&from=2022-01-04&to=2022-01-04"
    assert link in text
    assert "https://ipgov.example.gov.cn/worklist" in text
    assert "另有 275 项，见督办清单" in text  # 20 listed of 295

    (body,) = robot.bodies
    assert body["msgtype"] == "markdown"
    content = body["markdown"]["content"]
    assert content == body["markdown"]["text"]  # WeCom reads content, DingTalk text
    assert body["markdown"]["title"] == message["Subject"]
    assert "下架通知超时未下架：新超期 295 项" in content
    assert len(content.encode()) <= 4096

    sends = store.sends(wh)
    assert sorted((s.channel, s.status, s.attempts) for s in sends) == [
        ("email", "sent", 1),
        ("webhook", "sent", 1),
    ]
    trail = audit.entries(wh, action="alert_send")
    assert sorted((e.target, e.outcome) for e in trail) == [
        (f"email:{TO}", "ok"),
        (f"webhook:{robot.url}", "ok"),
    ]

    # the second run finds nothing new: nothing sent, nothing recorded
    code, again = alerts_run(wh)
    assert (code, again["changes"], again["sends"]) == (0, [], [])
    assert len(inbox.messages) == 1 and len(robot.bodies) == 1
    assert len(store.sends(wh)) == 2


def test_a_refusing_server_is_retried_next_run_and_shown(wh, inbox, robot):
    inbox.refuse.add(TO)
    robot.status = 500
    code, report = alerts_run(wh)
    assert code == 1, "a failed send fails the run (cron mails it)"
    errors = sorted(
        (s["channel"], s["status"], s["error_kind"], s["error"], s["error_zh"])
        for s in report["sends"]
    )
    assert errors == [
        ("email", "failed", "rejected", "The server refused it: SMTP 550 5.1.1 mailbox unavailable",
         "服务器拒收：SMTP 550 5.1.1 mailbox unavailable"),
        ("webhook", "failed", "rejected", "The server refused it: HTTP 500 Internal Server Error",
         "服务器拒收：HTTP 500 Internal Server Error"),
    ]  # fmt: skip
    assert not inbox.messages
    stored = {s.channel: s for s in store.sends(wh)}
    assert stored["email"].last_error == "SMTP 550 5.1.1 mailbox unavailable"  # the server's words
    assert {(s.status, s.error_kind) for s in stored.values()} == {("failed", "rejected")}

    # the servers take mail again: the same digests go out, once, and nothing new is built
    inbox.refuse.clear()
    robot.status = 200
    code, retry = alerts_run(wh)
    assert code == 0
    assert retry["changes"] == []
    assert sorted(
        (s["channel"], s["status"], s["attempt"], s["retry"]) for s in retry["sends"]
    ) == [
        ("email", "sent", 2, True),
        ("webhook", "sent", 2, True),
    ]
    (message,) = inbox.messages
    assert message.get_content().rstrip("\n") == stored["email"].body
    assert robot.bodies[-1] == json.loads(stored["webhook"].body)
    code, third = alerts_run(wh)
    assert (third["changes"], third["sends"], len(inbox.messages)) == ([], [], 1)


def test_a_send_that_keeps_failing_is_given_up_until_requeued(wh, inbox, robot, monkeypatch):
    monkeypatch.setenv("IPGOV_ALERT_MAX_ATTEMPTS", "3")
    inbox.refuse.add(TO)
    robot.status = 500
    for attempt in (1, 2, 3):
        code, report = alerts_run(wh)
        assert code == 1
        assert sorted((s["channel"], s["attempt"], s["given_up"]) for s in report["sends"]) == [
            ("email", attempt, attempt == 3),
            ("webhook", attempt, attempt == 3),
        ]
    assert report["max_attempts"] == 3
    given_up = {g["channel"]: g for g in report["given_up"]}
    assert sorted((c, g["attempts"], g["error_kind"]) for c, g in given_up.items()) == [
        ("email", 3, "rejected"),
        ("webhook", 3, "rejected"),
    ]
    assert given_up["email"]["error_zh"] == "服务器拒收：SMTP 550 5.1.1 mailbox unavailable"
    assert {(s.status, s.attempts) for s in store.sends(wh)} == {("given_up", 3)}
    assert store.unsent(wh) == []

    # the fourth run does not try again, succeeds, and still reports them
    code, fourth = alerts_run(wh)
    assert (code, fourth["sends"], len(fourth["given_up"])) == (0, [], 2)
    assert (len(inbox.tried), len(robot.bodies)) == (3, 3), "three attempts each, no more"
    assert len(audit.entries(wh, action="alert_send")) == 6
    result = CliRunner().invoke(app, ["alerts", "run", "--db", str(wh.db)])  # as cron sees it
    assert result.exit_code == 0
    assert "2 send(s) given up (failed IPGOV_ALERT_MAX_ATTEMPTS=3 runs in a row)" in result.stderr

    # the mailbox is back; an admin re-queues the e-mail: the next run delivers it, once
    inbox.refuse.clear()
    email_id = given_up["email"]["id"]
    requeued = store.requeue(wh, email_id, "admin")
    assert (requeued.status, requeued.requeued_by, requeued.round_attempts) == (
        "pending",
        "admin",
        0,
    )
    with pytest.raises(IpgovError, match="is not given up"):
        store.requeue(wh, email_id, "admin")  # in the queue already
    code, fifth = alerts_run(wh)
    assert code == 0
    assert [(s["channel"], s["attempt"], s["status"]) for s in fifth["sends"]] == [
        ("email", 4, "sent")
    ]
    assert [g["channel"] for g in fifth["given_up"]] == ["webhook"]
    (message,) = inbox.messages
    assert message["To"] == TO
    code, sixth = alerts_run(wh)
    assert (sixth["sends"], len(inbox.messages)) == ([], 1)

    # a re-queue gives as many attempts again: the robot still refuses, three more runs
    store.requeue(wh, given_up["webhook"]["id"], "admin")
    for attempt in (4, 5, 6):
        code, report = alerts_run(wh)
        assert [(s["attempt"], s["given_up"]) for s in report["sends"]] == [(attempt, attempt == 6)]
    code, report = alerts_run(wh)
    assert report["sends"] == [] and len(robot.bodies) == 6


def test_a_lowered_cap_gives_up_without_another_attempt(wh, inbox, robot, monkeypatch):
    inbox.refuse.add(TO)
    robot.status = 500
    for _ in range(2):
        alerts_run(wh)
    monkeypatch.setenv("IPGOV_ALERT_MAX_ATTEMPTS", "2")
    code, report = alerts_run(wh)
    assert (code, report["sends"], len(report["given_up"])) == (0, [], 2)
    assert (len(inbox.tried), len(robot.bodies)) == (2, 2)


def test_each_state_change_is_announced_once(wh, inbox, robot):
    alerts_run(wh)
    # an admin has the takedown rule announce notices due soon too: the two due on the last
    # day are announced, once; the 295 late ones were announced already
    store.save_rule(wh, "worklist:takedown_live", ("late", "due"), "default", True, "admin")
    code, report = alerts_run(wh)
    assert code == 0
    assert sorted((c["key"], c["before"], c["now"]) for c in report["changes"]) == [
        ("TD2026-001719", None, "due"),
        ("TD2026-001728", None, "due"),
    ]
    assert inbox.messages[-1]["Subject"] == "【督办提醒】数据截至 2026-09-30：2 项状态变化"
    assert "下架通知超时未下架：即将到期 2 项" in inbox.messages[-1].get_content()
    code, again = alerts_run(wh)
    assert again["changes"] == [] and len(inbox.messages) == 2
    # a shorter deadline makes the two due notices late: a state change, announced
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IPGOV_DEADLINE_TAKEDOWN_WORKDAYS", "1")
        code, report = alerts_run(wh)
    moved = sorted((c["key"], c["before"], c["now"]) for c in report["changes"])
    assert ("TD2026-001719", "due", "late") in moved and ("TD2026-001728", "due", "late") in moved


def test_dry_run_stores_and_sends_nothing(wh, inbox, robot):
    code, report = alerts_run(wh, "--dry-run")
    assert code == 0 and report["dry_run"]
    (digest,) = report["digests"]
    assert digest["items"] == 302 and "新超期 295 项" in digest["text"]
    assert (inbox.messages, robot.bodies, report["sends"]) == ([], [], [])
    assert store.sends(wh) == [] and store.states(wh) == {}
    code, real = alerts_run(wh)
    assert len(real["changes"]) == 302  # the dry run announced nothing


def test_a_group_without_recipients_keeps_its_changes(wh, inbox, robot, monkeypatch):
    monkeypatch.setenv("IPGOV_ALERT_TO", "")
    monkeypatch.setenv("IPGOV_ALERT_WEBHOOK", "")
    code, report = alerts_run(wh)
    assert (code, report["groups_without_recipients"], report["sends"]) == (0, ["default"], [])
    store.add_recipient(wh, "default", "email", "li@ipc.example.gov.cn", "admin")
    code, report = alerts_run(wh)
    assert len(report["changes"]) == 302
    (message,) = inbox.messages
    assert message["To"] == "li@ipc.example.gov.cn"


def test_an_older_app_database_gets_the_alert_tables(tmp_path):
    """The tables are new: an app database made before them gains them on its next connect."""
    import sqlite3

    db = tmp_path / "wh" / "warehouse.duckdb"
    paths = warehouse.WarehousePaths(db)
    Path(paths.app_db).parent.mkdir(parents=True)
    with sqlite3.connect(paths.app_db) as con:
        con.executescript(appdb.SCHEMA.replace(appdb.ALERTS_DDL, ""))
    assert [r.name for r in store.rules(paths)] == sorted(r.name for r in store.default_rules())
    with sqlite3.connect(paths.app_db) as con:
        tables = {r[0] for r in con.execute("select name from sqlite_master where type = 'table'")}
    assert {"alert_rules", "alert_recipients", "alert_states", "alert_sends"} <= tables


def test_alert_sends_made_before_the_retry_cap_gain_its_columns(tmp_path):
    """An app database whose alert_sends predates the cap (and the failure kinds) gains the
    columns on its next connect; a failed send in it is retried, with a full set of attempts."""
    import sqlite3

    paths = warehouse.WarehousePaths(tmp_path / "wh" / "warehouse.duckdb")
    Path(paths.app_db).parent.mkdir(parents=True)
    first = """
    create table alert_sends (
        id integer primary key autoincrement, created_at text not null,
        recipient_group text not null, channel text not null, address text not null,
        subject text not null, body text not null, items integer not null,
        status text not null check (status in ('pending', 'sent', 'failed')),
        attempts integer not null default 0, last_error text, last_attempt_at text,
        sent_at text
    );"""  # as the first alerts release made it
    with sqlite3.connect(paths.app_db) as con:
        con.executescript(appdb.SCHEMA.replace(appdb.ALERTS_DDL, "") + first)
        assert "error_kind" not in {r[1] for r in con.execute("pragma table_info(alert_sends)")}
        con.execute(
            "insert into alert_sends (created_at, recipient_group, channel, address, subject,"
            " body, items, status, attempts, last_error) values ('2026-10-01T08:30:00+00:00',"
            " 'default', 'email', 'a@ipc.example.gov.cn', 's', 'b', 1, 'failed', 7,"
            " 'SMTP 550 no')"
        )
    (send,) = store.unsent(paths)  # 7 attempts before any cap existed: still in the queue
    assert (send.status, send.error_kind, send.round_attempts, send.given_up_at) == (
        "failed",
        None,
        7,
        None,
    )
    with sqlite3.connect(paths.app_db) as con:
        columns = {r[1] for r in con.execute("pragma table_info(alert_sends)")}
    assert {"error_kind", "attempts_at_requeue", "given_up_at", "requeued_by"} <= columns


# --- the Alerts page -------------------------------------------------------------------------


def alerts_page(monkeypatch, paths: warehouse.WarehousePaths, lang: str, role: str):
    from tests.test_pages import run_page

    return run_page(monkeypatch, paths.db, "alerts", lang, role=role)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_shows_a_failed_send_to_an_analyst(wh, inbox, robot, monkeypatch, lang):
    from dashboard.columns import COLUMNS
    from dashboard.i18n import t

    inbox.refuse.add(TO)
    alerts_run(wh)
    at = alerts_page(monkeypatch, wh, lang, "analyst")
    assert not at.exception, at.exception
    assert at.title[0].value == t("page_alerts", lang)
    error = t("alert_error_rejected", lang, detail="`SMTP 550 5.1.1 mailbox unavailable`")
    assert [e.value for e in at.error] == [t("alerts_failed", lang, n=1, error=error)]
    sends, rules, recipients = at.dataframe
    shown = sends.value
    outcome = COLUMNS["alert_status"].header(lang)
    failed = "发送失败" if lang == "zh" else "Failed"
    sent = "已发送" if lang == "zh" else "Sent"
    assert sorted(shown[outcome]) == sorted([failed, sent])
    assert len(rules.value) == 6 and len(recipients.value) == 2
    assert t("alerts_save", lang) not in [b.label for b in at.button], "only an admin edits"
    assert not at.text_input


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_shows_given_up_sends_apart_and_an_admin_requeues_one(
    wh, inbox, robot, monkeypatch, lang
):
    from dashboard.i18n import t
    from tests.test_pages import h

    monkeypatch.setenv("IPGOV_ALERT_MAX_ATTEMPTS", "2")
    robot.status = 500  # the e-mail goes out, the webhook fails twice and is given up
    alerts_run(wh)
    alerts_run(wh)
    (webhook,) = store.given_up(wh)

    at = alerts_page(monkeypatch, wh, lang, "analyst")
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader][:2] == [
        t("alerts_given_up_title", lang),
        t("alerts_sends", lang),
    ]
    error = t("alert_error_rejected", lang, detail="`HTTP 500 Internal Server Error`")
    assert [e.value for e in at.error] == [t("alerts_given_up", lang, n=1, attempts=2, error=error)]
    given_up, sends = at.dataframe[0].value, at.dataframe[1].value
    assert list(given_up[h("alert_send_id", lang)]) == [webhook.id]
    assert list(given_up[h("alert_error_kind", lang)]) == [
        "服务器拒收" if lang == "zh" else "Refused"
    ]
    assert sorted(sends[h("alert_status", lang)]) == sorted(
        ["已放弃重试", "已发送"] if lang == "zh" else ["Given up", "Sent"]
    )
    assert t("alerts_requeue", lang) not in [b.label for b in at.button], "only an admin"

    at = alerts_page(monkeypatch, wh, lang, "admin")
    assert at.selectbox(key="alert_requeue_pick").value == webhook.id
    next(b for b in at.button if b.label == t("alerts_requeue", lang)).click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [t("alerts_requeued", lang)]
    assert not at.error, "nothing is given up any more"
    assert t("alerts_given_up_title", lang) not in [s.value for s in at.subheader]
    assert store.given_up(wh) == []
    (entry,) = audit.entries(wh, action="alert_requeue")
    assert (entry.actor, entry.target, entry.detail["send_id"]) == (
        "test-admin",
        f"webhook:{robot.url}",
        webhook.id,
    )

    # the robot is fixed: the next run delivers the re-queued digest, once
    robot.status = 200
    code, report = alerts_run(wh)
    assert code == 0
    assert [(s["id"], s["attempt"], s["status"]) for s in report["sends"]] == [
        (webhook.id, 3, "sent")
    ]
    assert robot.bodies[-1] == json.loads(webhook.body) and len(robot.bodies) == 3
    code, report = alerts_run(wh)
    assert report["sends"] == [] and len(robot.bodies) == 3


def test_admin_edits_a_rule_and_a_recipient_audited(wh, monkeypatch):
    at = alerts_page(monkeypatch, wh, "zh", "admin")
    assert not at.exception, at.exception
    at.selectbox(key="alert_rule_name").set_value("worklist:case_open").run()
    at.multiselect(key="alert_rule_states_worklist:case_open").set_value(["late", "due"])
    at.text_input(key="alert_rule_group_worklist:case_open").set_value("领导")
    save = next(b for b in at.button if b.label == "保存规则")
    save.click().run()
    assert not at.exception, at.exception
    rule = {r.name: r for r in store.rules(wh)}["worklist:case_open"]
    assert (rule.states, rule.group, rule.updated_by) == (("late", "due"), "领导", "test-admin")
    (entry,) = audit.entries(wh, action="alert_rule")
    assert (entry.actor, entry.target, entry.detail["group"]) == (
        "test-admin",
        "worklist:case_open",
        "领导",
    )

    at.text_input(key="alert_new_group").set_value("领导")
    at.text_input(key="alert_new_address").set_value("zhuren@ipc.example.gov.cn")
    next(b for b in at.button if b.label == "添加接收人").click().run()
    assert not at.exception, at.exception
    assert ("领导", "email", "zhuren@ipc.example.gov.cn", "test-admin") in {
        (r.group, r.channel, r.address, r.added_by) for r in store.recipients(wh)
    }
    (entry,) = audit.entries(wh, action="alert_recipient")
    assert entry.target == "email:zhuren@ipc.example.gov.cn"
    # a bad address is refused with a message, nothing stored
    at.text_input(key="alert_new_address").set_value("not an address")
    next(b for b in at.button if b.label == "添加接收人").click().run()
    assert len(store.recipients(wh)) == 3


def test_who_may_open_the_alerts_page_and_edit():
    from dashboard.access import roles

    assert [r for r in roles.ROLES if roles.may_open(r, "alerts")] == [
        "analyst",
        "steward",
        "admin",
    ]
    assert [r for r in roles.ROLES if roles.allowed(r, "alert_rules")] == ["admin"]
    assert [r for r in roles.ROLES if roles.may_open(r, "worklist")] == list(roles.ROLES)


def test_a_second_run_at_the_same_time_is_refused(wh, inbox):
    import fcntl

    lock = Path(f"{wh.app_db}.alerts-lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another run holds it
        result = CliRunner().invoke(app, ["alerts", "run", "--db", str(wh.db)])
    assert result.exit_code == 2
    assert "another `ipgov alerts run` is running" in result.stderr
    assert not inbox.messages and store.sends(wh) == []
    code, _ = alerts_run(wh)  # released: the next run goes ahead
    assert code == 0 and len(inbox.messages) == 1


def test_no_data_writes_nothing(tmp_path):
    db = tmp_path / "empty" / "warehouse.duckdb"
    result = CliRunner().invoke(app, ["alerts", "run", "--db", str(db)])
    assert result.exit_code == 2 and "no data loaded yet" in result.stderr
    assert not db.parent.exists()
