//! A school's groups as stored: 全校, grades, classes and other groups, and how many children
//! each has now (全校 and grades by enrollment, classes by the class chosen, other groups by
//! joining).

use rusqlite::Connection;

use super::{rows::corrupt, schools::uuid};
use crate::{
    domain::schools::GroupKind,
    store::{Group, StoreError},
};

/// A group's kind from its stored `kind`, `grade` and `name`.
fn group_kind(kind: &str, grade: u8, name: String) -> Result<GroupKind, StoreError> {
    Ok(match kind {
        "whole" => GroupKind::Whole,
        "grade" => GroupKind::Grade(grade),
        "class" => GroupKind::Class(grade, name),
        "other" => GroupKind::Other(name),
        other => return Err(corrupt("group kind", other)),
    })
}

/// The stored `kind`, `grade` and `name` of a group.
pub(super) fn group_columns(kind: &GroupKind) -> (&'static str, u8, &str) {
    match kind {
        GroupKind::Whole => ("whole", 0, ""),
        GroupKind::Grade(grade) => ("grade", *grade, ""),
        GroupKind::Class(grade, name) => ("class", *grade, name),
        GroupKind::Other(name) => ("other", 0, name),
    }
}

/// A school's groups with their sizes: 全校, then each grade with its classes, then others.
pub(super) fn groups(conn: &Connection, code: &str) -> Result<Vec<Group>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT g.group_id, g.kind, g.grade, g.name, CASE g.kind \
           WHEN 'whole' THEN (SELECT count(*) FROM enrollments e \
                              WHERE e.school_code = g.school_code) \
           WHEN 'grade' THEN (SELECT count(*) FROM enrollments e \
                              WHERE e.school_code = g.school_code AND e.grade = g.grade) \
           WHEN 'class' THEN (SELECT count(*) FROM enrollments e \
                              WHERE e.class_group_id = g.group_id) \
           ELSE (SELECT count(*) FROM enrollment_groups m WHERE m.group_id = g.group_id) \
         END \
         FROM school_groups g WHERE g.school_code = ?1 \
         ORDER BY g.kind = 'other', g.kind <> 'whole', g.grade, g.kind = 'class', g.name",
    )?;
    let rows = statement.query_map([code], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, u8>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, u64>(4)?,
        ))
    })?;
    let mut groups = Vec::new();
    for row in rows {
        let (id, kind, grade, name, children) = row?;
        groups.push(Group {
            group_id: uuid(&id)?,
            kind: group_kind(&kind, grade, name)?,
            children,
        });
    }
    Ok(groups)
}
