//! What the portal and the library counter kiosks share about the library: card numbers and
//! the rules a library sets for them ([`card`]), and the card as a signed QR code
//! ([`card_pass`]).

pub mod card;
pub mod card_pass;
