//! School notices against the real SQLite store: posting to groups (never to an empty one),
//! delivery through the engine once (also after a crash before delivery), and read receipts.

use jiff::SignedDuration;
use uuid::Uuid;

use super::{
    EnrollInput,
    tests::{group, notice_to, world},
};
use crate::{
    accounts::AccountError,
    clock::Clock,
    domain::ChildId,
    store::{DeliveryStore, SchoolNoticeStore},
};

#[tokio::test]
async fn a_notice_reaches_the_guardians_of_its_groups_once_and_shows_who_read_it() {
    let w = world();
    let (_, teacher, code, groups) = w.school().await;
    // Nobody enrolled yet: a notice to the whole school is refused, and nothing is kept.
    let empty = w
        .schools
        .post(&teacher, &code, &notice_to(vec![group(&groups, "全校")]))
        .await;
    assert!(
        matches!(empty, Err(AccountError::Invalid(e)) if e.get("groups") == Some("error.group_empty"))
    );
    assert!(
        w.schools
            .school_notices(&teacher, &code)
            .await
            .unwrap()
            .is_empty()
    );

    let mother = w.account("mother@example.jp", vec![]).await;
    let hanako = w.account("hanako@example.jp", vec![]).await;
    let taro = w.child(&mother, "太郎").await;
    let jiro = w.child(&mother, "次郎").await;
    let yui = w.child(&hanako, "結衣").await;
    let enroll = |child: ChildId, grade: &str, class: String| EnrollInput {
        child_id: child.to_string(),
        code: code.clone(),
        grade: grade.into(),
        class,
        others: vec![],
    };
    let class = group(&groups, "3年1組");
    w.schools
        .enroll(&mother, &enroll(taro, "3", class.clone()))
        .await
        .unwrap();
    w.schools
        .enroll(&mother, &enroll(jiro, "1", String::new()))
        .await
        .unwrap();
    w.schools
        .enroll(&hanako, &enroll(yui, "1", String::new()))
        .await
        .unwrap();

    // To 3年1組 and 1年: the mother (two children, one message) and hanako.
    let (id, recipients) = w
        .schools
        .post(
            &teacher,
            &code,
            &notice_to(vec![class.clone(), group(&groups, "1年")]),
        )
        .await
        .unwrap();
    assert_eq!(recipients, 2);
    let deliveries = w.store.deliveries(10).await.unwrap();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].kind, "school_notice");
    assert_eq!(deliveries[0].email.queued, 2);
    // Dispatching again makes no second delivery.
    assert_eq!(w.schools.dispatch().await.unwrap(), 0);
    assert_eq!(w.store.deliveries(10).await.unwrap().len(), 1);

    // A notice to 3年 only: the mother.
    let (_, only_third) = w
        .schools
        .post(&teacher, &code, &notice_to(vec![group(&groups, "3年")]))
        .await
        .unwrap();
    assert_eq!(only_third, 1);

    let (summary, receipts) = w.schools.receipts(&teacher, id).await.unwrap().unwrap();
    assert_eq!((summary.read, summary.recipients), (0, 2));
    let mothers = receipts
        .iter()
        .find(|r| r.guardian == "山田 mother")
        .unwrap();
    assert!(mothers.children.contains("山田 太郎（3年1組）"));
    assert!(mothers.children.contains("山田 次郎（1年）"));

    // Reading counts once; a stranger cannot open it; the teacher can without counting.
    let opened = w.schools.open(&mother, id).await.unwrap().unwrap();
    assert!(opened.read_at.is_some());
    w.clock.advance(SignedDuration::from_mins(5));
    let again = w.schools.open(&mother, id).await.unwrap().unwrap();
    assert_eq!(again.read_at, opened.read_at);
    let stranger = w.account("stranger@example.jp", vec![]).await;
    assert!(w.schools.open(&stranger, id).await.unwrap().is_none());
    assert!(w.schools.open(&teacher, id).await.unwrap().is_some());
    let (summary, _) = w.schools.receipts(&teacher, id).await.unwrap().unwrap();
    assert_eq!((summary.read, summary.recipients), (1, 2));
    let inbox = w.schools.notices_for(&hanako).await.unwrap();
    assert_eq!(inbox.len(), 1);
    assert!(inbox[0].1.is_none(), "unread for hanako");
}

#[tokio::test]
async fn a_notice_left_undelivered_by_a_crash_is_delivered_by_the_dispatcher() {
    let w = world();
    let (_, teacher, code, groups) = w.school().await;
    let parent = w.account("parent@example.jp", vec![]).await;
    let child = w.child(&parent, "太郎").await;
    let input = EnrollInput {
        child_id: child.to_string(),
        code: code.clone(),
        grade: "2".into(),
        class: String::new(),
        others: vec![],
    };
    w.schools.enroll(&parent, &input).await.unwrap();
    // As if the process died between storing the notice and delivering it.
    let valid =
        crate::domain::school_notices::notice(&notice_to(vec![group(&groups, "2年")])).unwrap();
    let notice_id = Uuid::now_v7();
    let stored = w
        .store
        .post_notice(
            crate::store::NewNotice {
                notice_id,
                school_code: code.clone(),
                notice: valid,
                group_names: "2年".into(),
                posted_by: teacher.account_id,
            },
            w.clock.now(),
        )
        .await
        .unwrap();
    assert_eq!(stored, Some(1));
    assert!(w.store.deliveries(10).await.unwrap().is_empty());
    assert_eq!(w.schools.dispatch().await.unwrap(), 1);
    assert_eq!(w.schools.dispatch().await.unwrap(), 0);
    let deliveries = w.store.deliveries(10).await.unwrap();
    assert_eq!(deliveries.len(), 1);
    assert!(deliveries[0].title.contains("臨時休校"));
}
