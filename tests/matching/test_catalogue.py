"""The official major catalogues: names, the hierarchy, and level."""
from portal.matching.catalogue import read_majors, shipped_catalogue
from portal.matching.normalise import normalise


def refs(text):
    return [(ref.kind, ref.key) for _words, ref in shipped_catalogue().find(normalise(text))]


def test_both_catalogues_are_shipped_with_their_classes():
    entries = read_majors()
    levels = {major.level for major, _aliases in entries}
    assert levels == {"本科", "高职", "中职"}
    assert len(entries) > 250
    software = shipped_catalogue().majors["软件工程"]
    assert (software.code, software.class_code, software.class_name) == (
        "080902", "0809", "计算机类")


def test_a_class_name_reaches_its_field_in_both_catalogues():
    catalogue = shipped_catalogue()
    assert refs("计算机类") == [("field", "computing")]
    assert catalogue.majors["软件技术"].field == catalogue.majors["软件工程"].field == "computing"


def test_longest_name_wins():
    assert refs("电子商务") == [("major", "电子商务")]
    assert refs("电子信息工程") == [("major", "电子信息工程")]


def test_latin_names_count_as_whole_words_only():
    assert refs("lawyer with mathematics") == [("major", "数学与应用数学")]


def test_a_programme_is_known_by_its_major_or_title():
    catalogue = shipped_catalogue()
    assert catalogue.programme("", "电气自动化技术专业").name == "电气自动化技术"
    assert catalogue.programme("软件技术", "").level == "高职"
    assert catalogue.programme("", "校企合作实训") is None


def test_hierarchy_columns():
    catalogue = shipped_catalogue()
    columns = catalogue.columns_of(catalogue.majors["软件工程"])
    assert columns == {"major:软件工程": 1.0, "field:computing": 1.0, "category:本科:08": 1.0}


def test_marked_short_names_name_a_whole_class():
    assert refs("外语") == [("field", "languages")]
    assert refs("财经") == [("category", "本科:02|本科:12")]
    assert refs("轮机工程") == [("major", "轮机工程")]


def test_secondary_vocational_majors_join_the_same_fields():
    catalogue = shipped_catalogue()
    secondary = catalogue.programme("机电技术应用", "")
    assert secondary.level == "中职" and secondary.class_code == "6603"
    assert secondary.field == catalogue.majors["机电一体化技术"].field == "automation"
