//! Deliveries to chosen accounts ([`Audience::AccountsIn`] for alerts, [`Audience::Accounts`]
//! for garbage reminders) on the real store, with the synthetic citizens of
//! `load-citizens` and the alert settings of `load-alerts`.

use std::collections::{HashMap, HashSet};

use super::super::{SqliteStore, loadtest::LoadCitizens, test_support};
use super::*;
use crate::{
    alerts::choose_recipients,
    alerts::{AlertTarget, AreaId, Language, Setting, TargetArea, TargetZones, ZoneId},
    domain::{AccountId, notify::Service},
    store::{AlertStore, Content, DeliveryStore},
};

/// A store with `count` synthetic citizens (half on LINE), the demo city's nine areas and the
/// citizens' alert settings.
async fn city(count: u64) -> (SqliteStore, tempfile::TempDir) {
    let (store, dir) = test_support::store();
    store
        .db
        .write(|tx| {
            tx.execute(
                "INSERT INTO categories VALUES ('bousai', '防災・安全', 1, '2026-12-03T00:00:00Z')",
                [],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let areas = (1..=9).map(|id| (id, format!("町{id}"))).collect();
    store.add_alert_areas(areas).await.unwrap();
    let spec = LoadCitizens {
        count,
        category_id: "bousai".into(),
        line_percent: 50,
        en_percent: 10,
    };
    store.add_load_citizens(spec).await.unwrap();
    store.add_load_alerts().await.unwrap();
    (store, dir)
}

/// Everyone an alert for areas 1 and 2 × 土砂災害 zones 1 and 2 reaches, in their language.
async fn chosen(store: &SqliteStore) -> Vec<(AccountId, String)> {
    let zones = [ZoneId(1), ZoneId(2)].into_iter().collect();
    let target = AlertTarget::Areas(
        [1, 2]
            .map(|area| TargetArea {
                area: AreaId(area),
                zones: TargetZones::Only(zones),
            })
            .to_vec(),
    );
    let settings: Vec<(AccountId, Setting)> = store
        .alert_audience()
        .await
        .unwrap()
        .into_iter()
        .map(|(account, stored)| {
            let setting = stored.map_or_else(Setting::default, |s| {
                let language = Language::parse_or_japanese(&s.lang);
                Setting::from_stored(s.receive, language, s.areas.as_deref())
            });
            (account, setting)
        })
        .collect();
    let languages = Language::ALL.into_iter().collect();
    choose_recipients(&target, languages, settings.iter().map(|(a, s)| (*a, s)))
        .into_iter()
        .map(|(account, language)| (account, language.code().to_owned()))
        .collect()
}

fn delivery(audience: Audience, source: Source) -> NewDelivery {
    let contents = Language::ALL
        .into_iter()
        .map(|language| Content {
            lang: language.code().to_owned(),
            subject: "【避難指示】".into(),
            text: "避難してください".into(),
            html: "<p>避難してください</p>".into(),
            line_text: "避難してください".into(),
            line_actions: Vec::new(),
        })
        .collect();
    NewDelivery {
        delivery_id: Uuid::now_v7(),
        kind: "alert",
        service: Service::Bousai,
        source,
        title: "【避難指示】".into(),
        contents,
        audience,
    }
}

/// The delivery's rows: (account, channel, address, lang, batch).
type Row = (String, String, String, String, Option<String>);

async fn rows(store: &SqliteStore, delivery_id: Uuid) -> Vec<Row> {
    store
        .db
        .read(move |conn| {
            let mut statement = conn.prepare(
                "SELECT account_id, channel, address, lang, batch_id FROM delivery_recipients \
                 WHERE delivery_id = ?1 ORDER BY recipient_id",
            )?;
            let rows = statement
                .query_map([delivery_id.to_string()], |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                    ))
                })?
                .collect::<Result<_, _>>()?;
            Ok(rows)
        })
        .await
        .unwrap()
}

/// Each account's email and LINE user id.
async fn addresses(store: &SqliteStore) -> HashMap<String, (String, Option<String>)> {
    store
        .db
        .read(|conn| {
            let mut statement = conn.prepare(
                "SELECT a.account_id, a.email, l.line_user_id FROM accounts a \
                 LEFT JOIN line_links l USING (account_id)",
            )?;
            let rows = statement
                .query_map([], |row| Ok((row.get(0)?, (row.get(1)?, row.get(2)?))))?
                .collect::<Result<_, _>>()?;
            Ok(rows)
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn an_alert_reaches_each_chosen_citizen_once_in_their_language_on_their_channels() {
    let (store, _dir) = city(3000).await;
    let mut chosen = chosen(&store).await;
    assert!(
        chosen.len() > 2000 && chosen.len() < 2500,
        "{}",
        chosen.len()
    );
    let addresses = addresses(&store).await;
    // One LINE user who never chose channels for 避難情報 (both), and one citizen without LINE
    // who wants it by LINE only (nothing): channel choice × LINE link.
    let linked = |id: &AccountId| addresses[&id.to_string()].1.is_some();
    let both = chosen.iter().find(|(id, _)| linked(id)).unwrap().0;
    let nowhere = chosen.iter().find(|(id, _)| !linked(id)).unwrap().0;
    store
        .db
        .write(move |tx| {
            tx.execute(
                "DELETE FROM notification_prefs WHERE account_id = ?1",
                [both.to_string()],
            )?;
            tx.execute(
                "INSERT INTO notification_prefs VALUES (?1, 'bousai', 0, 1)",
                [nowhere.to_string()],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    // A citizen named twice is made once (with the first language).
    let twice = chosen[7].clone();
    chosen.push((twice.0, "vi".into()));
    let source = Source::Other("alert", Uuid::now_v7());
    let made = delivery(Audience::AccountsIn(chosen.clone()), source);
    let delivery_id = made.delivery_id;
    let now = "2026-12-03T09:00:00Z".parse().unwrap();
    let total = store.create_delivery(made, now).await.unwrap().unwrap();

    let rows = rows(&store, delivery_id).await;
    assert_eq!(total as usize, rows.len());
    let mut expected = HashSet::new();
    let mut seen = HashSet::new();
    for (id, lang) in chosen.iter().filter(|(id, _)| seen.insert(*id)) {
        let (email, line) = &addresses[&id.to_string()];
        if *id == nowhere {
            continue;
        }
        if line.is_none() || *id == both {
            expected.insert((id.to_string(), "email".into(), email.clone(), lang.clone()));
        }
        if let Some(user) = line {
            expected.insert((id.to_string(), "line".into(), user.clone(), lang.clone()));
        }
    }
    let made: HashSet<_> = rows
        .iter()
        .map(|(id, channel, address, lang, _)| {
            (id.clone(), channel.clone(), address.clone(), lang.clone())
        })
        .collect();
    assert_eq!(made.len(), rows.len(), "a recipient made twice");
    assert_eq!(made, expected);

    // LINE rows go in multicasts of at most 500, one language each; email rows have none.
    let mut batches: HashMap<&str, (usize, HashSet<&str>)> = HashMap::new();
    for (_, channel, _, lang, batch) in &rows {
        assert_eq!(channel == "line", batch.is_some());
        if let Some(batch) = batch {
            let entry = batches.entry(batch).or_default();
            entry.0 += 1;
            entry.1.insert(lang);
        }
    }
    assert!(
        batches
            .values()
            .all(|(n, langs)| *n <= 500 && langs.len() == 1)
    );
    assert!(batches.len() >= 7);

    // The same alert again is not delivered again.
    let again = delivery(Audience::AccountsIn(chosen), source);
    assert_eq!(store.create_delivery(again, now).await.unwrap(), None);
}

#[tokio::test]
async fn chosen_accounts_get_their_page_language_once_and_inactive_ones_nothing() {
    let (store, _dir) = city(40).await;
    let audience = store.alert_audience().await.unwrap();
    let ids: Vec<AccountId> = audience.iter().map(|(id, _)| *id).collect();
    let pending = ids[3];
    store
        .db
        .write(move |tx| {
            tx.execute(
                "UPDATE accounts SET status = 'pending' WHERE account_id = ?1",
                [pending.to_string()],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let mut named = ids.clone();
    named.push(ids[0]);
    let made = delivery(
        Audience::Accounts(named),
        Source::Other("test", Uuid::now_v7()),
    );
    let delivery_id = made.delivery_id;
    let now = "2026-12-03T09:00:00Z".parse().unwrap();
    store.create_delivery(made, now).await.unwrap().unwrap();
    let rows = rows(&store, delivery_id).await;
    let pages: HashMap<String, String> = store
        .db
        .read(|conn| {
            let mut statement = conn.prepare("SELECT account_id, lang FROM accounts")?;
            let rows = statement
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<Result<_, _>>()?;
            Ok(rows)
        })
        .await
        .unwrap();
    let accounts: HashSet<&String> = rows.iter().map(|row| &row.0).collect();
    assert_eq!(accounts.len(), ids.len() - 1);
    assert!(!accounts.contains(&pending.to_string()));
    assert!(rows.iter().all(|(id, _, _, lang, _)| pages[id] == *lang));
    assert!(rows.iter().any(|row| row.3 == "en"));
}

/// The times of an alert to 200,000 citizens in the store (not a test: run with
/// `cargo test --release -p portal --lib alert_to_200000 -- --ignored --nocapture`).
#[tokio::test]
#[ignore = "a measurement, ~1 min in release"]
async fn alert_to_200000_citizens_timed() {
    let (store, _dir) = city(200_000).await;
    let started = std::time::Instant::now();
    let audience = store.alert_audience().await.unwrap();
    let read = started.elapsed();
    drop(audience);
    let chosen = chosen(&store).await;
    let choose = started.elapsed() - read;
    let count = chosen.len();
    let made = delivery(
        Audience::AccountsIn(chosen),
        Source::Other("alert", Uuid::now_v7()),
    );
    let now = "2026-12-03T09:00:00Z".parse().unwrap();
    let started = std::time::Instant::now();
    let rows = store.create_delivery(made, now).await.unwrap().unwrap();
    let made = started.elapsed();
    println!(
        "settings read {read:?}; read + chosen again {choose:?} ({count} citizens); delivery \
         made {made:?} ({rows} rows)"
    );
}
