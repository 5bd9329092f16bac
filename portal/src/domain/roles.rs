//! Staff roles. A citizen account has none; staff accounts carry one or more.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// What a staff member may do. Later services check for their role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages staff accounts and roles, and the city's settings.
    Admin,
    /// Posts 市からのお知らせ (city announcements).
    Announcements,
    /// Teacher or kindergarten staff: posts notices to their own school's groups.
    School,
    /// Disaster management office: composes and sends evacuation alerts.
    Disaster,
    /// Waste office: keeps garbage areas, kinds and calendars.
    Waste,
    /// Health office: reservations and questionnaires (母子健康手帳, 赤ちゃん訪問).
    Health,
    /// Childcare support center staff.
    Center,
    /// Library staff.
    Librarian,
}

impl Role {
    /// Every role, in the order the admin page lists them.
    pub const ALL: [Role; 8] = [
        Role::Admin,
        Role::Announcements,
        Role::School,
        Role::Disaster,
        Role::Waste,
        Role::Health,
        Role::Center,
        Role::Librarian,
    ];

    /// The stable name stored in the database and used in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Announcements => "announcements",
            Role::School => "school",
            Role::Disaster => "disaster",
            Role::Waste => "waste",
            Role::Health => "health",
            Role::Center => "center",
            Role::Librarian => "librarian",
        }
    }

    /// The message-catalogue key of the role's display name.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::Admin => "role.admin",
            Role::Announcements => "role.announcements",
            Role::School => "role.school",
            Role::Disaster => "role.disaster",
            Role::Waste => "role.waste",
            Role::Health => "role.health",
            Role::Center => "role.center",
            Role::Librarian => "role.librarian",
        }
    }
}

/// A role name that is not one of [`Role::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("root".parse::<Role>().is_err());
    }
}
