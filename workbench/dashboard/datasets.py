"""Each dashboard dataset three ways from the same figures: a chart for Chart.js (drawn
in the browser from JSON in the page), a table of its numbers, and a CSV download."""

from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.text import slugify

from workbench.spreadsheets import BYTE_ORDER_MARK, SafeWriter

from .metrics import STATUSES

STATUS_COLOURS = {
    "new": "#98a2b3",
    "drafted": "#60a5fa",
    "translated": "#f59e0b",
    "approved": "#16a34a",
    "rejected": "#dc2626",
}
PERSON_COLOURS = ["#1d4ed8", "#c2410c", "#7c3aed", "#0f766e", "#be185d", "#4d7c0f", "#0369a1"]


@dataclass
class Table:
    name: str
    columns: list
    rows: list

    def csv_response(self, project):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"{project.slug}-{slugify(self.name)}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        # A byte order mark, so Excel reads the Chinese titles as UTF-8.
        response.write(BYTE_ORDER_MARK)
        writer = SafeWriter(response)
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return response


def _money(value, places=2):
    return None if value is None else round(float(value), places)


# Progress ------------------------------------------------------------------------------


def progress_table(overview):
    columns = ["document", "due_date", "projected_finish", "overdue", "at_risk", "no_pace_yet"]
    columns += [f"{status}_segments" for status in STATUSES]
    columns += [f"{status}_words" for status in STATUSES]
    columns += ["words_left_to_approve", "percent_approved"]
    rows = [
        [
            progress.title,
            progress.due_date,
            progress.projected_finish,
            progress.overdue,
            progress.at_risk,
            progress.no_pace,
            *(progress.segments[status] for status in STATUSES),
            *(progress.words[status] for status in STATUSES),
            progress.remaining_words,
            progress.percent_approved,
        ]
        for progress in [*overview.documents, overview.total]
    ]
    return Table("progress", columns, rows)


def _flagged(progress):
    if progress.overdue:
        return f"{progress.title} (overdue)"
    if progress.at_risk:
        return f"{progress.title} (at risk)"
    return progress.title


def progress_chart(overview):
    """Share of each document's words in each status, the whole project first."""
    bars = [overview.total, *overview.documents]
    return {
        "type": "bar",
        "horizontal": True,
        "stacked": True,
        "percent": True,
        "labels": [_flagged(bar) for bar in bars],
        "datasets": [
            {
                "label": status.capitalize(),
                "colour": STATUS_COLOURS[status],
                "data": [
                    round(100 * bar.words[status] / bar.total_words, 1) if bar.total_words else 0
                    for bar in bars
                ],
                "words": [bar.words[status] for bar in bars],
            }
            for status in STATUSES
        ],
    }


# People --------------------------------------------------------------------------------


def people_table(people):
    columns = [
        "person",
        "period_start",
        "words_translated",
        "words_approved",
        "seconds_per_segment",
        "machine_offered",
        "machine_accepted_unchanged",
    ]
    rows = [
        [
            row["person"],
            row["period_start"],
            row["words_translated"],
            row["words_approved"],
            row["seconds_per_segment"],
            row["machine_offered"],
            row["machine_accepted"],
        ]
        for row in people["series"]
    ]
    return Table(f"people-per-{people['period']}", columns, rows)


def people_chart(people):
    """Words translated and approved per person in each day or week: one bar stacked by
    person for translated words, one for approved words."""
    periods = people["periods"]
    index = {period: n for n, period in enumerate(periods)}
    names = sorted({row["person"] for row in people["series"]})
    datasets = []
    for n, name in enumerate(names):
        colour = PERSON_COLOURS[n % len(PERSON_COLOURS)]
        for key, stack, label in (
            ("words_translated", "translated", "translated"),
            ("words_approved", "approved", "approved"),
        ):
            data = [0] * len(periods)
            for row in people["series"]:
                if row["person"] == name and row["period_start"] in index:
                    data[index[row["period_start"]]] += row[key]
            datasets.append(
                {
                    "label": f"{name} · {label}",
                    "colour": colour,
                    "stack": stack,
                    "faded": stack == "approved",
                    "data": data,
                }
            )
    fmt = "%d %b" if people["period"] == "day" else "wk %d %b"
    return {
        "type": "bar",
        "stacked": True,
        "labels": [period.strftime(fmt) for period in periods],
        "datasets": datasets,
        "yTitle": "words",
    }


def acceptance_table(acceptance):
    columns = [
        "person",
        "last_week_percent_unchanged",
        "last_week_machine_offered",
        "this_week_percent_unchanged",
        "this_week_machine_offered",
    ]
    rows = [
        [
            row["person"],
            row["last_week"],
            row["last_week_offered"],
            row["this_week"],
            row["this_week_offered"],
        ]
        for row in [*acceptance["people"], {"person": "Team", **acceptance["team"]}]
    ]
    return Table("machine-text-accepted", columns, rows)


def acceptance_chart(acceptance):
    rows = [{"person": "Whole team", **acceptance["team"]}, *acceptance["people"]]
    return {
        "type": "bar",
        "percent": True,
        "labels": [row["person"] for row in rows],
        "datasets": [
            {
                "label": f"Last week (from {acceptance['last_week']:%d %b})",
                "colour": "#98a2b3",
                "data": [row["last_week"] for row in rows],
            },
            {
                "label": f"This week (from {acceptance['this_week']:%d %b})",
                "colour": "#1d4ed8",
                "data": [row["this_week"] for row in rows],
            },
        ],
        "yTitle": "% of machine text signed off unchanged",
    }


# Agents --------------------------------------------------------------------------------


def agents_table(agents):
    columns = [
        "model",
        "role",
        "calls",
        "failures",
        "tokens_in",
        "tokens_out",
        "mean_latency_ms",
        "usd_per_million_in",
        "usd_per_million_out",
        "estimated_cost_usd",
    ]
    rows = [
        [
            row["model"],
            row["role"],
            row["calls"],
            row["failures"],
            row["tokens_in"],
            row["tokens_out"],
            row["mean_latency_ms"],
            _money(row["price_in"], 4),
            _money(row["price_out"], 4),
            _money(row["cost"], 4),
        ]
        for row in agents["rows"]
    ]
    return Table("agents", columns, rows)


def agents_chart(agents):
    rows = agents["rows"]
    return {
        "type": "bar",
        "horizontal": True,
        "labels": [f"{row['model']} · {row['role']}" for row in rows],
        "datasets": [
            {
                "label": "Estimated cost (US$)",
                "colour": "#7c3aed",
                "data": [_money(row["cost"], 4) or 0 for row in rows],
            }
        ],
        "money": True,
    }


# Learning ------------------------------------------------------------------------------

LEARNING_MEASURES = {
    "acceptance_rate": "Accepted unchanged (share)",
    "mean_edit_distance": "Mean edit distance",
    "mean_hter": "Mean HTER",
}


def learning_table(rows):
    columns = [
        "period_start",
        "agent_role",
        "model",
        "prompt_version",
        "corrections",
        "accepted_unchanged",
        "acceptance_rate",
        "mean_edit_distance",
        "mean_hter",
    ]
    return Table("learning", columns, [[row.get(c) for c in columns] for row in rows])


def learning_charts(rows):
    """One line per agent role · model · prompt version for each measure, week by week, so
    a new prompt or model shows as a new line that is better or worse than the old."""
    weeks = sorted({row["period_start"] for row in rows})
    keys = sorted({(row["agent_role"], row["model"], row["prompt_version"]) for row in rows})
    charts = {}
    for measure in LEARNING_MEASURES:
        datasets = []
        for n, key in enumerate(keys):
            values = {
                row["period_start"]: row[measure]
                for row in rows
                if (row["agent_role"], row["model"], row["prompt_version"]) == key
            }
            datasets.append(
                {
                    "label": " · ".join(key),
                    "colour": PERSON_COLOURS[n % len(PERSON_COLOURS)],
                    "data": [_money(values.get(week), 3) for week in weeks],
                }
            )
        charts[measure] = {
            "type": "line",
            "labels": [f"{week:%d %b}" for week in weeks],
            "datasets": datasets,
            "yTitle": LEARNING_MEASURES[measure],
        }
    return charts


# Activity ------------------------------------------------------------------------------


def activity_table(rows):
    columns = ["at", "kind", "person", "document", "what"]
    return Table(
        "activity",
        columns,
        [
            [
                row["at"].isoformat(timespec="seconds"),
                row["kind"],
                row["person"],
                row["title"],
                row["detail"],
            ]
            for row in rows
        ],
    )
