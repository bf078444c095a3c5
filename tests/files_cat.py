"""Files in the exact shape the translation tools write them, by hand (never
downloaded): a Trados Studio SDLXLIFF, a memoQ MQXLIFF, an Okapi XLIFF 1.2, a MateCat
XLIFF 2.0, OmegaT, Trados and memoQ TMX, a TBX-Basic termbase with <ntig> and a TBX v3
one. Each has statuses, a lock where the tool has locks, inline codes, notes and an
untranslated unit.

What each segment should become in the workbench is listed beside each file:
(source with tokens, target with tokens, status, locked).
"""

SDLXLIFF = """<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0" xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2" sdl:version="1.0">
<doc-info xmlns="http://sdl.com/FileTypes/SdlXliff/1.0"><cmt-defs><cmt-def id="c7f1"><Comments xmlns=""><Comment severity="Medium" user="rita" date="2024-05-02T10:15:00.000+08:00" version="1.0">Check the citation against the report.</Comment></Comments></cmt-def></cmt-defs></doc-info>
<file original="C:\\Projects\\HCAL 1234-2024\\en-US\\judgment.docx" datatype="x-sdlfilterframework2" source-language="en-US" target-language="zh-HK">
<header>
<file-info xmlns="http://sdl.com/FileTypes/SdlXliff/1.0"><value key="SDL:FileId">6f1c2b7e-3a55-4f0e-9f55-0c1d2e3f4a5b</value><value key="SDL:CreationDate">05/02/2024 10:00:00</value><value key="SDL:OriginalFilePath">C:\\Projects\\HCAL 1234-2024\\en-US\\judgment.docx</value><sniff-info><detected-encoding detection-level="Likely" encoding="utf-8"/><detected-source-lang detection-level="Guess" lang="en-US"/></sniff-info></file-info>
<sdl:filetype-info><sdl:filetype-id>WordprocessingML v. 2</sdl:filetype-id></sdl:filetype-info>
<fmt-defs xmlns="http://sdl.com/FileTypes/SdlXliff/1.0"><fmt-def id="1"><value key="Bold">True</value></fmt-def><fmt-def id="2"><value key="Italic">True</value></fmt-def></fmt-defs>
<tag-defs xmlns="http://sdl.com/FileTypes/SdlXliff/1.0"><tag id="pt1"><bpt name="cf" word-end="false" can-hide="true">&lt;cf bold=&quot;True&quot;&gt;</bpt><ept name="cf" word-end="false" can-hide="true">&lt;/cf&gt;</ept><fmt id="1"/></tag><tag id="pt2"><bpt name="cf" word-end="false" can-hide="true">&lt;cf italic=&quot;True&quot;&gt;</bpt><ept name="cf" word-end="false" can-hide="true">&lt;/cf&gt;</ept><fmt id="2"/></tag><tag id="0"><ph name="footnote" word-end="false">&lt;footnote id=&quot;1&quot;/&gt;</ph></tag><tag id="1"><st name="section">&lt;section/&gt;</st></tag></tag-defs>
</header>
<body>
<group><sdl:cxts><sdl:cxt id="1"/></sdl:cxts>
<trans-unit translate="no" id="0e8b6c1a-1b2c-4d3e-8f9a-0b1c2d3e4f5a"><source><x id="1"/></source></trans-unit>
<trans-unit id="a1b2c3d4-0001-4000-8000-000000000001"><source>The <g id="pt1">appellant</g> appealed. The appeal is dismissed.</source><seg-source><mrk mtype="seg" mid="1">The <g id="pt1">appellant</g> appealed.</mrk> <mrk mtype="seg" mid="2">The appeal is dismissed.</mrk></seg-source><target><mrk mtype="seg" mid="1"><g id="pt1">上訴人</g>提出上訴。</mrk> <mrk mtype="seg" mid="2"><mrk mtype="x-sdl-comment" sdl:cid="c7f1">上訴駁回。</mrk></mrk></target><sdl:seg-defs><sdl:seg id="1" conf="ApprovedSignOff" origin="interactive" locked="true"><sdl:value key="created_by">rita</sdl:value><sdl:value key="created_on">05/02/2024 10:20:00</sdl:value></sdl:seg><sdl:seg id="2" conf="Translated" origin="tm" origin-system="HK judgments TM" percent="100"/></sdl:seg-defs></trans-unit>
</group>
<trans-unit id="a1b2c3d4-0002-4000-8000-000000000002"><source>See <g id="pt2">HKSAR v Chan</g><x id="0"/> and section 4. <g id="pt1" sdl:end="false">Costs</g> follow the event. Liberty to apply.</source><seg-source><mrk mtype="seg" mid="3">See <g id="pt2">HKSAR v Chan</g><x id="0"/> and section 4.</mrk> <mrk mtype="seg" mid="4"><g id="pt1" sdl:end="false">Costs</g> follow the event.</mrk> <mrk mtype="seg" mid="5">Liberty to apply.</mrk></seg-source><target><mrk mtype="seg" mid="3">見<g id="pt2">香港特別行政區訴陳</g><x id="0"/>及第4條。</mrk> <mrk mtype="seg" mid="4"><g id="pt1" sdl:end="false">訟費</g>依循結果。</mrk> <mrk mtype="seg" mid="5"/></target><sdl:seg-defs><sdl:seg id="3" conf="ApprovedTranslation" origin="interactive"/><sdl:seg id="4" conf="Draft" origin="mt" origin-system="Machine Translation"/><sdl:seg id="5"/></sdl:seg-defs></trans-unit>
</body>
</file>
</xliff>
""".encode()

SDLXLIFF_SEGMENTS = [
    ("The ⟦1⟧appellant⟦/1⟧ appealed.", "⟦1⟧上訴人⟦/1⟧提出上訴。", "approved", True),
    ("The appeal is dismissed.", "上訴駁回。", "translated", False),
    (
        "See ⟦1⟧HKSAR v Chan⟦/1⟧⟦2⟧ and section 4.",
        "見⟦1⟧香港特別行政區訴陳⟦/1⟧⟦2⟧及第4條。",
        "approved",
        False,
    ),
    ("⟦1⟧Costs⟦/1⟧ follow the event.", "⟦1⟧訟費⟦/1⟧依循結果。", "drafted", False),
    ("Liberty to apply.", "", "new", False),
]

MQXLIFF = """<?xml version="1.0" encoding="utf-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:mq="MQXliff">
<file original="judgment.docx" source-language="en-us" target-language="zh-hk" datatype="x-unknown" mq:document-guid="0d6e8b1c-5f3a-4d2e-9b7c-1a2b3c4d5e6f" mq:documentname="judgment.docx" mq:exportedfrom="9.14.7">
<header><tool tool-id="MQ" tool-name="memoQ" tool-version="9.14.7" tool-company="memoQ Ltd"/></header>
<body>
<trans-unit id="1" mq:status="ManuallyConfirmed" mq:locked="locked" mq:percent="101" mq:translatorcommitmatchrate="101" mq:lastchangedtimestamp="2024-05-02T02:10:00Z" mq:lastchanginguser="tom" mq:segmentguid="11111111-1111-4111-8111-111111111111">
<source xml:space="preserve">The <bpt id="1" ctype="bold" rid="1">{}</bpt>appellant<ept id="1" rid="1">{}</ept> appealed.</source>
<target xml:space="preserve"><bpt id="1" ctype="bold" rid="1">{}</bpt>上訴人<ept id="1" rid="1">{}</ept>提出上訴。</target>
</trans-unit>
<trans-unit id="2" mq:status="Reviewer1Confirmed" mq:percent="0" mq:lastchangedtimestamp="2024-05-02T02:20:00Z" mq:lastchanginguser="rita" mq:segmentguid="22222222-2222-4222-8222-222222222222">
<source xml:space="preserve">The appeal is dismissed.</source>
<target xml:space="preserve">上訴駁回。</target>
<mq:comments><mq:comment id="c1" creatoruser="rita" time="2024-05-02T02:21:00Z" origin="memoQ" appliesto="Target" deleted="false">Wording agreed with the court.</mq:comment></mq:comments>
</trans-unit>
<trans-unit id="3" mq:status="ManuallyConfirmed" mq:percent="0" mq:lastchangedtimestamp="2024-05-02T02:30:00Z" mq:lastchanginguser="tom" mq:segmentguid="33333333-3333-4333-8333-333333333333">
<source xml:space="preserve">See <bpt id="1" ctype="italic" rid="2">{}</bpt>HKSAR v Chan<ept id="1" rid="2">{}</ept><ph id="2" ctype="x-footnote">{}</ph> and section 4.</source>
<target xml:space="preserve">見<bpt id="1" ctype="italic" rid="2">{}</bpt>香港特別行政區訴陳<ept id="1" rid="2">{}</ept><ph id="2" ctype="x-footnote">{}</ph>及第4條。</target>
<note>Case name as in the official Chinese report.</note>
</trans-unit>
<trans-unit id="4" mq:status="PartiallyEdited" mq:percent="85" mq:lastchangedtimestamp="2024-05-02T02:40:00Z" mq:lastchanginguser="tom" mq:segmentguid="44444444-4444-4444-8444-444444444444">
<source xml:space="preserve">Costs follow the event.</source>
<target xml:space="preserve">訟費依結果。</target>
</trans-unit>
<trans-unit id="5" mq:status="Rejected" mq:percent="0" mq:lastchangedtimestamp="2024-05-02T02:50:00Z" mq:lastchanginguser="rita" mq:segmentguid="55555555-5555-4555-8555-555555555555">
<source xml:space="preserve">The order is made.</source>
<target xml:space="preserve">作出命令。</target>
</trans-unit>
<trans-unit id="6" mq:status="NotStarted" mq:percent="0" mq:segmentguid="66666666-6666-4666-8666-666666666666">
<source xml:space="preserve">Liberty to apply.</source>
<target xml:space="preserve"></target>
</trans-unit>
</body>
</file>
</xliff>
""".encode()

MQXLIFF_SEGMENTS = [
    ("The ⟦1⟧appellant⟦2⟧ appealed.", "⟦1⟧上訴人⟦2⟧提出上訴。", "translated", True),
    ("The appeal is dismissed.", "上訴駁回。", "approved", False),
    (
        "See ⟦1⟧HKSAR v Chan⟦2⟧⟦3⟧ and section 4.",
        "見⟦1⟧香港特別行政區訴陳⟦2⟧⟦3⟧及第4條。",
        "translated",
        False,
    ),
    ("Costs follow the event.", "訟費依結果。", "drafted", False),
    ("The order is made.", "作出命令。", "rejected", False),
    ("Liberty to apply.", "", "new", False),
]

OKAPI_XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:okp="okapi-framework:xliff-extensions" xmlns:its="http://www.w3.org/2005/11/its" xmlns:itsxlf="http://www.w3.org/ns/its-xliff/" its:version="2.0">
<file original="judgment.html" source-language="en" target-language="zh-hk" datatype="x-undefined" okp:inputEncoding="UTF-8">
<body>
<trans-unit id="1" resname="p1" xml:space="preserve">
<source xml:lang="en">The <g id="1">appellant</g> appealed. It was dismissed.</source>
<seg-source><mrk mid="0" mtype="seg">The <g id="1">appellant</g> appealed.</mrk> <mrk mid="1" mtype="seg">It was dismissed.</mrk></seg-source>
<target xml:lang="zh-hk" state="translated"><mrk mid="0" mtype="seg"><g id="1">上訴人</g>提出上訴。</mrk> <mrk mid="1" mtype="seg"></mrk></target>
<note>From the judiciary's website.</note>
</trans-unit>
<trans-unit id="2" resname="p2" translate="no" xml:space="preserve">
<source xml:lang="en">HCAL 1234/2024</source>
</trans-unit>
<trans-unit id="3" resname="p3" approved="yes" xml:space="preserve">
<source xml:lang="en">See <bpt id="1">&lt;b&gt;</bpt>section 4<ept id="1">&lt;/b&gt;</ept><ph id="2">&lt;br/&gt;</ph> of Cap. 210.</source>
<target xml:lang="zh-hk" state="signed-off">見第210章<bpt id="1">&lt;b&gt;</bpt>第4條<ept id="1">&lt;/b&gt;</ept><ph id="2">&lt;br/&gt;</ph>。</target>
</trans-unit>
<trans-unit id="4" resname="p4" xml:space="preserve">
<source xml:lang="en">Costs follow the event.</source>
<target xml:lang="zh-hk" state="needs-review-translation">訟費依循結果。</target>
</trans-unit>
<trans-unit id="5" resname="p5" xml:space="preserve">
<source xml:lang="en">Order <bx id="7" ctype="bold"/>accordingly<ex id="8"/>.<it id="9" pos="open" ctype="italic">&lt;i&gt;</it></source>
<target xml:lang="zh-hk" state="translated">命令<bx id="7" ctype="bold"/>如上<ex id="8"/>。<it id="9" pos="open" ctype="italic">&lt;i&gt;</it></target>
</trans-unit>
</body>
</file>
</xliff>
""".encode()

OKAPI_SEGMENTS = [
    ("The ⟦1⟧appellant⟦/1⟧ appealed.", "⟦1⟧上訴人⟦/1⟧提出上訴。", "translated", False),
    ("It was dismissed.", "", "new", False),
    ("See ⟦1⟧section 4⟦2⟧⟦3⟧ of Cap. 210.", "見第210章⟦1⟧第4條⟦2⟧⟦3⟧。", "approved", False),
    ("Costs follow the event.", "訟費依循結果。", "drafted", False),
    ("Order ⟦1⟧accordingly⟦2⟧.⟦3⟧", "命令⟦1⟧如上⟦2⟧。⟦3⟧", "translated", False),
]

MATECAT_XLIFF_2 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:mda="urn:oasis:names:tc:xliff:metadata:2.0" version="2.0" srcLang="en-US" trgLang="zh-HK">
<file id="f1" original="judgment.docx">
<notes><note id="n1">Judgment of the Court of Appeal.</note></notes>
<unit id="u1">
<mda:metadata><mda:metaGroup category="matecat"><mda:meta type="id_job">41</mda:meta></mda:metaGroup></mda:metadata>
<notes><note>Check the citation.</note></notes>
<originalData><data id="d1">&lt;b&gt;</data><data id="d2">&lt;/b&gt;</data><data id="d3">&lt;br/&gt;</data></originalData>
<segment id="s1" state="final"><source>The <pc id="1" dataRefStart="d1" dataRefEnd="d2">appellant</pc> appealed.</source><target><pc id="1" dataRefStart="d1" dataRefEnd="d2">上訴人</pc>提出上訴。</target></segment>
<ignorable><source> </source><target> </target></ignorable>
<segment id="s2" state="translated"><source>See <mrk id="m1" type="term">section 4</mrk><ph id="2" dataRef="d3"/>.</source><target>見<mrk id="m1" type="term">第4條</mrk><ph id="2" dataRef="d3"/>。</target></segment>
</unit>
<unit id="u2">
<segment id="s3" state="reviewed" subState="matecat:rejected"><source><sc id="3"/>Costs<ec startRef="3"/> follow the event.</source><target><sc id="3"/>訟費<ec startRef="3"/>依循結果。</target></segment>
<segment id="s4" state="initial"><source>Liberty to apply.</source></segment>
</unit>
</file>
</xliff>
""".encode()

MATECAT_SEGMENTS = [
    ("The ⟦1⟧appellant⟦/1⟧ appealed.", "⟦1⟧上訴人⟦/1⟧提出上訴。", "approved", False),
    ("See ⟦1⟧section 4⟦/1⟧⟦2⟧.", "見⟦1⟧第4條⟦/1⟧⟦2⟧。", "translated", False),
    ("⟦1⟧Costs⟦2⟧ follow the event.", "⟦1⟧訟費⟦2⟧依循結果。", "rejected", False),
    ("Liberty to apply.", "", "new", False),
]

OMEGAT_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx11.dtd">
<tmx version="1.1">
  <header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext" creationtoolversion="6.0.1_0_5a1e6b2b" segtype="sentence" srclang="en"/>
  <body>
<!-- Default translations -->
    <tu>
      <tuv lang="en">
        <seg>The <bpt i="0" x="0">&lt;b0&gt;</bpt>appellant<ept i="0">&lt;/b0&gt;</ept> appealed.</seg>
      </tuv>
      <tuv lang="zh-HK" changeid="tom" changedate="20240502T021000Z" creationid="tom" creationdate="20240502T021000Z">
        <seg><bpt i="0" x="0">&lt;b0&gt;</bpt>上訴人<ept i="0">&lt;/b0&gt;</ept>提出上訴。</seg>
      </tuv>
    </tu>
    <tu>
      <tuv lang="en">
        <seg>Costs follow the event.</seg>
      </tuv>
      <tuv lang="zh-HK" changeid="rita" changedate="20240502T022000Z" creationid="tom" creationdate="20240502T021500Z">
        <seg>訟費依循結果。</seg>
      </tuv>
    </tu>
<!-- Alternative translations -->
    <tu>
      <prop type="file">judgment.docx</prop>
      <prop type="id">p12</prop>
      <note>Left empty on purpose in OmegaT: to be translated by the court.</note>
      <tuv lang="en">
        <seg>Liberty to apply.</seg>
      </tuv>
      <tuv lang="zh-HK" changeid="tom" changedate="20240502T023000Z" creationid="tom" creationdate="20240502T023000Z">
        <seg></seg>
      </tuv>
    </tu>
  </body>
</tmx>
""".encode()

TRADOS_TMX = """<?xml version="1.0" encoding="utf-8"?>
<tmx version="1.4">
  <header creationtool="SDL Language Platform" creationtoolversion="8.1" o-tmf="SDL TM8 Format" datatype="xml" segtype="sentence" adminlang="en-US" srclang="en-US" creationdate="20240502T021000Z" creationid="HKJ\\tom">
    <prop type="x-Recognizers">RecognizeAll</prop>
    <prop type="x-TMName">HK judgments</prop>
  </header>
  <body>
    <tu creationdate="20240502T021000Z" creationid="HKJ\\tom" changedate="20240502T022000Z" changeid="HKJ\\rita" lastusagedate="20240503T010000Z" usagecount="2">
      <prop type="x-LastUsedBy">HKJ\\rita</prop>
      <prop type="x-Context">0, 0</prop>
      <prop type="x-Origin">TM</prop>
      <prop type="x-ConfirmationLevel">ApprovedSignOff</prop>
      <tuv xml:lang="en-US">
        <seg>See <bpt i="1" type="1" x="1" />HKSAR v Chan<ept i="1" /><ph x="2" type="3" /> and section 4.</seg>
      </tuv>
      <tuv xml:lang="zh-HK">
        <seg>見<bpt i="1" type="1" x="1" />香港特別行政區訴陳<ept i="1" /><ph x="2" type="3" />及第4條。</seg>
      </tuv>
    </tu>
    <tu creationdate="20240502T023000Z" creationid="HKJ\\tom" changedate="20240502T023000Z" changeid="HKJ\\tom" lastusagedate="20240502T023000Z">
      <prop type="x-Origin">TM</prop>
      <prop type="x-ConfirmationLevel">Draft</prop>
      <tuv xml:lang="en-US">
        <seg>Liberty to apply.</seg>
      </tuv>
      <tuv xml:lang="zh-HK">
        <seg />
      </tuv>
    </tu>
  </body>
</tmx>
""".encode()

MEMOQ_TMX = """<?xml version="1.0" encoding="utf-8"?>
<tmx version="1.4">
  <header creationtool="memoQ" creationtoolversion="9.14.7" segtype="sentence" o-tmf="memoQTM" adminlang="en-us" srclang="en-us" datatype="unknown" creationdate="20240502T021000Z" creationid="tom">
    <prop type="defclient">HK Judiciary</prop>
    <prop type="name">HK judgments</prop>
  </header>
  <body>
    <tu changedate="20240502T022000Z" creationdate="20240502T021000Z" creationid="tom" changeid="rita">
      <prop type="client">HK Judiciary</prop>
      <prop type="x-context-pre">Judgment</prop>
      <tuv xml:lang="en-us">
        <seg>The <it pos="begin" x="1">&lt;i&gt;</it>appellant relied on <ut>{1}</ut>s. 4.</seg>
      </tuv>
      <tuv xml:lang="zh-hk">
        <seg><it pos="begin" x="1">&lt;i&gt;</it>上訴人依據<ut>{1}</ut>第4條。</seg>
      </tuv>
    </tu>
    <tu changedate="20240502T023000Z" creationdate="20240502T023000Z" creationid="tom" changeid="tom">
      <tuv xml:lang="en-us">
        <seg>The order is made<ph x="1">{2}</ph>.</seg>
      </tuv>
      <tuv xml:lang="zh-hk">
        <seg></seg>
      </tuv>
    </tu>
  </body>
</tmx>
""".encode()

TBX_BASIC_NTIG = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">
<martif type="TBX-Basic-V1" xml:lang="en">
  <martifHeader>
    <fileDesc><titleStmt><title>HK legal terms</title></titleStmt><sourceDesc><p>Exported from the court's termbase</p></sourceDesc></fileDesc>
    <encodingDesc><p type="XCSURI">TBXBasicXCSV02.xcs</p></encodingDesc>
  </martifHeader>
  <text>
    <body>
      <termEntry id="c1">
        <descrip type="subjectField">Criminal procedure</descrip>
        <descripGrp><descrip type="definition">A party who appeals against a decision.</descrip><admin type="source">HK Judiciary glossary</admin></descripGrp>
        <langSet xml:lang="en">
          <ntig>
            <termGrp>
              <term>appellant</term>
              <termNote type="partOfSpeech">noun</termNote>
              <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
            </termGrp>
            <descrip type="context">The appellant appealed against his conviction.</descrip>
          </ntig>
        </langSet>
        <langSet xml:lang="zh-HK">
          <ntig>
            <termGrp>
              <term>上訴人</term>
              <termNote type="partOfSpeech">noun</termNote>
              <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
            </termGrp>
          </ntig>
          <ntig>
            <termGrp>
              <term>上訴方</term>
              <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>
            </termGrp>
            <note>Not used in judgments since 1997.</note>
          </ntig>
        </langSet>
      </termEntry>
      <termEntry id="c2">
        <langSet xml:lang="en">
          <tig><term>respondent</term><termNote type="partOfSpeech">noun</termNote></tig>
        </langSet>
        <langSet xml:lang="zh-HK">
          <tig><term>答辯人</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
        </langSet>
      </termEntry>
    </body>
  </text>
</martif>
""".encode()

TBX_V3 = """<?xml version="1.0" encoding="UTF-8"?>
<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>
<tbx style="dca" type="TBX-Basic" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader>
    <fileDesc><sourceDesc><p>HK legal terms, TBX v3</p></sourceDesc></fileDesc>
  </tbxHeader>
  <text>
    <body>
      <conceptEntry id="c10">
        <descrip type="subjectField">Civil procedure</descrip>
        <langSec xml:lang="en">
          <descrip type="definition">The party against whom an appeal is brought.</descrip>
          <termSec>
            <term>respondent</term>
            <termNote type="partOfSpeech">noun</termNote>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          </termSec>
        </langSec>
        <langSec xml:lang="zh-Hant-HK">
          <termSec>
            <term>答辯人</term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          </termSec>
          <termSec>
            <term>被上訴人</term>
            <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>
            <note>Mainland usage.</note>
          </termSec>
        </langSec>
      </conceptEntry>
      <conceptEntry id="c11">
        <langSec xml:lang="en"><termSec><term>writ of summons</term></termSec></langSec>
        <langSec xml:lang="fr"><termSec><term>assignation</term></termSec></langSec>
      </conceptEntry>
    </body>
  </text>
</tbx>
""".encode()

TERMS_CSV = (
    "en,zh-Hant-HK,part of speech,definition,usage status\n"
    "appellant,上訴人,noun,A party who appeals.,preferred\n"
    "appellant,上訴方,noun,,deprecated\n"
).encode()
