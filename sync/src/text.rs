//! Text as people type it on Japanese phones and PCs, where the IME often gives full-width
//! characters: the codes and numbers the portal and kiosks read accept them.

/// A full-width digit (０–９) as its ASCII digit; any other character as it is.
pub fn halfwidth_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_become_ascii_and_nothing_else_changes() {
        let typed: String = "０１２３４５６７８９ Ａ1"
            .chars()
            .map(halfwidth_digit)
            .collect();
        assert_eq!(typed, "0123456789 Ａ1");
    }
}
