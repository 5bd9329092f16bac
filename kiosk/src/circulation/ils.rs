//! [`Circulation`] by SIP2 to the library's ILS.

use async_trait::async_trait;

use super::{
    Block, CircError, Circulation, Lent, NoBlock, Patron, Returned, sip_due,
    sip2::{
        Request, Response,
        link::{LinkError, Sip2Link},
    },
};

/// The library's ILS over a [`Sip2Link`].
pub struct Sip2Circulation {
    link: Sip2Link,
}

impl Sip2Circulation {
    /// Circulation over `link`.
    pub fn new(link: Sip2Link) -> Self {
        Self { link }
    }

    async fn ask(
        &mut self,
        request: Request,
        offline: Option<NoBlock>,
    ) -> Result<Response, CircError> {
        self.link
            .ask(&request, offline)
            .await
            .map_err(|error| match error {
                LinkError::Unreachable(why) => CircError::Unreachable(why),
                LinkError::LoginRefused => CircError::Unreachable(error.to_string()),
                LinkError::Garbage(why) => CircError::Garbage(why),
                LinkError::BadField(bad) => CircError::Refused(bad.to_string()),
            })
    }
}

/// The answer's screen message (`AF`), when not empty.
fn message(answer: &Response) -> Option<String> {
    answer
        .field("AF")
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_owned)
}

/// What a checkout or renew answer says.
fn lent(answer: &Response, item: &str) -> Result<Lent, CircError> {
    if !answer.ok() {
        return Err(CircError::Refused(message(answer).unwrap_or_default()));
    }
    Ok(Lent {
        item: item.to_owned(),
        title: answer.field("AJ").unwrap_or_default().to_owned(),
        due: answer.field("AH").and_then(sip_due),
    })
}

#[async_trait]
impl Circulation for Sip2Circulation {
    async fn patron(&mut self, card: &str) -> Result<Patron, CircError> {
        let status = self
            .ask(
                Request::PatronStatus {
                    patron: card.into(),
                },
                None,
            )
            .await?;
        let flags = status.fixed.get(..14).unwrap_or_default();
        let blocks = Block::from_status(flags, status.field("BL"));
        let loans = if blocks.contains(&Block::NotAPatron) {
            Vec::new()
        } else {
            let info = self
                .ask(
                    Request::PatronInformation {
                        patron: card.into(),
                    },
                    None,
                )
                .await?;
            info.all("AU").into_iter().map(str::to_owned).collect()
        };
        Ok(Patron {
            card: card.to_owned(),
            name: status.field("AE").unwrap_or_default().to_owned(),
            blocks,
            loans,
            message: message(&status),
        })
    }

    async fn lend(
        &mut self,
        card: &str,
        item: &str,
        offline: Option<NoBlock>,
    ) -> Result<Lent, CircError> {
        let request = Request::Checkout {
            patron: card.into(),
            item: item.into(),
        };
        lent(&self.ask(request, offline).await?, item)
    }

    async fn renew(
        &mut self,
        card: &str,
        item: &str,
        offline: Option<NoBlock>,
    ) -> Result<Lent, CircError> {
        let request = Request::Renew {
            patron: card.into(),
            item: item.into(),
        };
        lent(&self.ask(request, offline).await?, item)
    }

    async fn give_back(
        &mut self,
        item: &str,
        offline: Option<NoBlock>,
    ) -> Result<Returned, CircError> {
        let location = self.link.settings().location.clone();
        let answer = self
            .ask(
                Request::Checkin {
                    item: item.into(),
                    location,
                },
                offline,
            )
            .await?;
        if !answer.ok() {
            return Err(CircError::Refused(message(&answer).unwrap_or_default()));
        }
        Ok(Returned {
            item: item.to_owned(),
            title: answer.field("AJ").unwrap_or_default().to_owned(),
        })
    }
}
