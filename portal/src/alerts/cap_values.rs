//! The enumerations of OASIS CAP 1.2 (status, msgType, scope, category, urgency, severity,
//! certainty), spelt exactly as the standard spells them, since other systems (L-Alert, JMA,
//! Google Public Alerts) compare them as strings.

macro_rules! cap_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in the standard's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as CAP writes it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// Reads the value as CAP writes it (case matters, as in the schema).
            pub fn parse(text: &str) -> Option<$name> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

cap_enum! {
    /// `<status>`: whether the alert is real.
    Status {
        /// Actionable by all targeted recipients.
        Actual = "Actual",
        /// An exercise: only the exercise's participants act on it.
        Exercise = "Exercise",
        /// A message between systems.
        System = "System",
        /// A technical test, to be discarded.
        Test = "Test",
        /// A draft, not actionable.
        Draft = "Draft",
    }
}

cap_enum! {
    /// `<msgType>`: a new alert, or one about earlier ones named in `<references>`.
    MsgType {
        /// An initial alert.
        Alert = "Alert",
        /// Updates and supersedes the referenced alerts (発令の変更, 解除).
        Update = "Update",
        /// Cancels the referenced alerts (sent in error).
        Cancel = "Cancel",
        /// Acknowledges receipt.
        Ack = "Ack",
        /// Rejects the referenced message.
        Error = "Error",
    }
}

cap_enum! {
    /// `<scope>`: who may see it.
    Scope {
        /// For general dissemination.
        Public = "Public",
        /// For users with a known need, named in `<restriction>`.
        Restricted = "Restricted",
        /// For the addresses in `<addresses>`.
        Private = "Private",
    }
}

cap_enum! {
    /// `<category>` of an `<info>`.
    Category {
        /// Geophysical (landslide).
        Geo = "Geo",
        /// Meteorological (flood).
        Met = "Met",
        /// General emergency and public safety: evacuation information.
        Safety = "Safety",
        /// Law enforcement, military, homeland and local/private security.
        Security = "Security",
        /// Rescue and recovery.
        Rescue = "Rescue",
        /// Fire suppression and rescue.
        Fire = "Fire",
        /// Medical and public health.
        Health = "Health",
        /// Pollution and other environmental.
        Env = "Env",
        /// Public and private transportation.
        Transport = "Transport",
        /// Utility, telecommunication, other non-transport infrastructure.
        Infra = "Infra",
        /// Chemical, biological, radiological, nuclear or high-yield explosive.
        Cbrne = "CBRNE",
        /// Other events.
        Other = "Other",
    }
}

cap_enum! {
    /// `<urgency>`: how soon to act.
    Urgency {
        /// Act now.
        Immediate = "Immediate",
        /// Act soon (within the next hour).
        Expected = "Expected",
        /// Act in the near future.
        Future = "Future",
        /// No longer required.
        Past = "Past",
        /// Not known.
        Unknown = "Unknown",
    }
}

cap_enum! {
    /// `<severity>`: how bad.
    Severity {
        /// Extraordinary threat to life or property.
        Extreme = "Extreme",
        /// Significant threat to life or property.
        Severe = "Severe",
        /// Possible threat to life or property.
        Moderate = "Moderate",
        /// Minimal to no known threat.
        Minor = "Minor",
        /// Not known.
        Unknown = "Unknown",
    }
}

cap_enum! {
    /// `<certainty>`: how sure.
    Certainty {
        /// Determined to have occurred or to be ongoing.
        Observed = "Observed",
        /// Likely (p > ~50%).
        Likely = "Likely",
        /// Possible but not likely (p <= ~50%).
        Possible = "Possible",
        /// Not expected to occur (p ~ 0).
        Unlikely = "Unlikely",
        /// Not known.
        Unknown = "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_back_as_written_and_case_matters() {
        for value in Category::ALL {
            assert_eq!(Category::parse(value.as_str()), Some(*value));
        }
        assert_eq!(Category::parse("CBRNE"), Some(Category::Cbrne));
        assert_eq!(Status::parse("actual"), None);
        assert_eq!(MsgType::parse("Update"), Some(MsgType::Update));
        assert_eq!(Urgency::ALL.len(), 5);
    }
}
