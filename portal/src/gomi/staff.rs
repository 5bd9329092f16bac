//! The waste office's changes to the calendar: exceptions for particular days (年末年始,
//! 祝日, a changed day), for one area or all, checked before they are kept.

use jiff::civil::Date;

use super::{Gomi, GomiError, invalid};
use crate::{
    domain::Role,
    store::{Account, ExceptionKind, StoredException},
};

/// An exception as the form sends it.
#[derive(Debug, Clone, Default)]
pub struct ExceptionInput {
    /// The area's id, or empty for every area.
    pub area: String,
    /// `pause`, `skip`, `move` or `extra`.
    pub kind: String,
    /// The day (a pause's first day), `YYYY-MM-DD`.
    pub from: String,
    /// A pause's last day or a move's new day.
    pub to: String,
    /// The kinds concerned (labels); none for all.
    pub kinds: Vec<String>,
    /// Why, as citizens will read it.
    pub note: String,
}

fn require_waste(by: &Account) -> Result<(), GomiError> {
    if by.has_role(Role::Waste) || by.has_role(Role::Admin) {
        Ok(())
    } else {
        Err(GomiError::Forbidden)
    }
}

impl Gomi {
    /// Checks that `by` may change the garbage data (waste office or admin).
    pub fn require_staff(&self, by: &Account) -> Result<(), GomiError> {
        require_waste(by)
    }

    /// Adds an exception; its id.
    pub async fn add_exception(
        &self,
        by: &Account,
        input: &ExceptionInput,
    ) -> Result<i64, GomiError> {
        require_waste(by)?;
        let city = self.city().await?.ok_or(GomiError::NoData)?;
        let kind = ExceptionKind::parse(input.kind.trim())
            .ok_or_else(|| invalid("kind", "error.gomi_exception_kind"))?;
        let area_id = match input.area.trim() {
            "" => None,
            text => Some(
                text.parse::<i64>()
                    .ok()
                    .filter(|id| city.area(*id).is_some())
                    .ok_or_else(|| invalid("area", "error.gomi_area"))?,
            ),
        };
        let day = |text: &str, field| {
            text.trim()
                .parse::<Date>()
                .map_err(|_| invalid(field, "error.gomi_date"))
        };
        let from = day(&input.from, "from")?;
        let to = match kind {
            ExceptionKind::Pause | ExceptionKind::Move => Some(day(&input.to, "to")?),
            ExceptionKind::Skip | ExceptionKind::Extra => None,
        };
        if kind == ExceptionKind::Pause && to.is_some_and(|to| to < from) {
            return Err(invalid("to", "error.gomi_pause_order"));
        }
        if let Some(unknown) = input
            .kinds
            .iter()
            .find(|kind| !city.data.kinds.contains(kind))
        {
            tracing::warn!(kind = %unknown, "exception names an unknown kind");
            return Err(invalid("kinds", "error.gomi_kind"));
        }
        let note = input.note.trim();
        if note.chars().count() > 100 {
            return Err(invalid("note", "error.text_too_long"));
        }
        let exception = StoredException {
            exception_id: 0,
            area_id,
            kind,
            from,
            to,
            kinds: input.kinds.clone(),
            note: note.to_owned(),
        };
        let id = self
            .store
            .add_garbage_exception(exception, self.clock.now())
            .await?;
        tracing::info!(id, by = %by.account_id, "garbage exception added");
        Ok(id)
    }

    /// Removes an exception; `false` when there was none.
    pub async fn delete_exception(
        &self,
        by: &Account,
        exception_id: i64,
    ) -> Result<bool, GomiError> {
        require_waste(by)?;
        Ok(self.store.delete_garbage_exception(exception_id).await?)
    }
}
