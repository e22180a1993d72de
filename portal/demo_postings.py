"""Demo postings of all five kinds, keyed by the demo member's e-mail."""
from __future__ import annotations

from datetime import date, timedelta

from portal.postings.models import EducationLevel, PostingKind

TALENT, ORDER, TOPIC = (PostingKind.TALENT_DEMAND, PostingKind.TRAINING_ORDER,
                        PostingKind.RESEARCH_TOPIC)
CURRICULUM, MENTOR = PostingKind.CURRICULUM, PostingKind.MENTOR_OFFER
IN_3_MONTHS = date.today() + timedelta(days=90)

# (author e-mail, kind, publish?, fields)
DEMO_POSTINGS = [
    ("hr@chengyao.demo", TALENT, True, dict(
        title="CNC数控操机员", major="数控技术", education=EducationLevel.HIGHER_VOCATIONAL,
        description="招CNC操机，会看图纸，懂西门子系统。负责数控车床、加工中心的日常操作、"
                    "首件检验与程序微调，配合工艺员完成新品试制。",
        skills="CNC编程、机械制图、西门子828D、数控车床操作、首件检验",
        headcount=6, salary_min=6500, salary_max=9000, deadline=IN_3_MONTHS)),
    ("hr@chengyao.demo", ORDER, True, dict(
        title="智能产线运维订单班", major="机电一体化技术",
        education=EducationLevel.HIGHER_VOCATIONAL,
        description="为公司新建的智能装配产线定向培养运维技术员，重点是PLC编程调试、工业机器人"
                    "示教与产线故障排查，第二学年进入企业轮岗实训。",
        skills="PLC编程、工业机器人示教、电气控制、液压与气动、产线故障诊断",
        headcount=30, duration_months=24, hire_count=25,
        details=dict(start_term="2027年秋季", contributions=["practical_training", "mentors",
                                                          "equipment"],
                     contribution_notes="提供两条实训产线和四名工程师导师，每周一天到校授课。",
                     hiring_terms="结业考核合格者录用为运维技术员，起薪7000元，服务期三年。"))),
    ("hr@chiyuan.demo", TALENT, True, dict(
        title="新能源汽车电池包装配技术员", major="新能源汽车技术",
        education=EducationLevel.HIGHER_VOCATIONAL,
        description="负责动力电池包装配、气密性检测与BMS线束连接，遵守高压安全规范，"
                    "参与产线5S和质量改进活动。",
        skills="动力电池装配、BMS、高压电安全、气密性检测、汽车电工电子",
        headcount=12, salary_min=6000, salary_max=8500)),
    ("hr@chiyuan.demo", TOPIC, True, dict(
        title="电驱壳体压铸件缺陷智能检测", major="机械工程",
        description="电驱动壳体压铸件气孔、裂纹缺陷依靠人工目检，漏检率约3%。希望与高校合作，"
                    "基于机器视觉和深度学习建立在线检测系统。",
        skills="机器视觉、深度学习、缺陷检测、工业相机选型",
        budget=800_000, duration_months=18,
        details=dict(goals="漏检率降至0.5%以下；单件检测时间不超过3秒；完成产线部署。",
                     ip_arrangement="joint", ip_notes="双方共有专利，企业享有优先实施权。"))),
    ("hr@xinhong.demo", TALENT, True, dict(
        title="集成电路版图设计工程师", major="集成电路设计与集成系统",
        education=EducationLevel.BACHELOR,
        description="负责模拟电路版图设计与验证（DRC/LVS），与电路设计工程师配合完成"
                    "电源管理芯片的版图实现。",
        skills="IC版图设计、Virtuoso、Calibre DRC/LVS、模拟电路",
        headcount=3, salary_min=12000, salary_max=20000)),
    ("hr@xinhong.demo", TALENT, True, dict(
        title="芯片测试技术员", major="微电子技术", education=EducationLevel.HIGHER_VOCATIONAL,
        description="负责芯片FT测试机台的操作与维护，35岁以下，限男性，能适应倒班。",
        skills="半导体测试、ATE测试机操作",
        headcount=5, salary_min=5500, salary_max=7500)),
    ("hr@yile.demo", ORDER, True, dict(
        title="社区康养护理订单班", major="智慧健康养老服务与管理",
        education=EducationLevel.HIGHER_VOCATIONAL,
        description="为社区嵌入式养老服务站培养持证养老护理员，掌握失能老人照护、"
                    "康复辅助和智慧养老平台使用。",
        skills="老年照护、康复护理、养老护理员证、智慧养老平台、沟通技巧",
        headcount=40, duration_months=12, hire_count=30,
        details=dict(start_term="2027年春季", contributions=["practical_training", "funding"],
                     contribution_notes="提供6个社区站点实训岗位，每人每月实习补贴1500元。",
                     hiring_terms="取得证书者签约，服务期两年。"))),
    ("hr@yile.demo", TALENT, False, dict(
        title="康复治疗师（草稿）", major="康复治疗技术",
        description="负责老年人日常康复训练计划的制定与实施。",
        skills="康复评定、运动疗法", headcount=2)),
    ("staff@lingang.demo", CURRICULUM, True, dict(
        title="数控技术专业", major="数控技术", education=EducationLevel.HIGHER_VOCATIONAL,
        description="培养掌握数控编程、数控机床操作与维护的高素质技术技能人才，"
                    "对接智能制造企业的数控加工岗位。",
        courses="数控机床编程与操作、机械制图、CAD/CAM应用、数控机床故障诊断、公差配合与测量",
        skills="CNC编程、数控车床操作、FANUC系统、西门子系统、CAD/CAM",
        capacity=120, details=dict(facilities="五轴加工中心4台、数控车床20台，国家级实训基地。"))),
    ("staff@lingang.demo", CURRICULUM, True, dict(
        title="机电一体化技术专业", major="机电一体化技术",
        education=EducationLevel.HIGHER_VOCATIONAL,
        description="面向智能产线，培养能从事自动化设备安装调试、运行维护的技术人员。",
        courses="可编程控制器应用、电机与拖动、液压与气动技术、工业机器人技术、传感器技术",
        skills="PLC、液压与气动、工业机器人、电气控制", capacity=90)),
    ("staff@lingang.demo", CURRICULUM, True, dict(
        title="新能源汽车技术专业", major="新能源汽车技术",
        education=EducationLevel.HIGHER_VOCATIONAL,
        description="培养新能源汽车动力电池、电机电控装配检测与维修的技术技能人才。",
        courses="动力电池技术、电机及控制技术、汽车电工电子、高压安全与防护",
        skills="动力电池、BMS、电机控制、高压安全", capacity=80)),
    ("staff@pujiang.demo", CURRICULUM, True, dict(
        title="数据科学与大数据技术专业", major="数据科学与大数据技术",
        education=EducationLevel.BACHELOR,
        description="培养具备数据分析、机器学习建模和大数据平台开发能力的应用型人才。",
        courses="Python程序设计、机器学习、数据挖掘、分布式计算、数据可视化",
        skills="Python、机器学习、数据分析、Spark", capacity=60)),
    ("staff@pujiang.demo", MENTOR, True, dict(
        title="智能感知与机器视觉团队", major="控制科学与工程",
        description="团队长期从事工业视觉检测、深度学习目标检测研究，承担过多项汽车零部件"
                    "缺陷检测横向课题。",
        skills="机器视觉、深度学习、缺陷检测、嵌入式部署", capacity=4,
        details=dict(offers=["theory", "joint_rd", "host_mentors"],
                     availability="每学期可接收2名企业导师驻校授课；全年可承接联合攻关。"))),
    ("staff@pujiang.demo", CURRICULUM, True, dict(
        title="微电子科学与工程专业", major="微电子科学与工程", education=EducationLevel.BACHELOR,
        description="培养集成电路设计、版图与测试方向的工程技术人才。",
        courses="模拟集成电路设计、集成电路版图设计、半导体器件物理、芯片测试技术",
        skills="IC设计、版图设计、Virtuoso、芯片测试", capacity=50)),
    ("staff@shencheng.demo", CURRICULUM, True, dict(
        title="智慧健康养老服务与管理专业", major="智慧健康养老服务与管理",
        education=EducationLevel.HIGHER_VOCATIONAL,
        description="培养老年照护、康复保健与养老机构运营管理的复合型人才。",
        courses="老年照护技术、康复护理、老年心理与沟通、养老机构运营管理",
        skills="老年照护、康复护理、养老护理员证、老年心理", capacity=70)),
    ("staff@shencheng.demo", MENTOR, True, dict(
        title="老年照护双导师工作室", major="护理学",
        description="由护理学院教师与养老机构护理主管组成，开展照护技能教学与"
                    "照护标准研究。",
        skills="老年照护、护理质量管理、照护标准", capacity=6,
        details=dict(offers=["theory", "host_mentors"],
                     availability="每周三下午固定教学。"))),
]
