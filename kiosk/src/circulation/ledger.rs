//! [`Circulation`] through the portal's loan ledger (PROTOCOL.md §13), for a library without a
//! system of its own: each request goes to the portal over MQTT and the portal decides. No
//! answer in time is [`CircError::Unreachable`], so the worker lends on trust and the offline
//! queue sends it again later with `no_block`.

use async_trait::async_trait;
use shimin_sync::messages::{Authority, CircAnswer, CircOp, CircRefusal, PatronBlock};

use super::{Block, CircError, Circulation, Lent, NoBlock, Patron, Returned, portal::PortalLink};

/// The portal's loan ledger.
pub struct PortalLedger {
    link: PortalLink,
}

impl PortalLedger {
    /// The ledger over `link`.
    pub fn new(link: PortalLink) -> Self {
        Self { link }
    }

    async fn ask(
        &self,
        op: CircOp,
        card: Option<&str>,
        item: Option<&str>,
        offline: Option<NoBlock>,
    ) -> Result<CircAnswer, CircError> {
        let request = self
            .link
            .request(op, Authority::Ledger, card, item, offline);
        self.link.ask(&request).await
    }
}

/// The portal's refusal in the words the counter shows (as an ILS's message would be).
pub fn refusal_words(reason: CircRefusal) -> &'static str {
    match reason {
        CircRefusal::UnknownCard => "この図書館利用カードは登録されていません",
        CircRefusal::Blocked => "返却期限を過ぎた資料があるため、貸出できません",
        CircRefusal::AlreadyLent => "この資料はほかの方に貸出中です",
        CircRefusal::NotLent => "この資料は貸出されていません",
        CircRefusal::LoanLimit => "貸出できる冊数の上限に達しています",
        CircRefusal::RenewalLimit => "この資料はこれ以上延長できません",
        CircRefusal::UnknownKiosk | CircRefusal::TopicMismatch => {
            "この端末はポータルに登録されていません"
        }
        CircRefusal::Malformed | CircRefusal::UnsupportedVersion | CircRefusal::Other => {
            "ポータルが受け付けませんでした"
        }
    }
}

fn refused(answer: &CircAnswer) -> Result<(), CircError> {
    match answer.refused {
        None => Ok(()),
        Some(reason) => {
            tracing::info!(?reason, detail = ?answer.detail, "the portal refused");
            Err(CircError::Refused(refusal_words(reason).to_owned()))
        }
    }
}

fn block(block: PatronBlock) -> Block {
    match block {
        PatronBlock::Overdue => Block::Overdue,
        PatronBlock::TooMany => Block::TooMany,
        PatronBlock::Other => Block::Stopped,
    }
}

fn lent(answer: CircAnswer, item: &str) -> Result<Lent, CircError> {
    refused(&answer)?;
    let shown = answer.item.unwrap_or_default();
    Ok(Lent {
        item: item.to_owned(),
        title: shown.title,
        due: shown.due,
    })
}

#[async_trait]
impl Circulation for PortalLedger {
    async fn patron(&mut self, card: &str) -> Result<Patron, CircError> {
        let answer = self.ask(CircOp::Patron, Some(card), None, None).await?;
        if answer.refused == Some(CircRefusal::UnknownCard) {
            return Ok(Patron {
                card: card.to_owned(),
                name: String::new(),
                blocks: vec![Block::NotAPatron],
                loans: Vec::new(),
                message: None,
            });
        }
        refused(&answer)?;
        let patron = answer
            .patron
            .ok_or_else(|| CircError::Garbage("a patron answer without the patron".into()))?;
        Ok(Patron {
            card: card.to_owned(),
            name: patron.name,
            blocks: patron.blocks.into_iter().map(block).collect(),
            loans: patron.loans.into_iter().map(|loan| loan.item).collect(),
            message: None,
        })
    }

    async fn lend(
        &mut self,
        card: &str,
        item: &str,
        offline: Option<NoBlock>,
    ) -> Result<Lent, CircError> {
        let answer = self
            .ask(CircOp::Checkout, Some(card), Some(item), offline)
            .await?;
        lent(answer, item)
    }

    async fn renew(
        &mut self,
        card: &str,
        item: &str,
        offline: Option<NoBlock>,
    ) -> Result<Lent, CircError> {
        let answer = self
            .ask(CircOp::Renew, Some(card), Some(item), offline)
            .await?;
        lent(answer, item)
    }

    async fn give_back(
        &mut self,
        item: &str,
        offline: Option<NoBlock>,
    ) -> Result<Returned, CircError> {
        let answer = self.ask(CircOp::Checkin, None, Some(item), offline).await?;
        refused(&answer)?;
        Ok(Returned {
            item: item.to_owned(),
            title: answer.item.map(|shown| shown.title).unwrap_or_default(),
        })
    }
}
