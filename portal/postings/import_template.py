"""The Excel template coordinators hand to districts, associations and universities: one
sheet of organisations and one per posting type, the importer's field names as headers,
an explanation on each header, one example row, and drop-down lists where a field takes
one of a few values. The importer reads the file as it comes back (tested round trip)."""
from __future__ import annotations

import io
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.accounts.models import EnterpriseSize, OrgKind, UniversityLevel
from portal.monitoring.districts import layout
from portal.postings.importer import MAX_NUMBER
from portal.postings.models import PostingKind

ORGANIZATIONS_SHEET = "organizations"
LIST_HINT = _l("Several items separated by ；or 、")


@dataclass(frozen=True)
class Column:
    name: str  # the importer's field name, the header
    meaning: object  # shown as the header's note
    choices: tuple[str, ...] = ()  # a drop-down list
    strict: bool = True  # refuse a value off the list (else only suggest the list)
    number: bool = False
    width: int = 16


REF = Column("ref", _l("Required. Your own id for the record, unique in the file: importing "
                       "the same id again updates the record instead of adding it."), width=10)
DISTRICT = Column("district", _l("The district, e.g. 浦东新区."),
                  tuple(tile.district for tile in layout()), strict=False, width=12)
INDUSTRY = Column("industry", _l("The industry, e.g. 智能制造."), width=14)

ORGANIZATION_COLUMNS = (
    REF,
    Column("kind", _l("Required. enterprise or university."),
           tuple(kind.value for kind in OrgKind), width=12),
    Column("name", _l("Required. The registered name."), width=30),
    Column("credit_code", _l("The 18-character unified social credit code."), width=22),
    DISTRICT, INDUSTRY,
    Column("size", _l("Enterprises: micro, small, medium or large."),
           tuple(size.value for size in EnterpriseSize)),
    Column("level", _l("Universities: undergraduate, higher_vocational, "
                       "secondary_vocational, technician or graduate_school."),
           tuple(level.value for level in UniversityLevel), width=20),
)


def _number(name: str, meaning: object) -> Column:
    return Column(name, meaning, number=True, width=11)


def _posting_columns(kind: PostingKind) -> tuple[Column, ...]:
    figures = {
        PostingKind.TALENT_DEMAND: (_number("headcount", _l("People wanted, a whole number.")),),
        PostingKind.TRAINING_ORDER: (_number("headcount", _l("Seats ordered, a whole "
                                                             "number.")),),
        PostingKind.RESEARCH_TOPIC: (_number("budget", _l("Budget in yuan, a whole "
                                                          "number.")),),
        PostingKind.CURRICULUM: (Column("courses", LIST_HINT, width=30),
                                 _number("capacity", _l("Graduates a year, a whole "
                                                        "number."))),
        PostingKind.MENTOR_OFFER: (_number("capacity", _l("Mentors available, a whole "
                                                          "number.")),),
    }[kind]
    return (
        REF,
        Column("org", _l("Required. The ref of its organisation on the organizations sheet, "
                         "or of one already in the portal."), width=10),
        Column("title", _l("Required. A short title."), width=24),
        Column("description", _l("Required. What is asked or offered, in full."), width=40),
        Column("skills", LIST_HINT, width=30),
        Column("major", _l("The major or programme, e.g. 电气自动化技术."), width=18),
        *figures, DISTRICT, INDUSTRY,
    )


# One example row per sheet, in the columns' order (the importer takes them as they are).
EXAMPLES: dict[str, tuple[object, ...]] = {
    ORGANIZATIONS_SHEET: ("E01", "enterprise", "上海示例智能装备有限公司", "", "闵行区", "智能制造",
                          "small", ""),
    PostingKind.TALENT_DEMAND.value: (
        "D001", "E01", "PLC电气工程师",
        "负责产线PLC程序调试与设备维护，大专及以上学历，电气自动化相关专业。",
        "PLC编程；电气图纸；西门子S7-1200", "电气自动化技术", 3, "闵行区", "智能制造"),
    PostingKind.TRAINING_ORDER.value: (
        "T001", "E01", "工业机器人运维订单班", "合作培养工业机器人运维人才，第三学年进入企业实训。",
        "工业机器人；PLC编程", "工业机器人技术", 30, "闵行区", "智能制造"),
    PostingKind.RESEARCH_TOPIC.value: (
        "R001", "E01", "焊接缺陷视觉检测", "研究焊缝图像的缺陷自动识别，用于产线质检。",
        "机器视觉；深度学习", "人工智能", 200000, "闵行区", "智能制造"),
    PostingKind.CURRICULUM.value: (
        "S001", "U01", "机电一体化技术专业", "培养掌握机电设备安装调试与维护的技术技能人才。",
        "PLC；液压与气动", "机电一体化技术", "可编程控制器应用；电机与拖动", 45, "浦东新区", ""),
    PostingKind.MENTOR_OFFER.value: (
        "M001", "U01", "智能制造双导师", "学校教师与企业工程师共同指导毕业设计与实训项目。",
        "工业机器人；智能制造", "机械设计制造及其自动化", 2, "浦东新区", ""),
}
# The university that publishes the example curriculum and mentor offer.
EXAMPLE_UNIVERSITY = ("U01", "university", "上海示例职业技术学院", "", "浦东新区", "", "",
                      "higher_vocational")


def sheets() -> list[tuple[str, tuple[Column, ...], list[tuple[object, ...]]]]:
    """(sheet name, columns, example rows), organisations first."""
    result = [(ORGANIZATIONS_SHEET, ORGANIZATION_COLUMNS,
               [EXAMPLES[ORGANIZATIONS_SHEET], EXAMPLE_UNIVERSITY])]
    result += [(kind.value, _posting_columns(kind), [EXAMPLES[kind.value]])
               for kind in PostingKind]
    return result


def template_bytes() -> bytes:
    """The workbook, its notes in the current language."""
    from openpyxl import Workbook  # only the template and exports need it
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    workbook.remove(workbook.active)
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="E8EEF7")
    for title, columns, examples in sheets():
        sheet = workbook.create_sheet(title)
        sheet.append([column.name for column in columns])
        for example in examples:
            sheet.append(list(example))
        sheet.freeze_panes = "A2"
        for number, column in enumerate(columns, start=1):
            letter = get_column_letter(number)
            cell = sheet.cell(row=1, column=number)
            cell.font, cell.fill = header_font, header_fill
            cell.comment = Comment(str(column.meaning), "portal", width=260, height=110)
            sheet.column_dimensions[letter].width = column.width
            cells = f"{letter}2:{letter}10000"
            validation = _validation(DataValidation, column)
            if validation is not None:
                validation.add(cells)
                sheet.add_data_validation(validation)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _validation(factory, column: Column):  # noqa: ANN001, ANN202 - openpyxl's own types
    if column.number:
        return factory(type="whole", operator="between", formula1="0",
                       formula2=str(MAX_NUMBER), allow_blank=True, showErrorMessage=True,
                       error=str(_l("A whole number from 0 to %(max)s.",
                                    max=f"{MAX_NUMBER:,}")))
    if not column.choices:
        return None
    # A list typed into the rule itself: no helper sheet the importer would read.
    return factory(type="list", formula1='"' + ",".join(column.choices) + '"',
                   allow_blank=True, showErrorMessage=True,
                   errorStyle="stop" if column.strict else "information",
                   error=str(_l("Choose a value from the list.")))
