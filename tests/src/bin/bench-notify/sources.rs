//! What the benchmark sends, and how it reads the portal's measures from its log: one
//! announcement, the garbage reminder run, or one 避難情報.

use std::time::SystemTime;

use anyhow::{Result, ensure};
use portal::alerts::{
    AlertTarget, AreaId, Audience, Language, Setting, TargetArea, TargetZones, ZoneId,
};
use portal::store::sqlite::loadtest_alerts::alert_setting;
use shimin_e2e::{FormClient, Portal};

/// The demo city's areas (東広島市's nine towns).
const DEMO_AREAS: [u32; 9] = [1, 2, 3, 4, 5, 6, 7, 8, 9];

/// The alert's areas (西条町, 八本松町) and hazard zones (土砂災害警戒区域,
/// 土砂災害特別警戒区域).
const ALERT_AREAS: [u32; 2] = [1, 2];
const ALERT_ZONES: [u8; 2] = [1, 2];

/// Publishes one announcement through the staff form; when it was sent.
pub async fn publish(portal: &Portal) -> Result<SystemTime> {
    let staff = FormClient::new(portal.base_url())?;
    staff
        .login("city@demo.invalid", "shimin-demo-2026", None)
        .await?;
    let form = staff.get("/admin/announcements").await?;
    ensure!(form.status == 200, "{form:?}");
    let published_at = SystemTime::now();
    let published = staff
        .submit(
            "/admin/announcements",
            "/admin/announcements",
            &[
                ("category_id", "bousai"),
                ("title", "【訓練】避難指示の発令について"),
                (
                    "body",
                    "これは配信の訓練です。西条地区に避難指示を発令しました（訓練）。",
                ),
                ("link", ""),
                ("publish_at", ""),
            ],
        )
        .await?;
    ensure!(published.status == 303, "{published:?}");
    Ok(published_at)
}

/// The portal's `garbage reminders made` line: deliveries, citizens, choose_ms, started (Unix
/// seconds), total_ms.
pub fn garbage_run(portal: &Portal) -> Option<(u64, u64, f64, f64, f64)> {
    let log = format!("{}\n{}", portal.stdout(), portal.stderr());
    log.lines()
        .filter(|l| l.contains("garbage reminders made"))
        .find_map(|l| {
            let value: serde_json::Value = serde_json::from_str(l).ok()?;
            let fields = &value["fields"];
            Some((
                fields["deliveries"].as_u64()?,
                fields["citizens"].as_u64()?,
                fields["choose_ms"].as_f64()?,
                fields["started_unix"].as_f64()?,
                fields["total_ms"].as_f64()?,
            ))
        })
}

/// Whom the alert reaches among the synthetic citizens (by `load-alerts`' own rule): a
/// function of the citizen's number.
pub fn alert_reaches() -> impl Fn(u64) -> bool {
    let zones = ALERT_ZONES.into_iter().map(ZoneId).collect();
    let target = AlertTarget::Areas(
        ALERT_AREAS
            .into_iter()
            .map(|area| TargetArea {
                area: AreaId(area),
                zones: TargetZones::Only(zones),
            })
            .collect(),
    );
    let audience = Audience::new(&target, Language::ALL.into_iter().collect());
    move |n| {
        let setting = alert_setting(n, &DEMO_AREAS).map_or_else(Setting::default, |stored| {
            let language = Language::parse_or_japanese(&stored.lang);
            Setting::from_stored(stored.receive, language, stored.areas.as_deref())
        });
        audience.language_for(&setting).is_some()
    }
}

/// Sends a 警戒レベル4 避難指示 for the alert's areas × zones through the disaster office's form;
/// when the send was posted (after the form page was fetched).
pub async fn send_alert(portal: &Portal) -> Result<SystemTime> {
    let staff = FormClient::new(portal.base_url())?;
    staff
        .login("bousai@demo.invalid", "shimin-demo-2026", None)
        .await?;
    let form = staff.get("/admin/bousai/new").await?;
    ensure!(form.status == 200, "{form:?}");
    let areas: Vec<String> = ALERT_AREAS.iter().map(u32::to_string).collect();
    let zones: Vec<String> = ALERT_ZONES.iter().map(u8::to_string).collect();
    let mut fields = vec![
        ("action", "send"),
        ("kind", "level4"),
        ("scope", "areas"),
        ("shelters", "西条小学校\n八本松小学校"),
        ("text_ja", "土砂災害の危険が高まっています（訓練）。"),
    ];
    fields.extend(areas.iter().map(|area| ("area", area.as_str())));
    fields.extend(zones.iter().map(|zone| ("zones", zone.as_str())));
    let sent_at = SystemTime::now();
    let sent = staff
        .submit("/admin/bousai/new", "/admin/bousai/new", &fields)
        .await?;
    ensure!(
        sent.status == 303
            && sent
                .location
                .as_deref()
                .is_some_and(|to| to.starts_with("/admin/bousai/alerts/")),
        "{sent:?}"
    );
    Ok(sent_at)
}

/// The portal's `alert sent` line: recipients, choose_ms, total_ms.
pub fn alert_sent(portal: &Portal) -> Option<(u64, f64, f64)> {
    let log = format!("{}\n{}", portal.stdout(), portal.stderr());
    log.lines()
        .filter(|l| l.contains("alert sent"))
        .find_map(|l| {
            let value: serde_json::Value = serde_json::from_str(l).ok()?;
            let fields = &value["fields"];
            Some((
                fields["recipients"].as_u64()?,
                fields["choose_ms"].as_f64()?,
                fields["total_ms"].as_f64()?,
            ))
        })
}
