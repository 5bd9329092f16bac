//! Enrolling a child at a school, in one transaction (the child must be the guardian's, the
//! class one of the grade's and the other groups the school's), and a guardian's enrollments.

use jiff::Timestamp;
use rusqlite::{Connection, Transaction, params};
use uuid::Uuid;

use super::{
    presence::sortable,
    rows::corrupt,
    schools::{SCHOOL_COLUMNS, exists, school_from, uuid},
};
use crate::{
    domain::{AccountId, ChildId},
    store::{EnrollOutcome, Enrollment, NewEnrollment, StoreError},
};

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

/// A guardian's enrollments, with each child's name, school, class and other groups.
pub(super) fn enrollments(
    conn: &Connection,
    account_id: AccountId,
) -> Result<Vec<Enrollment>, StoreError> {
    let sql = format!(
        "SELECT e.enrollment_id, e.child_id, ch.family_name || ' ' || ch.given_name, \
         {SCHOOL_COLUMNS}, e.grade, cg.name, \
         (SELECT group_concat(g.name, char(31)) FROM enrollment_groups m \
          JOIN school_groups g ON g.group_id = m.group_id \
          WHERE m.enrollment_id = e.enrollment_id) \
         FROM enrollments e JOIN children ch ON ch.child_id = e.child_id \
         JOIN schools s ON s.school_code = e.school_code \
         LEFT JOIN school_groups cg ON cg.group_id = e.class_group_id \
         WHERE ch.account_id = ?1 ORDER BY ch.birth_date, s.school_code"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map([account_id.to_string()], |row| {
        Ok((|| -> Result<Enrollment, StoreError> {
            let enrollment_id: String = row.get(0)?;
            let child_id: String = row.get(1)?;
            let others: Option<String> = row.get(8)?;
            Ok(Enrollment {
                enrollment_id: uuid(&enrollment_id)?,
                child_id: child_id
                    .parse::<ChildId>()
                    .map_err(|_| corrupt("child id", &child_id))?,
                child_name: row.get(2)?,
                school: school_from(row, 3)?,
                grade: row.get(6)?,
                class: row.get(7)?,
                others: others
                    .map(|all| all.split('\u{1f}').map(str::to_owned).collect())
                    .unwrap_or_default(),
            })
        })())
    })?;
    let mut enrollments = Vec::new();
    for row in rows {
        enrollments.push(row??);
    }
    Ok(enrollments)
}
