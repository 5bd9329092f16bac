//! The kinds of code the decoder reads, and their names on the command line and in JSON.

use std::str::FromStr;

/// The kind of code a [`Decoded`](super::Decoded) came from, and what a
/// [`Decoder`](super::Decoder) is asked to look for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Symbology {
    /// A QR code (the signed pass).
    Qr,
    /// Codabar (NW-7), the library card. Its text keeps the start and stop characters
    /// (A–D), e.g. `A2100000000016B`, as NW-7's modulus-16 check needs them.
    Codabar,
    /// Code 128 (a library's book labels), its text without the check character.
    Code128,
    /// EAN-13 (a book's ISBN, JAN codes), all 13 digits with the check digit (verified).
    Ean13,
}

impl Symbology {
    /// Every symbology, in the order of their names in `kiosk decode --help`.
    pub const ALL: [Symbology; 4] = [Self::Qr, Self::Codabar, Self::Code128, Self::Ean13];

    /// What a library kiosk reads: the card, books' labels and ISBNs, and the pass — 1D
    /// first, as most of what it sees is cards and books (see
    /// [`Decoder::with_symbologies`](super::Decoder::with_symbologies)).
    pub const LIBRARY: [Symbology; 4] = [Self::Codabar, Self::Code128, Self::Ean13, Self::Qr];

    /// A stable lowercase name for logs and `kiosk decode --json`, e.g. `"qr"`, `"codabar"`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Qr => "qr",
            Self::Codabar => "codabar",
            Self::Code128 => "code128",
            Self::Ean13 => "ean13",
        }
    }
}

impl std::fmt::Display for Symbology {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not one of [`Symbology::name`]'s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown symbology {0:?} (known: qr, codabar, code128, ean13)")]
pub struct UnknownSymbology(pub String);

impl FromStr for Symbology {
    type Err = UnknownSymbology;

    /// Reads a [`Symbology::name`], ignoring case and surrounding spaces.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let name = name.trim();
        Self::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownSymbology(name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back_and_unknown_names_are_refused() {
        for s in Symbology::ALL {
            assert_eq!(s.name().parse::<Symbology>(), Ok(s));
        }
        assert_eq!(" EAN13 ".parse::<Symbology>(), Ok(Symbology::Ean13));
        let err = "upca".parse::<Symbology>().unwrap_err();
        assert!(err.to_string().contains("codabar"), "{err}");
    }
}
