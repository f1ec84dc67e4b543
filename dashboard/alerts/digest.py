"""One recipient group's digest, in Chinese: what changed since the last run, with the figures
and links — a plain-text e-mail and a markdown message for group robots. The wording is Chinese
only, as the center's staff read their alerts; the codes are named as the dashboard names them
(dim_code, dashboard/columns.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from dashboard import formats, worklist
from dashboard.alerts.evaluate import Change, Evaluation
from dashboard.columns import local_codes

ITEMS_LISTED = 20  # per rule; the rest are one click away on the worklist
WEBHOOK_MAX_BYTES = 4000  # WeCom's markdown content takes 4096 bytes at most
STATE_ZH = {
    "late": "新超期",
    "due": "即将到期",
    "watch": "接近目标",
    "alert": "未达标",
    "none": "无数据",
}
KPI_ZH = {
    "takedown_within_2wd_share": "2个工作日内下架率",
    "opinion_within_2wd_share": "侵权判定咨询意见2个工作日内出具率",
}


@dataclass(frozen=True)
class Digest:
    group: str
    subject: str
    text: str  # the e-mail
    markdown: str  # the group robots' message
    items: int  # changes announced

    def webhook_body(self) -> str:
        """A JSON body both robots accept: msgtype markdown; WeCom reads markdown.content,
        DingTalk markdown.title and markdown.text (each ignores the other's keys)."""
        content = self.markdown
        while len(content.encode("utf-8")) > WEBHOOK_MAX_BYTES:
            content = content[: int(len(content) * 0.9)] + "\n……（完整内容见督办清单）"
        body = {
            "msgtype": "markdown",
            "markdown": {"title": self.subject, "content": content, "text": content},
        }
        return json.dumps(body, ensure_ascii=False)


def _item_line(row: dict, codes: dict[str, dict[str, str]]) -> str:
    where = [
        codes.get(domain, {}).get(row[column], row[column])
        for column, domain in (
            ("platform", "platform"),
            ("complainant_park", "location"),
            ("partner_region", "region"),
        )
        if row.get(column)
    ]
    provisional = "（暂定）" if row.get("age_is_provisional") else ""
    age = f"已用时 {row['age_workdays']} 个工作日{provisional}"
    if row["item_kind"] == "case_open":  # its threshold is in calendar days
        age = f"已受理 {row['age_days']} 天（{row['age_workdays']} 个工作日{provisional}）"
    return (
        f"{row['item_id']}"
        + (f" · {'、'.join(where)}" if where else "")
        + f" · {age} · 到期日 {row['due_on']}"
    )


def build(
    group: str, changes: list[Change], found: Evaluation, codes: dict[str, dict[str, str]]
) -> Digest:
    """The digest of `changes` (all of one group's rules) on the evaluation's day."""
    base = worklist.base_url()
    kinds = local_codes("zh")["worklist_kind"]
    by_rule: dict[str, list[Change]] = {}
    for change in changes:
        by_rule.setdefault(change.rule.name, []).append(change)
    late = sum(1 for c in changes if c.now == "late")
    subject = f"【督办提醒】数据截至 {found.as_of}：{len(changes)} 项状态变化" + (
        f"，其中新超期 {late} 项" if late else ""
    )
    text = [f"知识产权保护中心督办提醒（数据截至 {found.as_of}，数据快照 {found.snapshot}）", ""]
    md = [f"### {subject}", ""]
    for found_changes in by_rule.values():
        rule = found_changes[0].rule
        if rule.kind == "worklist":
            totals = found.totals.get(rule.subject, {})
            counts = "，".join(
                f"{STATE_ZH[s]} {sum(1 for c in found_changes if c.now == s)} 项"
                for s in rule.states
                if any(c.now == s for c in found_changes)
            )
            now = f"当前共超期 {totals.get('late', 0)} 项，即将到期 {totals.get('due', 0)} 项"
            head = f"{kinds[rule.subject]}：{counts}（{now}）"
            text.append(f"■ {head}")
            md.append(f"**{head}**")
            shown = sorted(found_changes, key=lambda c: -(c.facts.get("workdays_past_due") or 0))
            for i, change in enumerate(shown[:ITEMS_LISTED], 1):
                line = _item_line(change.facts, codes)
                text.append(f"  {i}. {line}\n     记录：{change.facts['record_link']}")
                md.append(f"> {i}. {line} [查看]({change.facts['record_link']})")
            if len(shown) > ITEMS_LISTED:
                more = f"另有 {len(shown) - ITEMS_LISTED} 项，见督办清单"
                text.append(f"  ……{more}")
                md.append(f"> ……{more}")
        else:
            for change in found_changes:
                period = formats.period_label(found.period, "zh")
                value = change.facts["value"]
                shown_value = formats.share(value) if value is not None else "无数据"
                head = (
                    f"{KPI_ZH.get(rule.subject, rule.subject)}（{period}）：{shown_value}，"
                    f"目标 {formats.share(change.facts['target'], 0)}（{STATE_ZH[change.now]}）"
                )
                link = f"{base}/?period=quarter&q={change.key}"
                text += [f"■ {head}", f"  详情：{link}"]
                md.append(f"**{head}** [查看]({link})")
        text.append("")
        md.append("")
    cleared = sum(n for name, n in found.cleared.items() if name in by_rule)
    if cleared:
        text.append(f"自上次提醒以来已办结或解除 {cleared} 项。")
    text += [
        f"督办清单：{base}/worklist",
        "",
        "本提醒由 ipgov alerts 自动发送；同一事项仅在状态变化时提醒一次。",
    ]
    md.append(f"[打开督办清单]({base}/worklist)")
    return Digest(group, subject, "\n".join(text), "\n".join(md), len(changes))
