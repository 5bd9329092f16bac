//! Lending at the library counter: what the kiosk says to the library's system. [`sip2`] is the
//! SIP2 2.00 wire format (pure); the connection, the offline queue and the circulation trait
//! with its two implementations (SIP2 to the library's ILS, the portal's own ledger over MQTT)
//! build on it.

pub mod sip2;
