//! The demo city's 子育てイベントカレンダー: a few weeks of events in the style of 東広島市's
//! 子育て支援センター and health center, dated from the day the demo starts — a drop-in 絵本の
//! 読み聞かせ, 親子ふれあいあそび for 0–1歳 and a 離乳食教室 for 5–8か月 applied for on the
//! portal with a capacity, and a 両親学級 for expectant parents applied for by phone.

use anyhow::Context;
use jiff::{ToSpan, civil::Date};

use crate::{events::EventDraft, store::sqlite::SqliteStore, web::AppState};

/// (days from today, title, place, start, end, ages in months, pregnant, capacity,
/// application, how, description).
type Demo = (
    i32,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<(u32, u32)>,
    bool,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const EVENTS: &[Demo] = &[
    (
        3,
        "親子ふれあいあそび",
        "西条子育て支援センター（西条栄町8-29）",
        "10:00",
        "11:00",
        Some((0, 23)),
        false,
        "15",
        "portal",
        "",
        "手あそびやふれあいあそびを親子で楽しみます。\n\n動きやすい服装でお越しください。",
    ),
    (
        5,
        "絵本の読み聞かせ",
        "西条子育て支援センター（西条栄町8-29）",
        "10:30",
        "11:00",
        None,
        false,
        "",
        "none",
        "",
        "ボランティアの方による絵本の読み聞かせです。自由参加、途中の出入りも自由です。",
    ),
    (
        10,
        "離乳食教室",
        "東広島市保健センター 栄養指導室",
        "10:00",
        "11:30",
        Some((5, 8)),
        false,
        "12",
        "portal",
        "",
        "管理栄養士が離乳食の進め方や作り方をお話しします（試食あり）。\n\n母子健康手帳をお持ちください。",
    ),
    (
        12,
        "絵本の読み聞かせ",
        "西条子育て支援センター（西条栄町8-29）",
        "10:30",
        "11:00",
        None,
        false,
        "",
        "none",
        "",
        "ボランティアの方による絵本の読み聞かせです。自由参加、途中の出入りも自由です。",
    ),
    (
        17,
        "両親学級（プレママ・プレパパ教室）",
        "東広島市保健センター 多目的室",
        "13:30",
        "15:30",
        None,
        true,
        "20",
        "other",
        "電話で 082-420-0407（こども家庭課）へ",
        "沐浴の練習や妊娠中の過ごし方、産後の生活についてお話しします。ご夫婦でどうぞ。",
    ),
];

/// Publishes the demo events as the demo center's staff member.
pub async fn seed(state: &AppState, store: &SqliteStore, staff: &str) -> anyhow::Result<()> {
    let staff = crate::demo_centers::account(store, staff).await?;
    let today = state.clock.today();
    for (days, title, place, start, end, ages, pregnant, capacity, application, how, about) in
        EVENTS
    {
        let day: Date = today.checked_add(days.days()).context("demo event day")?;
        let draft = EventDraft {
            title: (*title).to_owned(),
            description: (*about).to_owned(),
            place: (*place).to_owned(),
            start_date: day.to_string(),
            start_time: (*start).to_owned(),
            end_time: (*end).to_owned(),
            age_from_months: ages.map(|(from, _)| from.to_string()).unwrap_or_default(),
            age_to_months: ages.map(|(_, to)| to.to_string()).unwrap_or_default(),
            pregnant: *pregnant,
            capacity: (*capacity).to_owned(),
            application: (*application).to_owned(),
            how: (*how).to_owned(),
            ..EventDraft::default()
        };
        // Applications on the portal close at 17:00 the day before, as the centers ask.
        let draft = if *application == "portal" {
            let eve = day.yesterday().context("demo event eve")?;
            EventDraft {
                closes: format!("{eve}T17:00"),
                ..draft
            }
        } else {
            draft
        };
        state
            .kosodate_events
            .publish(&staff, &draft)
            .await
            .map_err(|error| anyhow::anyhow!("demo event {title}: {error}"))?;
    }
    Ok(())
}
