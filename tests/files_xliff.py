"""XLIFF files built in the test, from the units' own markup."""


def xliff_1_2(*units, source_language="en", target_language="zh-HK"):
    target = f' target-language="{target_language}"' if target_language else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        f'<file original="judgment.docx" source-language="{source_language}"{target}'
        ' datatype="plaintext">\n<body>\n' + "\n".join(units) + "\n</body>\n</file>\n</xliff>\n"
    ).encode()


def xliff_2_0(*units, source_language="en", target_language="zh-Hant-HK"):
    target = f' trgLang="{target_language}"' if target_language else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0"'
        f' srcLang="{source_language}"{target}>\n<file id="f1">\n'
        + "\n".join(units)
        + "\n</file>\n</xliff>\n"
    ).encode()


def trans_unit(id, source, target=None, state=None, approved=None):
    """A 1.2 <trans-unit>; `source` and `target` are inline markup."""
    approved = f' approved="{approved}"' if approved else ""
    state = f' state="{state}"' if state else ""
    target = f"<target{state}>{target}</target>" if target is not None else ""
    return f'<trans-unit id="{id}"{approved}><source>{source}</source>{target}</trans-unit>'


def unit(id, *segments):
    return f'<unit id="{id}">' + "".join(segments) + "</unit>"


def segment(source, target=None, state=None, id=None):
    """A 2.0 <segment>; `source` and `target` are inline markup."""
    id = f' id="{id}"' if id else ""
    state = f' state="{state}"' if state else ""
    target = f"<target>{target}</target>" if target is not None else ""
    return f"<segment{id}{state}><source>{source}</source>{target}</segment>"


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="x" source-language="en" datatype="plaintext"><body>
<trans-unit id="1"><source>&secret;</source></trans-unit>
</body></file></xliff>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="x" source-language="en" datatype="plaintext"><body>
<trans-unit id="1"><source>&lol9;</source></trans-unit>
</body></file></xliff>
"""
