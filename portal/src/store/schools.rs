//! The store seams of 小中学校・幼稚園からの情報: schools, their staff and groups, and the
//! children enrolled ([`SchoolStore`]); the notices schools post and who read them
//! ([`SchoolNoticeStore`]).

use async_trait::async_trait;
use jiff::Timestamp;
use uuid::Uuid;

use super::{Account, StoreError};
use crate::domain::{
    AccountId, ChildId,
    school_notices::{NoticeKind, ValidNotice},
    schools::{GroupKind, SchoolKind},
};

/// A school as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct School {
    /// 学校コード
    pub code: String,
    /// 学校名
    pub name: String,
    /// Its kind.
    pub kind: SchoolKind,
}

/// A group of a school.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Its id.
    pub group_id: Uuid,
    /// What it is.
    pub kind: GroupKind,
    /// How many children are in it now.
    pub children: u64,
}

/// A child's enrollment, as its guardian sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrollment {
    /// Its id.
    pub enrollment_id: Uuid,
    /// The child.
    pub child_id: ChildId,
    /// "山田 太郎"
    pub child_name: String,
    /// The school.
    pub school: School,
    /// The grade.
    pub grade: u8,
    /// The class's name, if the child is in one.
    pub class: Option<String>,
    /// The other groups the child is in.
    pub others: Vec<String>,
}

/// A child to enroll.
#[derive(Debug, Clone)]
pub struct NewEnrollment {
    /// The guardian.
    pub account_id: AccountId,
    /// The child (must be the guardian's).
    pub child_id: ChildId,
    /// The school.
    pub school_code: String,
    /// The grade.
    pub grade: u8,
    /// The class (one of the grade's), if any.
    pub class_group_id: Option<Uuid>,
    /// Other groups of the school.
    pub others: Vec<Uuid>,
}

/// What enrolling did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnrollOutcome {
    /// Enrolled (or the enrollment at that school changed).
    Enrolled,
    /// The child is not this guardian's.
    NotYourChild,
    /// A group given is not the school's (or the class not the grade's).
    UnknownGroup,
}

/// Schools, their staff and groups, and enrollments.
#[async_trait]
pub trait SchoolStore: Send + Sync + 'static {
    /// Every school, by code.
    async fn schools(&self) -> Result<Vec<School>, StoreError>;

    /// The schools a staff member works at.
    async fn schools_of(&self, account_id: AccountId) -> Result<Vec<School>, StoreError>;

    /// One school.
    async fn school(&self, code: &str) -> Result<Option<School>, StoreError>;

    /// Adds a school with its 全校 group and a group per grade; `false` when the code is taken.
    async fn create_school(&self, school: School, now: Timestamp) -> Result<bool, StoreError>;

    /// The staff of a school.
    async fn school_staff(&self, code: &str) -> Result<Vec<Account>, StoreError>;

    /// Adds (`true`) or removes a staff member of a school.
    async fn set_school_staff(
        &self,
        code: &str,
        account_id: AccountId,
        member: bool,
    ) -> Result<(), StoreError>;

    /// A school's groups with how many children each has: 全校, grades, classes, others.
    async fn groups(&self, code: &str) -> Result<Vec<Group>, StoreError>;

    /// Adds a class or another group; `false` when it exists.
    async fn add_group(
        &self,
        code: &str,
        group_id: Uuid,
        kind: GroupKind,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Removes a class or another group of the school (never 全校 or a grade); `false` when
    /// there was none.
    async fn delete_group(&self, code: &str, group_id: Uuid) -> Result<bool, StoreError>;

    /// The times of an account's wrong school codes since `since`.
    async fn code_failures(
        &self,
        account_id: AccountId,
        since: Timestamp,
    ) -> Result<Vec<Timestamp>, StoreError>;

    /// Records a wrong school code (and forgets those older than `forget_before`).
    async fn record_code_failure(
        &self,
        account_id: AccountId,
        now: Timestamp,
        forget_before: Timestamp,
    ) -> Result<(), StoreError>;

    /// Enrolls a child (replacing its grade, class and groups at that school if enrolled).
    async fn enroll(
        &self,
        enrollment: NewEnrollment,
        now: Timestamp,
    ) -> Result<EnrollOutcome, StoreError>;

    /// A guardian's enrollments.
    async fn enrollments(&self, account_id: AccountId) -> Result<Vec<Enrollment>, StoreError>;

    /// Removes an enrollment of the guardian's; `false` when there was none.
    async fn remove_enrollment(
        &self,
        account_id: AccountId,
        enrollment_id: Uuid,
    ) -> Result<bool, StoreError>;
}

/// A notice as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolNotice {
    /// Its id.
    pub notice_id: Uuid,
    /// The school that posted it.
    pub school: School,
    /// What it is about.
    pub kind: NoticeKind,
    /// 緊急
    pub urgent: bool,
    /// 件名
    pub title: String,
    /// 本文
    pub body: String,
    /// The groups it went to, as named then ("3年1組、吹奏楽部").
    pub groups: String,
    /// When it was posted.
    pub posted_at: Timestamp,
}

/// A notice with how many it was for and how many have read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeSummary {
    /// The notice.
    pub notice: SchoolNotice,
    /// How many guardians it was for.
    pub recipients: u64,
    /// How many of them have opened it.
    pub read: u64,
}

/// One guardian a notice was for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// "山田 花子"
    pub guardian: String,
    /// The children it concerns ("山田 太郎（3年1組）").
    pub children: String,
    /// When they first opened it.
    pub read_at: Option<Timestamp>,
}

/// A notice to post.
#[derive(Debug, Clone)]
pub struct NewNotice {
    /// Its id.
    pub notice_id: Uuid,
    /// The school.
    pub school_code: String,
    /// What staff wrote; its groups are the school's (checked by the service).
    pub notice: ValidNotice,
    /// The groups' names, as shown with the notice.
    pub group_names: String,
    /// Who posted it.
    pub posted_by: AccountId,
}

/// Notices, who they are for and who read them.
#[async_trait]
pub trait SchoolNoticeStore: Send + Sync + 'static {
    /// Stores a notice with its recipients (the guardians of the children in its groups now),
    /// atomically; returns how many, or `None` (and stores nothing) when there are none.
    async fn post_notice(
        &self,
        notice: NewNotice,
        now: Timestamp,
    ) -> Result<Option<u64>, StoreError>;

    /// Notices not yet delivered, oldest first, at most `limit`.
    async fn undelivered_notices(&self, limit: u32) -> Result<Vec<SchoolNotice>, StoreError>;

    /// A school's notices, newest first, with their read counts.
    async fn school_notices(
        &self,
        code: &str,
        limit: u32,
    ) -> Result<Vec<NoticeSummary>, StoreError>;

    /// One notice with its read counts.
    async fn notice(&self, notice_id: Uuid) -> Result<Option<NoticeSummary>, StoreError>;

    /// Who a notice was for and who read it (unread first, then by name).
    async fn receipts(&self, notice_id: Uuid) -> Result<Vec<Receipt>, StoreError>;

    /// The notices a guardian received, newest first, with when they read each.
    async fn notices_for(
        &self,
        account_id: AccountId,
        limit: u32,
    ) -> Result<Vec<(SchoolNotice, Option<Timestamp>)>, StoreError>;

    /// Records that a guardian opened a notice and returns when they first did; `None` when
    /// it was not for them.
    async fn mark_read(
        &self,
        notice_id: Uuid,
        account_id: AccountId,
        now: Timestamp,
    ) -> Result<Option<Timestamp>, StoreError>;
}
