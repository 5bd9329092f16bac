//! The waste office's changes to the calendar: exceptions for particular days (年末年始,
//! 祝日, a changed day), for one area or all, checked before they are kept.

use jiff::civil::Date;

use super::{Gomi, GomiError, invalid};
use crate::{
    domain::Role,
    garbage::{Area, KindDescription, export, parse_rules},
    i18n::Lang,
    store::{Account, ExceptionKind, StoredException},
};

/// An area's rules as the form sends them.
#[derive(Debug, Clone, Default)]
pub struct AreaInput {
    /// The area's name (町名・地区名); fixed once the area exists (citizens refer to it).
    pub name: String,
    /// Its collection center's name (its pause applies), or empty.
    pub center: String,
    /// One rule cell per kind, in the city's kind order (`月 木`, `水2`, `20270105`, or empty).
    pub cells: Vec<String>,
}

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

    /// Changes an area's center and rules, or adds an area (`area_id: None`); the data is
    /// checked whole, as an import is, and saved in the 5374 form.
    pub async fn save_area(
        &self,
        by: &Account,
        area_id: Option<i64>,
        input: &AreaInput,
        lang: Lang,
    ) -> Result<(), GomiError> {
        require_waste(by)?;
        let city = self.city().await?.ok_or(GomiError::NoData)?;
        let mut data = city.data.clone();
        let name = match area_id {
            Some(id) => city.area(id).ok_or(GomiError::NoData)?.name.clone(),
            None => {
                let name = input.name.trim().to_owned();
                if name.is_empty() || name.chars().count() > 60 || name.contains(',') {
                    return Err(invalid("name", "error.gomi_area_name"));
                }
                if data.area(&name).is_some() {
                    return Err(invalid("name", "error.gomi_area_taken"));
                }
                name
            }
        };
        let center = match input.center.trim() {
            "" => None,
            center if data.center(center).is_some() => Some(center.to_owned()),
            _ => return Err(invalid("center", "error.gomi_center")),
        };
        let mut rules = Vec::with_capacity(data.kinds.len());
        for (index, kind) in data.kinds.iter().enumerate() {
            let cell = input.cells.get(index).map_or("", |cell| cell.as_str());
            let parsed = parse_rules(cell)
                .map_err(|error| GomiError::Rule(format!("{kind}: {}", error.message(lang))))?;
            rules.push(parsed);
        }
        let area = Area {
            name: name.clone(),
            center,
            rules,
        };
        match data.areas.iter_mut().find(|a| a.name == name) {
            Some(existing) => *existing = area,
            None => data.areas.push(area),
        }
        self.import_5374(&export(&data)).await?;
        tracing::info!(area = %name, by = %by.account_id, "garbage area saved");
        Ok(())
    }

    /// Changes how the kinds are described to citizens (a second line and what belongs to
    /// each), by label; the labels themselves change only with an import (the rules' columns
    /// are named by them).
    pub async fn save_kind_descriptions(
        &self,
        by: &Account,
        descriptions: &[(String, String, String)],
    ) -> Result<(), GomiError> {
        require_waste(by)?;
        let city = self.city().await?.ok_or(GomiError::NoData)?;
        let mut data = city.data.clone();
        for (label, sublabel, description) in descriptions {
            if !data.kinds.contains(label) {
                return Err(invalid("kinds", "error.gomi_kind"));
            }
            if sublabel.chars().count() > 60 || description.chars().count() > 500 {
                return Err(invalid("kinds", "error.text_too_long"));
            }
            let kept = data.descriptions.iter_mut().find(|d| d.label == *label);
            match kept {
                Some(kept) => {
                    kept.sublabel = sublabel.trim().to_owned();
                    kept.description = description.trim().to_owned();
                }
                None => data.descriptions.push(KindDescription {
                    label: label.clone(),
                    sublabel: sublabel.trim().to_owned(),
                    description: description.trim().to_owned(),
                    ..KindDescription::default()
                }),
            }
        }
        self.import_5374(&export(&data)).await?;
        tracing::info!(by = %by.account_id, "garbage kinds described");
        Ok(())
    }
}
