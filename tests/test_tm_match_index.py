"""The match index behind fuzzy lookup: exact against a scan of every unit, in English and
Chinese; fresh after units are added, changed, withdrawn or deleted, also by a
transaction that commits after the index looked; bounded in the units a process holds."""

import random
import threading

import numpy as np
import psycopg
import pytest
from django.db import connection
from rapidfuzz import fuzz

from workbench.memory import match_index
from workbench.memory.lookup import lookup, percent_of
from workbench.memory.match_index import FULL, normalise
from workbench.memory.models import TranslationUnit
from workbench.memory.services import project_memory

PARTIES = ["the appellant", "the respondent", "the 1st defendant", "the plaintiff", "Chan Tai Man"]
VERBS = ["dismissed the appeal", "allowed the appeal", "refused leave", "quashed the conviction"]
COURTS = ["the Court of Appeal", "the District Court", "the Court of First Instance"]
ZH_PARTIES = ["上訴人", "答辯人", "第一被告人", "原告人", "陳大文"]
ZH_VERBS = ["駁回上訴", "准許上訴", "拒絕許可", "撤銷定罪"]
ZH_COURTS = ["上訴法庭", "區域法院", "原訟法庭"]


def english(rng):
    party, verb, court = rng.choice(PARTIES), rng.choice(VERBS), rng.choice(COURTS)
    day, year = rng.randint(1, 28), rng.randint(1990, 2024)
    return rng.choice(
        [
            f"On {day} May {year}, {court} {verb} brought by {party}.",
            f"In my judgment, {party} is liable to pay HK${rng.randint(1, 999)},000 to {court}.",
            f"Counsel for {party} submitted that {court} {verb} on {day} June {year}.",
            f"{party.capitalize()} was charged under section {rng.randint(1, 99)} of Cap. {year}.",
        ]
    )


def chinese(rng):
    party, verb, court = rng.choice(ZH_PARTIES), rng.choice(ZH_VERBS), rng.choice(ZH_COURTS)
    year, day = rng.randint(1990, 2024), rng.randint(1, 28)
    return rng.choice(
        [
            f"{court}於{year}年5月{day}日{verb}，該上訴由{party}提出。",
            f"本席認為，{party}須向{court}支付港幣{rng.randint(1, 999)},000元。",
            f"{party}的大律師陳詞指{court}於{year}年6月{day}日{verb}。",
        ]
    )


def altered(text, rng):
    """The text with a few characters deleted, doubled or swapped."""
    chars = list(text)
    for _ in range(rng.randint(1, max(1, len(chars) // 10))):
        at = rng.randrange(len(chars))
        action = rng.randrange(3)
        if action == 0 and len(chars) > 5:
            del chars[at]
        elif action == 1:
            chars.insert(at, chars[at])
        else:
            chars[at], chars[-1 - at] = chars[-1 - at], chars[at]
    return "".join(chars)


def fill(memory, sources):
    TranslationUnit.objects.bulk_create(
        TranslationUnit(
            memory=memory,
            source=source,
            target=f"T{number}",
            source_language=memory.source_language,
            target_language=memory.target_language,
            source_hash=TranslationUnit.hash_text(source),
            target_hash=TranslationUnit.hash_text(f"T{number}"),
            origin="import",
            quality="translated",
        )
        for number, source in enumerate(sources)
    )


def add_unit(memory, source, target="譯文"):
    return memory.units.create(
        source=source,
        target=target,
        source_language=memory.source_language,
        target_language=memory.target_language,
        origin="import",
        quality="translated",
    )


def brute_force_best(query, sources, threshold):
    """The best percent any unit reaches, by scoring every one; None under the threshold."""
    query = normalise(query)
    scores = [percent_of(query, s, fuzz.ratio(query, s)) for s in map(normalise, sources)]
    best = max(scores, default=0)
    return best if best >= threshold else None


@pytest.mark.parametrize(("pair", "sentence"), [("en", english), ("zh", chinese)])
@pytest.mark.parametrize(("threshold", "shared"), [(75, False), (50, False), (75, True)])
def test_its_best_match_scores_as_high_as_a_scan_of_every_unit(
    project, zh_project, pair, sentence, threshold, shared, monkeypatch
):
    """`shared`: every slice's bounds and scores shared among threads, as for large memories."""
    if shared:
        monkeypatch.setattr(match_index, "THREADS", 2)
        monkeypatch.setattr(match_index, "PARALLEL_ROWS", 1)
        monkeypatch.setattr(match_index, "PARALLEL_SCORES", 1)
    project = project if pair == "en" else zh_project
    memory = project_memory(project)
    rng = random.Random(f"{pair}{threshold}")
    sources = list({sentence(rng) for _ in range(1500)})
    fill(memory, sources)
    queries = [altered(rng.choice(sources), rng) for _ in range(60)]
    queries += [sentence(rng) for _ in range(60)]

    compared = 0
    for query in queries:
        expected = brute_force_best(query, sources, threshold)
        matches = lookup(query, project, threshold=threshold, limit=5)
        best = max((m.percent for m in matches), default=None)
        assert best == expected, query
        compared += expected is not None
    assert compared >= 100  # most queries have a match to find


def test_a_unit_added_later_is_found(project):
    memory = project_memory(project)
    add_unit(memory, "The appeal is dismissed.")
    assert [m.percent for m in lookup("The appeal is allowed.", project, threshold=50)]
    added = add_unit(memory, "The appeal is allowed.", "上訴得直。")

    [best, *_] = lookup("The appeal is allowed.", project, threshold=50)

    assert (best.unit_id, best.percent) == (added.pk, 100)


def test_a_changed_withdrawn_or_deleted_unit_is_offered_as_it_is_now(project):
    memory = project_memory(project)
    changed = add_unit(memory, "Leave to appeal is refused.")
    withdrawn = add_unit(memory, "Leave to appeal is refused in part.")
    deleted = add_unit(memory, "Leave to appeal is refused, with costs.")
    next_best = add_unit(memory, "Leave to apply is refused, with costs.")
    assert len(lookup("Leave to appeal is refused.", project, threshold=60)) == 4

    changed.source = "Time to file the notice is extended."
    changed.save()
    withdrawn.quality = TranslationUnit.Quality.WITHDRAWN
    withdrawn.save()
    # Deleted by SQL, as a cascade would: the index learns of it only when lookup misses it.
    TranslationUnit.objects.filter(pk=deleted.pk).delete()

    found = lookup("Leave to appeal is refused, with costs.", project, threshold=60)
    assert [m.unit_id for m in found] == [next_best.pk]
    assert lookup("Time to file the notice is extended.", project)[0].unit_id == changed.pk


def test_counts_past_a_full_byte_still_bound_the_score(project):
    """A source with more of one character than a byte counts is still found."""
    memory = project_memory(project)
    source = "a " * 400 + "the end."
    assert source.count("a") > FULL
    unit = add_unit(memory, source)

    [match] = lookup("a " * 390 + "the end.", project)

    assert match.unit_id == unit.pk and match.percent >= 95


def test_only_ascii_digits_are_counted_in_the_digits_buckets():
    """The search skips units whose digits differ in count as having other numbers: no
    other character may be counted with the digits."""
    every = "".join(map(chr, range(0x20, 0x3000))) + "".join(map(chr, range(0x3000, 0xA000)))
    buckets = match_index._buckets(every)
    digits = np.isin(buckets, match_index.DIGITS)
    assert "".join(np.array(list(every))[digits]) == "0123456789"


def test_numbers_in_other_digits_are_scored_as_numbers(zh_project):
    """Full-width digits are numbers too: a unit that differs from the query only in them
    is penalised for its numbers, one whose numbers are the same is not."""
    memory = project_memory(zh_project)
    other = add_unit(memory, "根據《盜竊罪條例》第１３條，上訴人被定罪。")
    same = add_unit(memory, "根據《盜竊罪條例》第１２條，上訴人被裁定罪名成立。")

    matches = {
        m.unit_id: m for m in lookup("根據《盜竊罪條例》第１２條，上訴人被定罪。", zh_project)
    }

    query = normalise("根據《盜竊罪條例》第１２條，上訴人被定罪。")
    for unit in (other, same):
        expected = percent_of(query, unit.source, fuzz.ratio(query, unit.source))
        assert matches[unit.pk].percent == expected
    assert matches[other.pk].changed_numbers == ["１３"]


@pytest.mark.django_db(transaction=True)
def test_a_unit_committed_after_the_index_looked_is_found(project):
    """The index takes in the writes of transactions that were still running when it
    last looked, however late they commit."""
    memory = project_memory(project)
    add_unit(memory, "The appeal is dismissed.")
    lookup("The appeal is dismissed.", project)  # the index is built
    settings = connection.settings_dict
    late = psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=False,
    )
    try:
        # Begun before the index looks again, committed after.
        late.execute(
            f"""INSERT INTO {TranslationUnit._meta.db_table} (memory_id, source, target,
            source_language, target_language, source_hash, target_hash, previous_hash,
            next_hash, origin, quality, imported_from, created_at, updated_at)
            VALUES (%s, 'The appeal is allowed.', '上訴得直。', 'en', 'zh-Hant-HK', 'h1', 'h2',
            '', '', 'import', 'translated', '', now(), now())""",  # noqa: S608
            [memory.pk],
        )
        assert [m.source for m in lookup("The appeal is allowed.", project, threshold=50)] == [
            "The appeal is dismissed."
        ]
        late.commit()
    finally:
        late.close()

    found = lookup("The appeal is allowed.", project, threshold=50)

    assert [(m.source, m.percent) for m in found][0] == ("The appeal is allowed.", 100)


def test_threads_share_one_index(project):
    memory = project_memory(project)
    fill(memory, [f"Unit number {n} of the memory." for n in range(200)])
    lookup("Unit number 7 of the memory.", project)
    index = match_index.index_of(memory.pk)
    answers = []

    def look():
        answers.append(
            len(match_index.best_units("Unit number 7 of the memory.", [index], 75, percent_of))
        )

    threads = [threading.Thread(target=look) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 4 and min(answers) >= 1


def test_a_process_drops_the_indexes_used_longest_ago_past_its_budget(
    project, zh_project, settings
):
    settings.WORKBENCH_TM_INDEX_UNITS = 150
    first, second = project_memory(project), project_memory(zh_project)
    fill(first, [f"Unit number {n}." for n in range(100)])
    fill(second, [f"第{n}號單位。" for n in range(100)])
    lookup("Unit number 1.", project)
    assert first.pk in match_index._indexes

    lookup("第1號單位。", zh_project)

    assert second.pk in match_index._indexes and first.pk not in match_index._indexes
    assert lookup("Unit number 1.", project)[0].percent == 100  # loaded again when asked
