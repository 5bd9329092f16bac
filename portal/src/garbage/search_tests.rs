use super::*;

fn target(kind: &str, name: &str, notice: &str, furigana: &str) -> Target {
    Target {
        kind: kind.into(),
        name: name.into(),
        notice: notice.into(),
        furigana: furigana.into(),
    }
}

fn dictionary() -> SortingDictionary {
    SortingDictionary::new([
        target(
            "プラ",
            "ペットボトルのキャップ",
            "",
            "ぺっとぼとるのきゃっぷ",
        ),
        target(
            "資源",
            "ペットボトル",
            "キャップとラベルを外す",
            "ぺっとぼとる",
        ),
        target("可燃ごみ", "紙袋", "", "かみぶくろ"),
        target("可燃ごみ", "使い捨てカイロ", "", "つかいすてかいろ"),
    ])
}

fn names<'a>(hits: &[SearchHit<'a>]) -> Vec<&'a str> {
    hits.iter().map(|hit| hit.target.name.as_str()).collect()
}

#[test]
fn half_width_katakana_finds_the_exact_item_first() {
    let dictionary = dictionary();
    let hits = dictionary.search("ﾍﾟｯﾄﾎﾞﾄﾙ", 10);
    assert_eq!(names(&hits), ["ペットボトル", "ペットボトルのキャップ"]);
    assert_eq!(hits[0].rank, MatchRank::ExactName);
    assert_eq!(hits[0].target.kind, "資源");
    assert_eq!(hits[0].target.notice, "キャップとラベルを外す");
    assert_eq!(hits[1].rank, MatchRank::NamePrefix);
    assert_eq!(names(&dictionary.search("ぺっとぼとる", 10)), names(&hits));
}

#[test]
fn readings_and_inner_matches_rank_below_names() {
    let dictionary = dictionary();
    let hits = dictionary.search("かみ", 10);
    assert_eq!(names(&hits), ["紙袋"]);
    assert_eq!(hits[0].rank, MatchRank::ReadingPrefix);
    assert_eq!(
        dictionary.search("ぶくろ", 10)[0].rank,
        MatchRank::ReadingContains
    );
    // カイロ is inside a name; the shorter name wins a tie of position.
    assert_eq!(
        dictionary.search("ｶｲﾛ", 10)[0].rank,
        MatchRank::NameContains
    );
    assert_eq!(
        names(&dictionary.search("ボトル", 10)),
        ["ペットボトル", "ペットボトルのキャップ"]
    );
}

#[test]
fn every_word_must_match_and_the_limit_holds() {
    let dictionary = dictionary();
    assert_eq!(
        names(&dictionary.search("ペット　キャップ", 10)),
        ["ペットボトルのキャップ"]
    );
    assert_eq!(
        dictionary.search("紙 袋", 10)[0].rank,
        MatchRank::NameContains
    );
    assert!(dictionary.search("ペット 缶", 10).is_empty());
    assert_eq!(dictionary.search("ペット", 1).len(), 1);
    assert!(dictionary.search("  ", 10).is_empty());
    assert!(dictionary.search("", 10).is_empty());
}

#[test]
fn kanazawas_dictionary_answers_with_kind_and_notice() {
    let text = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/5374/kanazawa/target.csv"
    ));
    let targets = text.lines().skip(1).map(|line| {
        let fields: Vec<&str> = line.split(',').collect();
        target(fields[0], fields[1], fields[2], fields[3])
    });
    let dictionary = SortingDictionary::new(targets);
    assert_eq!(dictionary.len(), 1037);

    // The same item can go out as different kinds by size: the notice-less rows say which.
    let iron = dictionary.search("ｱｲﾛﾝ", 5);
    assert_eq!(
        names(&iron),
        [
            "アイロン",
            "アイロン台（７０㎝超）",
            "アイロン台（７０㎝以下）"
        ]
    );
    let kinds: Vec<&str> = iron.iter().map(|hit| hit.target.kind.as_str()).collect();
    assert_eq!(kinds, ["燃やさないごみ", "燃やさないごみ", "燃やすごみ"]);

    let spray = dictionary.search("スプレー缶", 5);
    assert_eq!(names(&spray), ["スプレー缶", "缶（スプレー缶）"]);
    assert_eq!(spray[0].rank, MatchRank::ExactName);
    assert!(spray.iter().all(|hit| hit.target.kind == "資源"));
    assert!(spray[0].target.notice.contains("穴をあける"));

    // Full-width letters in the city's names are found by ASCII queries.
    assert_eq!(names(&dictionary.search("ic", 1)), ["ＩＣレコーダー"]);
}
