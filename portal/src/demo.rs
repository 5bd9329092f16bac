//! The demo city of `portal serve --demo`: into an empty data directory it puts the logins
//! people need to try the portal — an admin, staff of each role, and a citizen — and prints
//! them, the demo 子育て支援センター with their kiosks ([`crate::demo_centers`]) and the demo
//! schools ([`crate::demo_schools`]) and the 子育てイベント ([`crate::demo_events`]). Later services add their own demo data here.

use std::path::Path;

use crate::{
    domain::{Email, Role},
    store::{AccountStore, sqlite::SqliteStore},
    web::AppState,
};

/// The demo password of every demo login.
pub const PASSWORD: &str = "shimin-demo-2026";

/// The demo citizen's login.
pub const CITIZEN: &str = "citizen@demo.invalid";

/// (email, 姓, 名, roles) of the demo staff.
const STAFF: &[(&str, &str, &str, &[Role])] = &[
    ("admin@demo.invalid", "管理", "太郎", &[Role::Admin]),
    ("school@demo.invalid", "学校", "花子", &[Role::School]),
    ("city@demo.invalid", "広報", "一郎", &[Role::Announcements]),
    ("bousai@demo.invalid", "防災", "次郎", &[Role::Disaster]),
    ("gomi@demo.invalid", "環境", "三郎", &[Role::Waste]),
    ("hoken@demo.invalid", "保健", "桜", &[Role::Health]),
    ("center@demo.invalid", "支援", "和子", &[Role::Center]),
    ("library@demo.invalid", "図書", "文子", &[Role::Librarian]),
];

/// The demo city's areas (地域) for 避難情報: 東広島市's towns.
const DEMO_AREAS: &[&str] = &[
    "西条町",
    "八本松町",
    "志和町",
    "高屋町",
    "黒瀬町",
    "福富町",
    "豊栄町",
    "河内町",
    "安芸津町",
];

/// (id, name) of the demo city's 分野 of 市からのお知らせ.
const CATEGORIES: &[(&str, &str)] = &[
    ("kosodate", "子育て・教育"),
    ("kenko", "健康・福祉"),
    ("bousai", "防災・安全"),
    ("kankyo", "環境・ごみ"),
    ("event", "イベント・観光"),
    ("shisei", "市政・まちづくり"),
];

/// Seeds the demo city if the database has no accounts yet, and prints the logins.
pub async fn seed_if_empty(
    state: &AppState,
    store: &SqliteStore,
    data_dir: &Path,
) -> anyhow::Result<()> {
    let accounts = &state.accounts;
    let counts = store.count_accounts().await?;
    let any = counts.iter().any(|(_, count)| *count > 0);
    if !any {
        for (email, family, given, roles) in STAFF {
            let account_id = accounts
                .create_admin(email, family, given, PASSWORD)
                .await?;
            store
                .set_roles(account_id, roles, None, jiff::Timestamp::now())
                .await?;
        }
        // The citizen: an active account, as if registered and verified.
        let citizen = accounts
            .create_admin(CITIZEN, "山田", "花子", PASSWORD)
            .await?;
        store
            .set_roles(citizen, &[], None, jiff::Timestamp::now())
            .await?;
        for (id, name) in CATEGORIES {
            let category = crate::domain::categories::ValidCategory {
                category_id: (*id).to_owned(),
                name: (*name).to_owned(),
            };
            crate::store::CategoryStore::create_category(store, category, jiff::Timestamp::now())
                .await?;
        }
        crate::demo_centers::seed(
            state,
            store,
            data_dir,
            "admin@demo.invalid",
            "center@demo.invalid",
            CITIZEN,
        )
        .await?;
        crate::demo_library::seed(state, store, data_dir, "admin@demo.invalid").await?;
        crate::demo_gomi::seed(state, store, CITIZEN).await?;
        crate::demo_kenko::seed(state, store, "hoken@demo.invalid").await?;
        crate::demo_events::seed(state, store, "center@demo.invalid").await?;
        // 避難情報: the demo city's areas, 東広島市's nine towns.
        let areas = DEMO_AREAS
            .iter()
            .zip(1..)
            .map(|(name, id)| (id, (*name).to_owned()))
            .collect();
        crate::store::AlertStore::add_alert_areas(store, areas).await?;
        let codes = crate::demo_schools::seed(
            state,
            store,
            "admin@demo.invalid",
            "school@demo.invalid",
            CITIZEN,
        )
        .await?;
        println!("Demo school codes (学校コード):");
        for (name, code) in codes {
            println!("  {code}  {name}");
        }
        tracing::info!("demo city created");
    } else if store
        .find_by_email(&Email::parse(CITIZEN)?)
        .await?
        .is_none()
    {
        println!("The data directory already has accounts; --demo added nothing.");
        return Ok(());
    }
    println!("Demo logins (password for all: {PASSWORD}):");
    println!("  citizen      {CITIZEN}");
    for (email, _, _, roles) in STAFF {
        let names: Vec<&str> = roles.iter().map(|role| role.as_str()).collect();
        println!("  {:<12} {email}", names.join(","));
    }
    Ok(())
}
