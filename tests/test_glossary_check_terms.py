"""check_terms: whether a translation keeps to the glossary."""

from workbench.memory.glossary import TermProblem, check_terms
from workbench.memory.models import Term


def add(project, source, target, status=Term.Status.PREFERRED):
    return Term.objects.create(
        project=project, source_term=source, target_term=target, status=status
    )


def kinds(problems):
    return [(p.kind, p.term.target_term) for p in problems]


def test_it_accepts_a_translation_with_the_preferred_term(project):
    add(project, "appellant", "上訴人")
    assert check_terms("The appellant appealed.", "上訴人提出上訴。", project) == []


def test_it_reports_a_missing_preferred_term_at_its_source_span(project):
    add(project, "appellant", "上訴人")
    source = "The appellants appealed."
    problems = check_terms(source, "他們提出上訴。", project)
    assert kinds(problems) == [(TermProblem.MISSING, "上訴人")]
    assert source[problems[0].start : problems[0].end] == "appellants"
    assert "上訴人" in problems[0].message


def test_it_accepts_an_admitted_alternative(project):
    add(project, "appellant", "上訴人")
    add(project, "appellant", "上訴一方", Term.Status.ADMITTED)
    assert check_terms("The appellant", "上訴一方", project) == []


def test_it_reports_a_missing_term_once_however_often_it_occurs(project):
    add(project, "appellant", "上訴人")
    assert len(check_terms("appellant, appellant, appellants", "無", project)) == 1


def test_it_reports_a_forbidden_term_in_the_target_and_names_the_preferred_one(project):
    add(project, "appellant", "上訴人")
    add(project, "appellant", "上訴方", Term.Status.FORBIDDEN)
    target = "上訴方提出上訴。"
    problems = check_terms("The appellant appealed.", target, project)
    assert kinds(problems) == [
        (TermProblem.MISSING, "上訴人"),
        (TermProblem.FORBIDDEN, "上訴方"),
    ]
    forbidden = problems[1]
    assert target[forbidden.start : forbidden.end] == "上訴方"
    assert "上訴人" in forbidden.message


def test_it_does_not_flag_a_forbidden_term_inside_a_longer_allowed_one(project):
    add(project, "appeal", "上訴")
    add(project, "appellant", "上訴", Term.Status.FORBIDDEN)
    add(project, "appellant", "上訴人")
    assert check_terms("the appellant", "上訴人", project) == []


def test_it_lets_a_forbidden_target_stand_when_another_source_term_needs_it(project):
    add(project, "appellant", "上訴", Term.Status.FORBIDDEN)
    add(project, "appeal", "上訴")
    assert check_terms("The appeal was allowed.", "上訴得直。", project) == []


def test_it_checks_english_targets_with_their_inflections(zh_project):
    add(zh_project, "上訴人", "appellant")
    add(zh_project, "上訴人", "appealer", Term.Status.FORBIDDEN)
    assert check_terms("上訴人", "The Appellants argued", zh_project) == []
    problems = check_terms("上訴人", "The appealers argued", zh_project)
    assert kinds(problems) == [
        (TermProblem.MISSING, "appellant"),
        (TermProblem.FORBIDDEN, "appealer"),
    ]


def test_a_missing_required_term_is_found_even_inside_a_longer_target_term(project):
    add(project, "court", "法院")
    add(project, "Court of Final Appeal", "終審法院")
    assert check_terms("the court", "終審法院", project) == []
