//! 母子健康手帳の交付 and 赤ちゃん訪問 reservations, the service over [`crate::health`]: the
//! health office opens slots (one by one or as a series), citizens book one with the online 問診,
//! change or cancel it; the office sees its calendar, reads answers (every read logged) and
//! exports them as CSV.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp, civil::Date};

use crate::{
    clock::{Clock, tokyo},
    domain::{AccountId, Role},
    health::{
        AnswerErrors, Answers, BookedSlot, Booking, BookingError, BookingId, BookingPolicy,
        ExportRow, Questionnaire, QuestionnaireError, RawAnswers, SeriesInput, Service, Slot,
        SlotError, SlotId, check_answers, closes_at, export_csv, generate_series, places_left,
    },
    i18n::Lang,
    store::{Account, BookingRecord, HealthStore, ReadWhat, StoreError},
};

/// How far ahead citizens see slots.
pub const BOOKING_HORIZON_DAYS: i64 = 92;

/// Why a reservation action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum KenkoError {
    /// The 問診 has errors (each question's, in the user's language); nothing was kept.
    #[error("questionnaire answers refused")]
    Answers(AnswerErrors),
    /// The booking, change or cancel was refused.
    #[error("{0}")]
    Booking(BookingError),
    /// The slot or series was refused.
    #[error("{0}")]
    Slot(SlotError),
    /// Not health office staff.
    #[error("not health office staff")]
    Forbidden,
    /// No such slot or booking.
    #[error("not found")]
    NotFound,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A slot with its places left, for citizens.
#[derive(Debug, Clone)]
pub struct OpenSlot {
    /// The slot.
    pub slot: Slot,
    /// Places left.
    pub left: u16,
    /// Whether it can still be booked now.
    pub open: bool,
}

/// The reservations service. Cheap to clone.
#[derive(Clone)]
pub struct Kenko {
    store: Arc<dyn HealthStore>,
    clock: Arc<dyn Clock>,
    policy: BookingPolicy,
    questionnaires: Arc<[Questionnaire; 2]>,
}

impl Kenko {
    /// The service with the portal's embedded questionnaires and the default policy (booking
    /// closes 24 hours before, reminders 48 hours before).
    pub fn new(
        store: Arc<dyn HealthStore>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, QuestionnaireError> {
        Ok(Self {
            store,
            clock,
            policy: BookingPolicy::default(),
            questionnaires: Arc::new([
                Questionnaire::embedded(Service::BoshiTecho)?,
                Questionnaire::embedded(Service::AkachanHoumon)?,
            ]),
        })
    }

    /// The store (for the reminders).
    pub(crate) fn store(&self) -> &dyn HealthStore {
        self.store.as_ref()
    }

    /// The booking policy.
    pub fn policy(&self) -> &BookingPolicy {
        &self.policy
    }

    /// The 問診 of a service.
    pub fn questionnaire(&self, service: Service) -> &Questionnaire {
        let [boshi, houmon] = self.questionnaires.as_ref();
        match service {
            Service::BoshiTecho => boshi,
            Service::AkachanHoumon => houmon,
        }
    }

    /// Now.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Today in Asia/Tokyo.
    pub fn today(&self) -> Date {
        self.now().to_zoned(tokyo()).date()
    }

    /// The slots of a service from now until the horizon, with places left.
    pub async fn open_slots(&self, service: Service) -> Result<Vec<OpenSlot>, KenkoError> {
        let now = self.now();
        let until = now + SignedDuration::from_hours(24 * BOOKING_HORIZON_DAYS);
        Ok(self
            .store
            .slots(Some(service), now, until)
            .await?
            .into_iter()
            .map(|(slot, bookings)| OpenSlot {
                left: places_left(&slot, &bookings),
                open: now < closes_at(&self.policy, &slot),
                slot,
            })
            .collect())
    }

    /// One slot with its places left.
    pub async fn slot(&self, slot_id: SlotId) -> Result<OpenSlot, KenkoError> {
        let (slot, bookings) = self
            .store
            .slot(slot_id)
            .await?
            .ok_or(KenkoError::NotFound)?;
        Ok(OpenSlot {
            left: places_left(&slot, &bookings),
            open: self.now() < closes_at(&self.policy, &slot),
            slot,
        })
    }

    /// A citizen's bookings, newest slot first.
    pub async fn my_bookings(&self, citizen: AccountId) -> Result<Vec<BookedSlot>, KenkoError> {
        Ok(self.store.citizen_bookings(citizen).await?)
    }

    /// Books a slot with the 問診 answers: the answers are checked first, then the booking is
    /// decided and kept in one transaction.
    pub async fn book(
        &self,
        citizen: AccountId,
        slot_id: SlotId,
        raw: &RawAnswers,
    ) -> Result<BookingId, KenkoError> {
        let (slot, _) = self
            .store
            .slot(slot_id)
            .await?
            .ok_or(KenkoError::NotFound)?;
        let answers = check_answers(self.questionnaire(slot.service), raw, self.today())
            .map_err(KenkoError::Answers)?;
        let json = serde_json::to_string(&answers)
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let booked = self
            .store
            .book(self.policy, slot_id, citizen, json, self.now())
            .await?
            .map_err(KenkoError::Booking)?;
        tracing::info!(%booked, %slot_id, %citizen, "health booking made");
        Ok(booked)
    }

    /// Moves a citizen's booking to another slot of the same service.
    pub async fn change(
        &self,
        citizen: AccountId,
        booking_id: BookingId,
        to: SlotId,
    ) -> Result<(), KenkoError> {
        self.store
            .change(self.policy, booking_id, to, citizen, self.now())
            .await?
            .map_err(KenkoError::Booking)
    }

    /// Cancels a citizen's booking.
    pub async fn cancel(
        &self,
        citizen: AccountId,
        booking_id: BookingId,
    ) -> Result<(), KenkoError> {
        self.store
            .cancel(booking_id, citizen, self.now())
            .await?
            .map_err(KenkoError::Booking)
    }
}

/// The health office, or an admin.
fn require_staff(by: &Account) -> Result<(), KenkoError> {
    if by.has_role(Role::Health) || by.has_role(Role::Admin) {
        Ok(())
    } else {
        Err(KenkoError::Forbidden)
    }
}

impl Kenko {
    /// Opens a series of slots; returns how many.
    pub async fn add_series(&self, by: &Account, input: &SeriesInput) -> Result<usize, KenkoError> {
        require_staff(by)?;
        let slots: Vec<Slot> = generate_series(input, self.now())
            .map_err(KenkoError::Slot)?
            .into_iter()
            .map(|slot| slot.with_id(SlotId::new()))
            .collect();
        let count = slots.len();
        self.store
            .add_slots(slots, by.account_id, self.now())
            .await?;
        tracing::info!(count, by = %by.account_id, "health slots opened");
        Ok(count)
    }

    /// The office's calendar: every slot from `from` for `days` days with its bookings.
    pub async fn staff_slots(
        &self,
        by: &Account,
        from: Date,
        days: i64,
    ) -> Result<Vec<(Slot, Vec<Booking>)>, KenkoError> {
        require_staff(by)?;
        let (start, until) = range(from, days)?;
        Ok(self.store.slots(None, start, until).await?)
    }

    /// One slot with its bookings and their answers (the read is logged).
    pub async fn read_slot(
        &self,
        by: &Account,
        slot_id: SlotId,
    ) -> Result<(Slot, Vec<(BookingRecord, Answers)>), KenkoError> {
        require_staff(by)?;
        let (slot, _) = self
            .store
            .slot(slot_id)
            .await?
            .ok_or(KenkoError::NotFound)?;
        let records = self
            .store
            .read_bookings(by.account_id, ReadWhat::Slot(slot_id), self.now())
            .await?
            .into_iter()
            .map(|record| {
                let answers = serde_json::from_str(&record.answers).unwrap_or_default();
                (record, answers)
            })
            .collect();
        Ok((slot, records))
    }

    /// A service's bookings with answers from `from` for `days` days as CSV (the read is logged).
    pub async fn export(
        &self,
        by: &Account,
        service: Service,
        from: Date,
        days: i64,
        lang: Lang,
    ) -> Result<Vec<u8>, KenkoError> {
        require_staff(by)?;
        let (start, until) = range(from, days)?;
        let records = self
            .store
            .read_bookings(
                by.account_id,
                ReadWhat::Export(service, start, until),
                self.now(),
            )
            .await?;
        let answers: Vec<Option<Answers>> = records
            .iter()
            .map(|record| serde_json::from_str(&record.answers).ok())
            .collect();
        let rows: Vec<ExportRow<'_>> = records
            .iter()
            .zip(&answers)
            .map(|(record, answers)| ExportRow {
                booked: &record.booked,
                citizen_name: &record.name,
                contact: &record.email,
                answers: answers.as_ref(),
            })
            .collect();
        export_csv(self.questionnaire(service), &rows, lang)
            .map_err(|error| KenkoError::Store(StoreError::Corrupt(error.to_string())))
    }
}

/// `[from 00:00, from + days 00:00)` in Asia/Tokyo.
fn range(from: Date, days: i64) -> Result<(Timestamp, Timestamp), KenkoError> {
    let corrupt = |error: jiff::Error| KenkoError::Store(StoreError::Corrupt(error.to_string()));
    let start = from.to_zoned(tokyo()).map_err(corrupt)?.timestamp();
    let end = from
        .checked_add(jiff::Span::new().days(days.clamp(1, 366)))
        .and_then(|day| day.to_zoned(tokyo()))
        .map_err(corrupt)?
        .timestamp();
    Ok((start, end))
}
