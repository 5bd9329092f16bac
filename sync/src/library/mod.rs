//! What the portal and the library counter kiosks share about the library: card numbers and
//! the rules a library sets for them ([`card`]).

pub mod card;
