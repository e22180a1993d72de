"""The hybrid ranker: lexical evidence always counts, requirements only add."""
from portal.matching import weights as weights_file
from portal.matching.normalise import Segmenter
from portal.matching.scoring import COMPONENTS, Doc, rank
from portal.matching.taxonomy import shipped_taxonomy

TAXONOMY = shipped_taxonomy()
SEGMENTER = Segmenter(TAXONOMY.words())


def programmes():
    return [
        Doc(ref="S1", kind="curriculum", title="软件工程专业", major="软件工程",
            description="培养软件开发与测试人才。", education_rank=2),
        Doc(ref="S2", kind="curriculum", title="大数据技术专业", major="大数据技术",
            description="培养数据采集、清洗与分析人才。", education_rank=1),
        Doc(ref="S3", kind="curriculum", title="护理专业", major="护理",
            description="培养临床护理人才。", education_rank=1),
    ]


def scores(description, **fields):
    demand = Doc(ref="D", kind="talent_demand", title="数据工程师", description=description,
                 **fields)
    return {m.supply: m for m in rank([demand], programmes(), TAXONOMY, SEGMENTER,
                                      top=10)["D"]}


def test_words_the_taxonomy_lacks_still_count():
    # 心电 and 热失控 are in no taxonomy entry: plain overlap must carry them.
    demand = Doc(ref="D", kind="talent_demand", title="心电算法工程师",
                 description="负责心电信号与热失控预警算法。")
    wanted = Doc(ref="S9", kind="curriculum", title="生物医学工程（心电方向）",
                 description="心电信号处理、电池热失控监测。")
    other = Doc(ref="S8", kind="curriculum", title="市场营销专业", description="营销策划。")
    ranked = rank([demand], [other, wanted], TAXONOMY, SEGMENTER)["D"]
    assert ranked[0].supply == "S9" and ranked[0].components["lexical"] > 0


def test_a_named_major_ranks_the_programme_first():
    plain = scores("负责数据处理与分析报表。")
    named = scores("负责数据处理与分析报表。软件工程等相关专业。")
    assert max(named, key=lambda ref: named[ref].score) == "S1"
    assert named["S1"].components["majors"] > plain["S1"].components["majors"] == 0


def test_adding_a_met_requirement_never_lowers_a_score():
    base = scores("负责数据处理与分析。")
    for extra in ("计算机类专业。", "本科及以上学历。", "软件工程专业，本科及以上学历。"):
        richer = scores("负责数据处理与分析。" + extra)
        # S1 (本科 软件工程) meets each of these requirements.
        assert richer["S1"].score >= base["S1"].score - 1e-6, extra


def test_the_degree_floor_is_explained():
    found = scores("本科及以上学历，计算机相关专业。")
    assert ["degree", "met", 2, 2] in found["S1"].fit
    assert ["degree", "missed", 2, 1] in found["S2"].fit
    assert ["major", "met", "计算机", "大数据技术"] in found["S2"].fit
    assert found["S1"].components["degree"] > found["S2"].components["degree"] == 0


def test_components_are_the_named_ones_and_add_up():
    match = next(iter(scores("软件工程专业").values()))
    assert set(match.components) == set(COMPONENTS)
    assert abs(sum(match.components.values()) - match.score) < 0.1


def test_weights_are_data_and_can_be_rolled_back(tmp_path):
    path = tmp_path / "weights.json"
    path.write_text(weights_file.WEIGHTS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    before = weights_file.read(path)["weights"]
    weights_file.save({name: 1.0 for name in COMPONENTS}, "test", path)
    saved = weights_file.read(path)
    assert abs(sum(saved["weights"].values()) - 1) < 1e-9
    assert saved["previous"][0]["weights"] == before
    assert weights_file.roll_back(path) == before
