"""Synthetic English → Traditional Chinese sentence pairs in the style of Hong Kong
judgments: parties, courts, sections, Cap. numbers, dates, sums, case numbers and names.

Half the sentences come from eight templates with a small vocabulary (so most of their
words occur in a large share of the corpus, the hard case for fuzzy lookup), half name
people and cases and are nearly unique, as in real judgments. Deterministic for a seed.
"""

import random
from xml.sax.saxutils import escape

PARTIES = [
    ("the appellant", "上訴人"),
    ("the respondent", "答辯人"),
    ("the plaintiff", "原告人"),
    ("the defendant", "被告人"),
    ("the applicant", "申請人"),
    ("the 1st defendant", "第一被告人"),
    ("the 2nd defendant", "第二被告人"),
    ("the prosecution", "控方"),
    ("the Secretary for Justice", "律政司司長"),
    ("the Director of Lands", "地政總署署長"),
    ("the Commissioner of Police", "警務處處長"),
    ("the liquidator", "清盤人"),
    ("the trustee", "受託人"),
    ("the employer", "僱主"),
    ("the landlord", "業主"),
    ("the tenant", "租客"),
]
ORDINANCES = [
    ("Theft Ordinance", "《盜竊罪條例》", 210),
    ("Crimes Ordinance", "《刑事罪行條例》", 200),
    ("Dangerous Drugs Ordinance", "《危險藥物條例》", 134),
    ("Companies Ordinance", "《公司條例》", 622),
    ("Landlord and Tenant (Consolidation) Ordinance", "《業主與租客（綜合）條例》", 7),
    ("Employment Ordinance", "《僱傭條例》", 57),
    ("Criminal Procedure Ordinance", "《刑事訴訟程序條例》", 221),
    ("High Court Ordinance", "《高等法院條例》", 4),
    ("Bankruptcy Ordinance", "《破產條例》", 6),
    ("Immigration Ordinance", "《入境條例》", 115),
    ("Road Traffic Ordinance", "《道路交通條例》", 374),
    ("Organized and Serious Crimes Ordinance", "《有組織及嚴重罪行條例》", 455),
]
COURTS = [
    ("the Court of Final Appeal", "終審法院"),
    ("the Court of Appeal", "上訴法庭"),
    ("the Court of First Instance", "原訟法庭"),
    ("the District Court", "區域法院"),
    ("the Magistrates' Court", "裁判法院"),
    ("the Lands Tribunal", "土地審裁處"),
    ("the Labour Tribunal", "勞資審裁處"),
]
VERBS = [
    ("dismissed the appeal", "駁回上訴"),
    ("allowed the appeal", "准許上訴"),
    ("granted leave to appeal", "批予上訴許可"),
    ("refused the application", "拒絕申請"),
    ("adjourned the hearing", "押後聆訊"),
    ("quashed the conviction", "撤銷定罪"),
    ("set aside the order", "撤銷命令"),
    ("reserved its judgment", "押後宣判"),
    ("ordered a retrial", "下令重審"),
    ("struck out the claim", "剔除申索"),
]
ADVERBIALS = [
    ("In my judgment", "本席認為"),
    ("For these reasons", "基於上述理由"),
    ("In the circumstances", "在此情況下"),
    ("Accordingly", "因此"),
    ("With respect", "恕本席直言"),
    ("It is common ground that", "雙方均同意"),
    ("It is not disputed that", "無可爭議的是"),
    ("The judge found that", "法官裁定"),
]
THINGS = [
    ("the sum of HK${amount}", "港幣{amount}元的款項"),
    ("damages of HK${amount}", "港幣{amount}元的損害賠償"),
    ("costs of HK${amount}", "港幣{amount}元的訟費"),
    ("arrears of rent of HK${amount}", "港幣{amount}元的欠租"),
    ("wages in lieu of notice of HK${amount}", "港幣{amount}元的代通知金"),
]
EVIDENCE = [
    ("the witness statement", "證人陳述書"),
    ("the medical report", "醫療報告"),
    ("the tenancy agreement", "租約"),
    ("the bank statements", "銀行結單"),
    ("the CCTV footage", "閉路電視片段"),
    ("the expert report", "專家報告"),
    ("the cautioned statement", "警誡供詞"),
]


def _date(rng):
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1995, 2024)
    months = "January February March April May June July August September October November December"
    return (f"{day} {months.split()[month - 1]} {year}", f"{year}年{month}月{day}日")


def _amount(rng):
    amount = rng.choice([rng.randint(1, 999) * 1000, rng.randint(1000, 9_999_999)])
    return f"{amount:,}"


def _section(rng):
    section = rng.randint(1, 160)
    sub = rng.randint(1, 9)
    return section, sub


def _sentence(rng):
    template = rng.randrange(8)
    party, party_zh = rng.choice(PARTIES)
    other, other_zh = rng.choice(PARTIES)
    court, court_zh = rng.choice(COURTS)
    name, name_zh, cap = rng.choice(ORDINANCES)
    date, date_zh = _date(rng)
    section, sub = _section(rng)
    lead, lead_zh = rng.choice(ADVERBIALS)
    if template == 0:
        verb, verb_zh = rng.choice(VERBS)
        return (
            f"On {date}, {court} {verb} brought by {party}.",
            f"{court_zh}於{date_zh}{verb_zh}，該上訴由{party_zh}提出。",
        )
    if template == 1:
        return (
            f"{party.capitalize()} was charged with an offence under section {section}({sub}) of the {name} (Cap. {cap}).",
            f"{party_zh}被控違反{name_zh}（第{cap}章）第{section}({sub})條的罪行。",
        )
    if template == 2:
        thing, thing_zh = rng.choice(THINGS)
        amount = _amount(rng)
        return (
            f"{lead}, {party} is liable to pay {other} {thing.format(amount=amount)} within {rng.randint(7, 90)} days.",
            f"{lead_zh}，{party_zh}須於{rng.randint(7, 90)}日內向{other_zh}支付{thing_zh.format(amount=amount)}。",
        )
    if template == 3:
        evidence, evidence_zh = rng.choice(EVIDENCE)
        return (
            f"{lead}, {evidence} dated {date} does not support the case of {party}.",
            f"{lead_zh}，日期為{date_zh}的{evidence_zh}並不支持{party_zh}的案情。",
        )
    if template == 4:
        return (
            f"Section {section} of the {name} (Cap. {cap}) provides that no person shall be convicted unless the offence is proved.",
            f"{name_zh}（第{cap}章）第{section}條訂明，除非罪行獲得證明，否則任何人不得被定罪。",
        )
    if template == 5:
        verb, verb_zh = rng.choice(VERBS)
        return (
            f"{lead}, {court} was right to hold that {party} had {verb.split(' ', 1)[0]} nothing.",
            f"{lead_zh}，{court_zh}裁定{party_zh}並無{verb_zh}，是正確的。",
        )
    if template == 6:
        return (
            f"The hearing before {court} took place on {date} and lasted {rng.randint(2, 40)} days.",
            f"{court_zh}的聆訊於{date_zh}進行，歷時{rng.randint(2, 40)}日。",
        )
    evidence, evidence_zh = rng.choice(EVIDENCE)
    return (
        f"Counsel for {party} submitted that {evidence} was inadmissible under section {section} of the {name}.",
        f"{party_zh}的大律師陳詞指，根據{name_zh}第{section}條，{evidence_zh}不可接納為證據。",
    )


def legal_pairs(count, seed=2024):
    """Yield `count` (English, Chinese) pairs."""
    rng = random.Random(seed)
    for _ in range(count):
        yield _sentence(rng)


SURNAMES = [
    "Chan",
    "Wong",
    "Lee",
    "Cheung",
    "Lau",
    "Ng",
    "Ho",
    "Leung",
    "Lam",
    "Tang",
    "Tsang",
    "Yip",
    "Chow",
    "Kwok",
    "Fung",
    "Lai",
    "Cheng",
    "Mak",
    "Siu",
    "Yuen",
]
SURNAMES_ZH = [
    "陳",
    "黃",
    "李",
    "張",
    "劉",
    "吳",
    "何",
    "梁",
    "林",
    "鄧",
    "曾",
    "葉",
    "周",
    "郭",
    "馮",
    "黎",
    "鄭",
    "麥",
    "蕭",
    "袁",
]
GIVEN = [
    "Tai Man",
    "Siu Ming",
    "Ka Wai",
    "Wing Kin",
    "Chi Keung",
    "Mei Ling",
    "Kwok Wah",
    "Yuk Lan",
    "Hoi Yan",
    "Chun Kit",
    "Ka Ho",
    "Wai Man",
    "Sze Wing",
    "Tsz Hin",
]
GIVEN_ZH = [
    "大文",
    "小明",
    "家偉",
    "永健",
    "志強",
    "美玲",
    "國華",
    "玉蘭",
    "凱欣",
    "俊傑",
    "家豪",
    "偉文",
    "詩穎",
    "梓軒",
]
CASE_KINDS = [
    ("HCCA", "高院民事上訴"),
    ("CACC", "刑事上訴案件"),
    ("HCA", "高院民事訴訟"),
    ("DCCC", "區院刑事案件"),
    ("FACV", "終院民事上訴"),
]


def _named_party(rng):
    s, g = rng.randrange(len(SURNAMES)), rng.randrange(len(GIVEN))
    return f"{SURNAMES[s]} {GIVEN[g]}", f"{SURNAMES_ZH[s]}{GIVEN_ZH[g]}"


def _case_sentence(rng):
    """Sentences that name people and cases: each is nearly unique, as in real judgments."""
    (name, name_zh), (other, other_zh) = _named_party(rng), _named_party(rng)
    kind, kind_zh = rng.choice(CASE_KINDS)
    number, year = rng.randint(1, 3000), rng.randint(1997, 2024)
    date, date_zh = _date(rng)
    choice = rng.randrange(3)
    if choice == 0:
        return (
            f"In {kind} {number}/{year}, {name} sued {other} for breach of a contract made on {date}.",
            f"在{kind_zh}{year}年第{number}號案中，{name_zh}就{date_zh}訂立的合約控告{other_zh}違約。",
        )
    if choice == 1:
        return (
            f"{name} gave evidence that {other} had not been present at the premises on {date}.",
            f"{name_zh}作供指{other_zh}於{date_zh}並不在該處所。",
        )
    return (
        f"The decision in {kind} {number}/{year} was followed by the judge in the case of {name}.",
        f"法官在{name_zh}一案中依循了{kind_zh}{year}年第{number}號案的判決。",
    )


def corpus(count, seed):
    rng = random.Random(seed)
    for _ in range(count):
        yield _case_sentence(rng) if rng.random() < 0.5 else _sentence(rng)


def write_tmx(path, count, seed, keep_every):
    """Write `count` pairs as TMX; return a sample of them for near-duplicate queries."""
    sample = []
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header '
            'creationtool="tm_bench" creationtoolversion="1" segtype="sentence" o-tmf="bench" '
            'adminlang="en" srclang="en" datatype="plaintext"/><body>\n'
        )
        for number, (en, zh) in enumerate(corpus(count, seed)):
            out.write(
                f'<tu><tuv xml:lang="en"><seg>{escape(en)}</seg></tuv>'
                f'<tuv xml:lang="zh-Hant-HK"><seg>{escape(zh)}</seg></tuv></tu>\n'
            )
            if number % keep_every == 0:
                sample.append((en, zh))
        out.write("</body></tmx>\n")
    return sample


def near_duplicate(text, rng):
    """Change one number, or one character of a word: what a later judgment repeats."""
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    if digits:
        i = rng.choice(digits)
        return text[:i] + str((int(text[i]) + 1) % 10) + text[i + 1 :]
    i = rng.randrange(len(text))
    return text[:i] + text[i + 1 :]
