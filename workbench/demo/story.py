"""Two weeks of the demo team's work, told through the workbench's own services.

The manager imports the judgments and the glossary, assigns the work and starts the
agents; the agents draft (the recorded runs, played through the real pipeline); the
translator confirms segment after segment, correcting the drafts, accepting or
dismissing the Annotator's issues and asking questions; the reviewer approves in bulk,
sends segments back with reasons and writes lessons; the manager turns a correction the
team keeps making into a glossary entry. What each person writes comes from the
recordings (recordings/); who does what when is the plan below. Every write goes
through the lifecycle and the translation services, exactly as in the editor, and the
rows land on their moment of the two weeks in one step at the end (`Timeline.backdate`).
"""

import datetime
import zlib
from dataclasses import dataclass, field

from django.utils import timezone

from workbench.dashboard.models import ModelPrice
from workbench.documents.lifecycle import CONFIRM, SAVE
from workbench.documents.models import Assignment, Segment
from workbench.feedback.lqa import record_error
from workbench.feedback.models import GlossaryCandidate, Lesson
from workbench.memory.glossary_io import import_glossary
from workbench.translation.models import Annotation, Comment
from workbench.translation.services import (
    do_accept_annotation,
    do_add_comment,
    do_bulk_approve,
    do_dismiss_annotation,
    do_resolve_comment,
    do_save_target,
    do_send_back,
)

from . import DEMO_DIR
from .agent_runs import replay_drafting
from .recordings import normalise, read_recordings, recordings_path
from .replay_model import MODEL, ReplayModel
from .timeline import Timeline

DAYS = 14
GLOSSARY = "hk_legal_glossary.csv"
# What the reviewer records in the quality assessment when sending a segment back: the
# first rule whose word is in the reason gives the error's category and severity.
LQA_RULES = (
    ("Ordinance", "legal_reference", "major"),
    ("Verdict", "terminology", "major"),
    ("Titles", "locale", "minor"),
    ("Quote", "terminology", "minor"),
)
LQA_OTHERWISE = ("mistranslation", "major")
# How far the team has got with each document: the agents' first job drafts segments
# 1..draft, the translator confirms 1..confirm and the reviewer signs off 1..approve.
PROGRESS = {
    "hk_judgment_facc_2024.docx": (236, 205, 165),
    "hkca_judgment_2023_extract.txt": (17, 17, 17),
    "zh_judgment_excerpt.txt": (41, 32, 20),
}
# The demo model is priced like the model it stands in for, so its cost has a shape.
DEMO_PRICE = (0.40, 1.60)
LESSONS = [
    (2, "reviewer", "Refer to the Court itself as 本院 (“this Court”, “the Court”), never 本法院."),
    (3, "reviewer", "The District Court's “Reasons for Verdict” is 裁決理由書, not 判決理由."),
    (
        4,
        "manager",
        "Cite ordinances as 《有組織及嚴重罪行條例》（第455章）第25(1)條: the title in 《》, the "
        "chapter in full-width brackets, the section last.",
    ),
    (6, "reviewer", "“Cross-examination” is 盤問 in Hong Kong courts, not 交叉詢問."),
]


class RecordingsOutOfStep(Exception):
    """The recordings no longer fit a demo document (its segmentation changed)."""


@dataclass
class Work:
    """One demo document, its recordings and how far the team gets with it."""

    document: object
    recordings: list
    draft_until: int
    confirm_until: int
    approve_until: int
    segments: dict = field(default_factory=dict)  # position -> Segment

    def recording(self, position):
        return self.recordings[position - 1]


class DemoStory:
    def __init__(self, hk_project, documents, people, today=None):
        """`documents`: {file name: Document} of the demo; `people`: {username: User}.
        The lessons and the glossary belong to `hk_project`, the EN → ZH project."""
        self.people = people
        self.hk = hk_project
        self.timeline = Timeline()
        self.today = today or timezone.localdate()
        first = self.today - datetime.timedelta(days=DAYS)
        every_day = (first + datetime.timedelta(days=offset) for offset in range(DAYS))
        self.days = [day for day in every_day if day.weekday() < 5]
        self.judgment = self._work(documents["hk_judgment_facc_2024.docx"])
        self.appeal_below = self._work(documents["hkca_judgment_2023_extract.txt"])
        self.verdict = self._work(documents["zh_judgment_excerpt.txt"])
        self.replay = None
        self._confirmed_on = {}  # (document id, position) -> index of the working day
        self._reviewed = {work.document.pk: set() for work in self._works()}
        self._sent_back = []  # (day, work, position) waiting for the translator's fix
        self._replies = []  # (day asked, work, position) of threads to answer

    def _works(self):
        return (self.judgment, self.appeal_below, self.verdict)

    def _work(self, document):
        language = document.project.target_language
        recordings = read_recordings(recordings_path(document.original_filename, language))
        segments = {s.position: s for s in document.segments.all()}
        if [normalise(r.source) for r in recordings] != [
            normalise(segments[position].source) for position in sorted(segments)
        ]:
            raise RecordingsOutOfStep(
                f"The recordings of {document.original_filename} no longer match its "
                f"{len(segments)} segments: the importer cuts it differently now. Correct "
                "recordings/ to match."
            )
        return Work(document, recordings, *PROGRESS[document.original_filename], segments)

    # The story ------------------------------------------------------------------------

    def tell(self):
        """Write the two weeks, then move every row to its moment."""
        last = len(self.days) - 1
        judgment_days = self._share_out(self.judgment, first=1, last=last)
        verdict_days = self._share_out(self.verdict, first=3, last=last - 1)
        with ReplayModel() as replay:
            self.replay = replay
            self._set_up(self.days[0])
            for index in range(1, len(self.days)):
                self._workday(index, judgment_days, verdict_days, last)
        self.timeline.backdate()

    def _set_up(self, day):
        manager = self.people["manager"]
        for work in self._works():
            self.timeline.at_moment(work.document, self._moment(day, 9, 5), "created_at")
        self._at(day, 9, 5)
        ModelPrice.objects.update_or_create(
            model=MODEL,
            defaults={
                "input_per_million": DEMO_PRICE[0],
                "output_per_million": DEMO_PRICE[1],
                "updated_by": manager,
            },
        )
        self._at(day, 9, 10)
        import_glossary(
            self.hk, data=(DEMO_DIR / GLOSSARY).read_bytes(), filename=GLOSSARY, user=manager
        )
        self._at(day, 9, 20)
        self._assign(self.judgment, translate_by=self._from_today(2), review_by=self._from_today(5))
        self._assign(self.appeal_below, translate_by=self.days[2], review_by=self.days[3])
        self._assign(
            self.verdict, translate_by=self._from_today(-2), review_by=self._from_today(-1)
        )
        self._draft(self.appeal_below, day, (9, 30), minutes=2)
        self._draft(
            self.judgment, day, (9, 45), minutes=14, positions=(1, self.judgment.draft_until)
        )

    def _draft(self, work, day, start, *, minutes, positions=None):
        """The manager starts the agents on the document; the job takes `minutes`."""
        moment = self._moment(day, *start)
        self.timeline.now(moment)
        job = replay_drafting(
            work.document, user=self.people["manager"], replay=self.replay, positions=positions
        )
        finished = moment + datetime.timedelta(minutes=minutes)
        self.timeline.at_moment(job, moment + datetime.timedelta(seconds=4), "started_at")
        self.timeline.at_moment(job, finished, "finished_at", "heartbeat_at")

    def _assign(self, work, *, translate_by, review_by):
        """The whole document to the translator and to the reviewer, with due dates."""
        document, manager = work.document, self.people["manager"]
        document.due_date = review_by
        document.save(update_fields=["due_date"])
        for person, role, due in [
            ("translator", Assignment.Role.TRANSLATOR, translate_by),
            ("reviewer", Assignment.Role.REVIEWER, review_by),
        ]:
            document.assign(self.people[person], role=role, by=manager, due_date=due)

    def _share_out(self, work, *, first, last):
        """{day index: positions the translator confirms that day}: 1..confirm_until,
        about the same number of words each working day."""
        positions = list(range(1, work.confirm_until + 1))
        words = [max(1, work.segments[p].word_count) for p in positions]
        total, days, plan, done = sum(words), last - first + 1, {}, 0
        for position, count in zip(positions, words, strict=True):
            plan.setdefault(first + min(days - 1, done * days // total), []).append(position)
            done += count
        return plan

    def _workday(self, index, judgment_days, verdict_days, last):
        day = self.days[index]
        self._read_inbox(day)
        if index == 1:
            self._translate(self.appeal_below, range(1, 18), index, start=(9, 20))
        if index == 2:
            self._review(self.appeal_below, range(1, 18), day, last=False)
            self._draft(self.verdict, day, (11, 0), minutes=3)
        self._answer_threads(day)
        self._confirm_sent_back(day)
        for lesson_day, author, text in LESSONS:
            if lesson_day == index:
                self._at(day, 10, 30)
                Lesson.objects.create(project=self.hk, text=text, author=self.people[author])
        self._decide_candidates(day)
        start = (13, 30) if index == 1 else (9, 50)
        self._translate(self.judgment, judgment_days.get(index, []), index, start=start)
        self._translate(self.verdict, verdict_days.get(index, []), index, start=(16, 10))
        self._review_ready(self.judgment, index, last=index == last)
        self._review_ready(self.verdict, index, last=index == last)
        if index == last:
            self._save_unconfirmed(self.judgment, day)

    # What each person does ------------------------------------------------------------

    def _translate(self, work, positions, index, *, start):
        """The translator confirms these segments one after another, from `start`."""
        translator, day = self.people["translator"], self.days[index]
        clock = self._moment(day, *start)
        self._refresh(work, positions)
        issues = self._open_issues(work, positions)
        for position in positions:
            segment = work.segments[position]
            recording = work.recording(position)
            self._confirmed_on[(work.document.pk, position)] = index
            if segment.status in (Segment.Status.TRANSLATED, Segment.Status.APPROVED):
                continue  # auto-propagation from an identical segment confirmed earlier
            text = recording.confirmed or recording.team
            seconds = self._seconds(segment, text)
            clock += datetime.timedelta(seconds=seconds + 45)
            if clock.hour == 13 and clock.minute < 50:
                clock = clock.replace(hour=14, minute=0)  # lunch
            self.timeline.now(clock)
            self._decide_issues(issues.get(segment.pk, []), recording, text)
            written = do_save_target(
                segment,
                user=translator,
                role="translator",
                text=text,
                base_version=segment.version,
                action=CONFIRM,
                seconds_spent=seconds,
            )
            work.segments[position] = written.segment
            # Auto-propagation gave identical segments the text: take them as they are now.
            twins = set(written.propagated)
            self._refresh(work, [p for p, s in work.segments.items() if s.pk in twins])
            self._open_threads(work, position, recording, day)

    def _open_issues(self, work, positions):
        """{segment id: [open Annotation]} of these segments, in one query."""
        issues = {}
        ids = [work.segments[position].pk for position in positions]
        for issue in Annotation.objects.filter(segment_id__in=ids, status=Annotation.Status.OPEN):
            issues.setdefault(issue.segment_id, []).append(issue)
        return issues

    def _decide_issues(self, issues, recording, text):
        """The translator accepts the Annotator's issues the text fixes and dismisses,
        with the recorded reason, those it keeps."""
        translator = self.people["translator"]
        for issue in issues:
            if issue.span and issue.span not in text:
                do_accept_annotation(issue, user=translator, role="translator", text=text)
            elif recording.dismissed:
                do_dismiss_annotation(
                    issue, user=translator, role="translator", reason=recording.dismissed.text
                )

    def _open_threads(self, work, position, recording, day):
        """A comment or query written while confirming; a comment's thread is answered
        and resolved the next morning, a query stays open."""
        segment = work.segments[position]
        for said in [*recording.comments[:1], *filter(None, [recording.query])]:
            do_add_comment(segment, user=self.people[said.author], role=said.author, text=said.text)
        if recording.comments:
            self._replies.append((day, work, position))

    def _answer_threads(self, day):
        """Questions asked on earlier days get their answers, and are resolved."""
        due = [(work, position) for asked, work, position in self._replies if asked < day]
        self._replies = [reply for reply in self._replies if reply[0] >= day]
        for work, position in due:
            segment, recording = work.segments[position], work.recording(position)
            self._at(day, 9, 35)
            for said in recording.comments[1:]:
                do_add_comment(
                    segment, user=self.people[said.author], role=said.author, text=said.text
                )
            last = recording.comments[-1].author
            self._resolve_comments(segment, last, self._moment(day, 9, 36))

    def _review_ready(self, work, index, *, last):
        """The reviewer takes what the translator confirmed two working days ago or
        earlier, up to the point the review is to reach."""
        done = self._reviewed[work.document.pk]
        ready = [
            position
            for position in range(1, work.approve_until + 1)
            if position not in done
            and self._confirmed_on.get((work.document.pk, position), index) <= index - 2
        ]
        self._review(work, ready, self.days[index], last=last)

    def _review(self, work, positions, day, *, last):
        """Send back what the recordings say was sent back, approve the rest in bulk."""
        reviewer, done = self.people["reviewer"], self._reviewed[work.document.pk]
        seen, clock = {}, self._moment(day, 10, 40)
        self._refresh(work, positions)
        for position in positions:
            recording = work.recording(position)
            if recording.waiting and not last:
                continue  # the reviewer comes back to it on the last day
            done.add(position)
            segment = work.segments[position]
            said = recording.sent_back or recording.waiting
            if said and segment.target == recording.confirmed:
                clock += datetime.timedelta(minutes=4)
                self.timeline.now(clock)
                do_send_back(
                    segment, user=self.people[said.author], role=said.author, text=said.text
                )
                self._record_lqa(segment, said)
                if recording.sent_back:
                    self._sent_back.append((day, work, position))
                continue
            seen[segment.pk] = segment.version
        if seen:
            self._at(day, 11, 30)
            do_bulk_approve(work.document, seen, user=reviewer, role="reviewer")

    def _record_lqa(self, segment, said):
        """The reviewer records the error behind a send-back in the quality assessment."""
        if said.author != "reviewer":
            return
        category, severity = next(
            ((category, severity) for word, category, severity in LQA_RULES if word in said.text),
            LQA_OTHERWISE,
        )
        record_error(
            segment,
            user=self.people["reviewer"],
            role="reviewer",
            category=category,
            severity=severity,
            note=said.text,
        )

    def _confirm_sent_back(self, day):
        """The translator fixes the segments sent back on earlier days first thing."""
        due = [(work, position) for sent, work, position in self._sent_back if sent < day]
        self._sent_back = [item for item in self._sent_back if item[0] >= day]
        for minutes, (work, position) in enumerate(due):
            self._at(day, 9, 40 + 3 * minutes)
            segment = self._fresh(work, position)
            do_save_target(
                segment,
                user=self.people["translator"],
                role="translator",
                text=work.recording(position).team,
                base_version=segment.version,
                action=CONFIRM,
                seconds_spent=150,
            )
            self._resolve_comments(segment, "translator", self._moment(day, 9, 41 + 3 * minutes))
            self._reviewed[work.document.pk].discard(position)

    def _resolve_comments(self, segment, username, moment):
        for comment in Comment.objects.filter(segment=segment, resolved=False):
            do_resolve_comment(comment, user=self.people[username], role=username)
            self.timeline.at_moment(comment, moment, "resolved_at")

    def _decide_candidates(self, day):
        """The manager accepts the glossary entry the team's corrections keep asking for
        once it is suggested, and forbids the machine's word."""
        candidate = GlossaryCandidate.objects.filter(
            project=self.hk,
            status=GlossaryCandidate.Status.OPEN,
            machine_term="附帶條件",
            target_term="但書",
        ).first()
        if candidate is None:
            return
        self._at(day, 9, 15)
        candidate.accept(
            self.people["manager"],
            source_term="proviso",
            target_term="但書",
            forbid_machine_term=True,
        )
        self.timeline.at_moment(candidate, self._moment(day, 9, 15), "decided_at")

    def _save_unconfirmed(self, work, day):
        """Work in progress: the translator's unconfirmed edit at the end of the day."""
        for position, recording in enumerate(work.recordings, start=1):
            if recording.saved:
                self._at(day, 17, 20)
                segment = self._fresh(work, position)
                do_save_target(
                    segment,
                    user=self.people[recording.saved.author],
                    role=recording.saved.author,
                    text=recording.saved.text,
                    base_version=segment.version,
                    action=SAVE,
                    seconds_spent=240,
                )

    def _read_inbox(self, day):
        """Everyone reads what reached them before the day starts."""
        moment = self._moment(day, 9, 0)
        for person in self.people.values():
            for notification in person.notifications.filter(read_at__isnull=True):
                notification.mark_read()
                self.timeline.at_moment(notification, moment, "read_at")

    # Helpers --------------------------------------------------------------------------

    def _fresh(self, work, position):
        self._refresh(work, [position])
        return work.segments[position]

    def _refresh(self, work, positions):
        """Read these segments again, as they stand now, in one query."""
        ids = {work.segments[position].pk: position for position in positions}
        if not ids:
            return
        for segment in Segment.objects.select_related("document__project").filter(pk__in=ids):
            work.segments[ids[segment.pk]] = segment

    def _seconds(self, segment, text):
        """What the translator plausibly spent: reading, plus editing where the text
        differs from the machine's, varying a little from segment to segment."""
        edited = text != segment.target
        wobble = zlib.crc32(segment.source.encode()) % 40
        return 15 + 3 * segment.word_count + (60 if edited else 0) + wobble

    def _from_today(self, days):
        return self.today + datetime.timedelta(days=days)

    def _moment(self, day, hour, minute):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    def _at(self, day, hour, minute):
        self.timeline.now(self._moment(day, hour, minute))
