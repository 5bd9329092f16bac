//! Pure domain rules: no I/O, no clock reads — every input is passed in.

pub mod announcements;
pub mod attachments;
pub mod card_photo;
pub mod categories;
pub mod centers;
pub mod email;
pub mod family;
pub mod ids;
pub mod kiosks;
pub mod ledger;
pub mod library_barcode;
pub mod notify;
pub mod passkeys;
pub mod password;
pub mod presence;
pub mod roles;
pub mod school_notices;
pub mod schools;
pub mod tokens;
pub mod validation;
pub mod visit_stats;

pub use email::Email;
pub use ids::{AccountId, ChildId};
pub use roles::Role;
