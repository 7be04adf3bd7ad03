"""Which embedded face draws which characters: the stylesheets' cascade, as a reader applies it."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from publisher.epub.faces import Face, characters_by_face, match_face

FACES = [Face("Serif", 400), Face("Serif", 700), Face("Sans", 700)]
DOC = b"""<html xmlns="http://www.w3.org/1999/xhtml"><head><title>\xe6\xa0\x87\xe9\xa2\x98</title></head>
<body><h2 class="headline">\xe6\xa0\x87</h2><p class="kicker">\xe5\xbc\x95</p><p>\xe6\xad\xa3<b>\xe7\xb2\x97</b></p>
<p class="x">\xe8\xa5\xbf</p></body></html>"""  # 标 (headline), 引 (kicker), 正 粗 (body, bold), 西


def chars(text: str) -> set[int]:
    return {ord(c) for c in text}


def test_the_cascade_decides_each_face() -> None:
    css = """
    html { font-family: "Serif", serif; }
    .headline, .kicker { font-family: "Sans", sans-serif; font-weight: 700; }
    .kicker { font-family: "Serif"; }
    .x { font-family: serif; }
    """
    drawn = characters_by_face([DOC], [css], FACES)
    assert drawn is not None
    assert drawn[Face("Sans", 700)] == chars("标")
    assert drawn[Face("Serif", 700)] == chars("引粗")  # a later rule of equal specificity; <b> is bolder
    assert drawn[Face("Serif", 400)] == chars("正")
    assert drawn[None] == chars("西")  # a generic family first: the reader's own font
    assert not any(chars("题") & got for got in drawn.values())  # the <title> is not drawn


def test_specificity_and_important_win_over_order() -> None:
    css = """
    html { font-family: "Serif"; }
    p.kicker { font-weight: 700; }
    .kicker { font-weight: 400; }
    p { font-weight: 400 !important; }
    """
    drawn = characters_by_face([DOC], [css], FACES)
    assert drawn is not None and chars("引") <= drawn[Face("Serif", 400)]


def test_a_conditional_rule_counts_both_ways() -> None:
    css = 'html { font-family: "Serif"; } @media (min-width: 40em) { .x { font-weight: 700; } }'
    drawn = characters_by_face([DOC], [css], FACES)
    assert drawn is not None
    assert chars("西") <= drawn[Face("Serif", 400)] and chars("西") <= drawn[Face("Serif", 700)]


def test_what_cannot_be_followed_gives_every_face_everything() -> None:
    assert characters_by_face([DOC], ['html { font: 700 1em "Serif"; }'], FACES) is None
    assert characters_by_face([DOC.replace(b'class="x"', b'style="font-family: Sans"')], ["p {}"], FACES) is None


def test_font_matching_picks_the_nearest_weight_as_css_does() -> None:
    assert match_face(FACES, "Serif", 500) == Face("Serif", 400)
    assert match_face(FACES, "Serif", 600) == Face("Serif", 700)
    assert match_face(FACES, "Sans", 400) == Face("Sans", 700)  # the family's only face
    assert match_face(FACES, "Mono", 400) is None


# Alike elements (the same names, classes and ids from the root down) are matched once; a selector
# that reads more than that path still decides each element by itself.
SIBLINGS = b"""<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head>
<body><p class="a">\xe4\xb8\x80</p><p class="a">\xe4\xba\x8c</p><p class="a" id="c">\xe4\xb8\x89</p>
<p class="a">\xe5\x9b\x9b</p></body></html>"""  # 一 二 三 四


def test_a_sibling_selector_decides_alike_elements_apart() -> None:
    css = 'html { font-family: "Serif"; } p.a + p.a { font-weight: 700; }'
    drawn = characters_by_face([SIBLINGS], [css], FACES)
    assert drawn is not None
    assert drawn[Face("Serif", 400)] == chars("一") and drawn[Face("Serif", 700)] == chars("二三四")


def test_a_pseudo_class_decides_alike_elements_apart() -> None:
    css = 'html { font-family: "Serif"; } p:first-child { font-family: "Sans"; font-weight: 700; }'
    drawn = characters_by_face([SIBLINGS], [css], FACES)
    assert drawn is not None
    assert drawn[Face("Sans", 700)] == chars("一") and drawn[Face("Serif", 400)] == chars("二三四")


def test_an_id_selector_decides_its_element_apart_from_alike_ones() -> None:
    css = 'html { font-family: "Serif"; } body #c { font-family: "Sans"; font-weight: 700; }'
    drawn = characters_by_face([SIBLINGS, DOC], [css], FACES)
    assert drawn is not None
    assert drawn[Face("Sans", 700)] == chars("三")
    assert chars("一二四") <= drawn[Face("Serif", 400)]


def test_the_same_path_in_another_document_is_styled_alike() -> None:
    css = 'html { font-family: "Serif"; } body > p.a { font-weight: 700; } p.x { font-family: "Sans"; }'
    drawn = characters_by_face([SIBLINGS, DOC], [css], FACES)
    assert drawn is not None
    assert drawn[Face("Serif", 700)] == chars("一二三四标粗")  # 标: an h2, bold in any reader
    assert drawn[Face("Sans", 700)] == chars("西")  # the family's only face


def test_a_comment_in_a_parsed_tree_is_no_element_and_its_text_is_not_drawn() -> None:
    css = 'html { font-family: "Serif"; } p + p { font-family: "Sans"; font-weight: 700; }'
    parser = ElementTree.XMLParser(target=ElementTree.TreeBuilder(insert_comments=True))
    parser.feed('<html xmlns="http://www.w3.org/1999/xhtml"><body><p>一</p><!--注--><p>二</p></body></html>')
    drawn = characters_by_face([parser.close()], [css], FACES)
    assert drawn is not None
    assert drawn[Face("Serif", 400)] == chars("一")
    assert drawn[Face("Sans", 700)] == chars("二")  # the comment is no sibling between them
    assert not any(chars("注") & got for got in drawn.values())
