//! Enrolling a child at a school, in one transaction: the child must be the guardian's, the
//! class one of the grade's and the other groups the school's.

use jiff::Timestamp;
use rusqlite::{Transaction, params};
use uuid::Uuid;

use super::{presence::sortable, schools::exists};
use crate::store::{EnrollOutcome, NewEnrollment, StoreError};

pub(super) fn enroll(
    tx: &Transaction<'_>,
    enrollment: &NewEnrollment,
    now: Timestamp,
) -> Result<EnrollOutcome, StoreError> {
    let child = enrollment.child_id.to_string();
    let code = &enrollment.school_code;
    if !exists(
        tx,
        "SELECT 1 FROM children WHERE child_id = ?1 AND account_id = ?2",
        params![child, enrollment.account_id.to_string()],
    )? {
        return Ok(EnrollOutcome::NotYourChild);
    }
    if let Some(class) = enrollment.class_group_id
        && !exists(
            tx,
            "SELECT 1 FROM school_groups WHERE group_id = ?1 AND school_code = ?2 \
             AND kind = 'class' AND grade = ?3",
            params![class.to_string(), code, enrollment.grade],
        )?
    {
        return Ok(EnrollOutcome::UnknownGroup);
    }
    for other in &enrollment.others {
        if !exists(
            tx,
            "SELECT 1 FROM school_groups WHERE group_id = ?1 AND school_code = ?2 \
             AND kind = 'other'",
            params![other.to_string(), code],
        )? {
            return Ok(EnrollOutcome::UnknownGroup);
        }
    }
    let enrollment_id: String = tx.query_row(
        "INSERT INTO enrollments (enrollment_id, child_id, school_code, grade, class_group_id, \
         created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (child_id, school_code) DO UPDATE SET grade = excluded.grade, \
         class_group_id = excluded.class_group_id RETURNING enrollment_id",
        params![
            Uuid::now_v7().to_string(),
            child,
            code,
            enrollment.grade,
            enrollment.class_group_id.map(|id| id.to_string()),
            sortable(now)
        ],
        |row| row.get(0),
    )?;
    tx.execute(
        "DELETE FROM enrollment_groups WHERE enrollment_id = ?1",
        [&enrollment_id],
    )?;
    let mut join = tx.prepare_cached(
        "INSERT INTO enrollment_groups (enrollment_id, group_id) VALUES (?1, ?2) \
         ON CONFLICT DO NOTHING",
    )?;
    for other in &enrollment.others {
        join.execute(params![enrollment_id, other.to_string()])?;
    }
    Ok(EnrollOutcome::Enrolled)
}
