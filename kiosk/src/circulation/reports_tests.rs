//! Reports: what the ILS accepted is kept for the portal, in order, across a restart; what it
//! refused is not reported.

#![allow(clippy::unwrap_used)]

use jiff::{Timestamp, civil::date};

use super::*;

/// An ILS that lends and takes back anything but the item `"refused"`.
struct Ils;

#[async_trait]
impl Circulation for Ils {
    async fn patron(&mut self, card: &str) -> Result<Patron, CircError> {
        Ok(Patron {
            card: card.into(),
            name: "山田".into(),
            blocks: Vec::new(),
            loans: Vec::new(),
            message: None,
        })
    }

    async fn lend(&mut self, _: &str, item: &str, _: Option<NoBlock>) -> Result<Lent, CircError> {
        if item == "refused" {
            return Err(CircError::Refused("貸出中".into()));
        }
        Ok(Lent {
            item: item.into(),
            title: "ぐりとぐら".into(),
            due: Some(date(2026, 12, 17)),
        })
    }

    async fn renew(
        &mut self,
        card: &str,
        item: &str,
        offline: Option<NoBlock>,
    ) -> Result<Lent, CircError> {
        self.lend(card, item, offline).await
    }

    async fn give_back(&mut self, item: &str, _: Option<NoBlock>) -> Result<Returned, CircError> {
        Ok(Returned {
            item: item.into(),
            title: String::new(),
        })
    }
}

#[tokio::test]
async fn what_the_ils_accepted_is_kept_for_the_portal_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = Arc::new(Reports::open(dir.path()).unwrap());
    let wake = Arc::new(Notify::new());
    let mut counter = Reporting::new(
        Box::new(Ils),
        Arc::clone(&outbox),
        KioskId::new("library1").unwrap(),
        Arc::clone(&wake),
    );
    counter
        .lend("2100000005", "3000000000019", None)
        .await
        .unwrap();
    assert!(counter.lend("2100000005", "refused", None).await.is_err());
    let offline = NoBlock {
        at: date(2026, 12, 3).at(10, 0, 0, 0),
        due: date(2026, 12, 17).at(0, 0, 0, 0),
    };
    counter
        .give_back("3000000000019", Some(offline))
        .await
        .unwrap();

    // Kept on disk: a new outbox on the same folder (a restart) finds both, oldest first.
    drop(counter);
    drop(outbox);
    let reopened = Reports::open(dir.path()).unwrap();
    let pending = reopened.pending().unwrap();
    assert_eq!(pending.len(), 2);
    let (lent, returned) = (&pending[0], &pending[1]);
    assert_eq!(
        (lent.op, lent.authority),
        (CircOp::Checkout, Authority::Ils)
    );
    assert_eq!(lent.card.as_deref(), Some("2100000005"));
    assert_eq!(lent.title.as_deref(), Some("ぐりとぐら"));
    assert_eq!(lent.due, Some(date(2026, 12, 17)));
    assert!(!lent.no_block);
    assert_eq!(
        (returned.op, returned.card.as_deref()),
        (CircOp::Checkin, None)
    );
    assert!(returned.no_block);
    assert_eq!(
        returned.occurred_at,
        "2026-12-03T01:00:00Z".parse::<Timestamp>().unwrap(),
        "the time it happened at the counter, in the library's zone"
    );
    assert_eq!(returned.title, None);
    for report in &pending {
        assert_eq!(messages::Message::check(report), Ok(()));
    }
    reopened.settle(&lent.request_id).unwrap();
    reopened.push(returned).unwrap();
    assert_eq!(reopened.pending().unwrap(), std::slice::from_ref(returned));
}
