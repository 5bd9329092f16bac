use rand::{Rng, SeedableRng, rngs::StdRng};

use super::*;

const ALL: [CheckScheme; 9] = [
    CheckScheme::None,
    CheckScheme::Dr7,
    CheckScheme::Dsr7,
    CheckScheme::Dr9,
    CheckScheme::Dsr9,
    CheckScheme::Mod10W21,
    CheckScheme::Mod10W31,
    CheckScheme::Mod11W27,
    CheckScheme::Mod16,
];

fn rules(check: CheckScheme, min_len: usize, max_len: usize) -> CardRules {
    CardRules {
        min_len,
        max_len,
        check,
        prefix: String::new(),
    }
}

#[test]
fn a_card_prefix_tells_cards_from_books_of_the_same_length() {
    let rules = CardRules {
        prefix: "21".into(),
        ..CardRules::default()
    };
    assert_eq!(rules.read("A2100000005A").unwrap(), "2100000005");
    // A book's NW-7 label of ten digits with a valid check digit is not a card.
    let book = format!(
        "310000000{}",
        check_digit(CheckScheme::Mod10W21, "310000000").unwrap()
    );
    assert!(CardRules::default().read(&book).is_ok());
    assert_eq!(rules.read(&book), Err(CardError::Prefix("21".into())));
    assert_eq!(CardError::Prefix("21".into()).code(), "card_prefix");
}

#[test]
fn check_digits_match_the_vendors_worked_examples() {
    let cases = [
        (CheckScheme::Dr7, "123456", '4'),
        (CheckScheme::Dr7, "12345678901", '3'),
        (CheckScheme::Dsr7, "123456", '3'),
        // The remainder 0: DSR gives 0, not 7 (PFU: 0–6).
        (CheckScheme::Dsr7, "7", '0'),
        (CheckScheme::Dr9, "123456", '3'),
        (CheckScheme::Dsr9, "123456", '6'),
        (CheckScheme::Mod10W21, "12345678", '2'),
        (CheckScheme::Mod10W21, "20151119", '3'),
        // US library Codabar (Dynix): item 3 3191 00010586 4.
        (CheckScheme::Mod10W21, "3319100010586", '4'),
        (CheckScheme::Mod10W31, "490123456789", '4'),
        // Tohan's 探検隊: 蔵書番号 000009999 → 0000099998.
        (CheckScheme::Mod10W31, "000009999", '8'),
        (CheckScheme::Mod11W27, "12345", '5'),
    ];
    for (scheme, data, digit) in cases {
        assert_eq!(check_digit(scheme, data), Some(digit), "{scheme:?} {data}");
    }
    assert_eq!(check_digit(CheckScheme::None, "123"), None);
    // Modulus 16 over the whole NW-7 symbol: A37859B → A37859+B.
    assert_eq!(mod16_check_char("A37859B"), Some('+'));
}

#[test]
fn a_number_read_back_with_its_own_check_digit_is_accepted_in_every_scheme() {
    let mut rng = StdRng::seed_from_u64(5374);
    for scheme in ALL {
        for _ in 0..500 {
            let len = rng.gen_range(4..=14);
            let data: String = (0..len - 1)
                .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
                .collect();
            let number = match check_digit(scheme, &data) {
                Some(check) => format!("{data}{check}"),
                None => format!("{data}{}", rng.gen_range(0..10u8)),
            };
            assert_eq!(
                rules(scheme, 4, 14).read(&number).as_deref(),
                Ok(number.as_str()),
                "{scheme:?}"
            );
        }
    }
}

#[test]
fn modulus_10_schemes_catch_every_single_wrong_digit() {
    let mut rng = StdRng::seed_from_u64(16);
    for scheme in [CheckScheme::Mod10W21, CheckScheme::Mod10W31] {
        for _ in 0..300 {
            let data: String = (0..9)
                .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
                .collect();
            let number = format!("{data}{}", check_digit(scheme, &data).unwrap());
            let at = rng.gen_range(0..number.len());
            let mut typo: Vec<u8> = number.clone().into_bytes();
            typo[at] = b'0' + (typo[at] - b'0' + rng.gen_range(1..10u8)) % 10;
            let typo = String::from_utf8(typo).unwrap();
            assert_eq!(
                rules(scheme, 10, 10).read(&typo),
                Err(CardError::CheckDigit),
                "{scheme:?} {number} → {typo}"
            );
        }
    }
}

#[test]
fn typed_numbers_are_forgiven_their_width_spaces_and_hyphens() {
    let luhn = rules(CheckScheme::Mod10W21, 9, 9);
    // 12345678 → 2.
    for typed in [
        "123456782",
        " １２３４５６７８２ ",
        "1234-5678-2",
        "1234 5678　2",
    ] {
        assert_eq!(luhn.read(typed).as_deref(), Ok("123456782"), "{typed:?}");
    }
}

#[test]
fn a_scanned_symbol_loses_its_start_and_stop_characters() {
    let luhn = rules(CheckScheme::Mod10W21, 9, 9);
    assert_eq!(luhn.read("A123456782A").as_deref(), Ok("123456782"));
    assert_eq!(luhn.read("c123456782d").as_deref(), Ok("123456782"));
    // A partial read (Codabar has no check of its own) is too short or fails the check.
    assert_eq!(
        luhn.read("A6782A"),
        Err(CardError::Length { min: 9, max: 9 })
    );
    assert_eq!(luhn.read("A123456783A"), Err(CardError::CheckDigit));
}

#[test]
fn modulus_16_checks_the_scanned_symbol_and_drops_its_check_character() {
    let nw7 = rules(CheckScheme::Mod16, 5, 5);
    assert_eq!(nw7.read("A37859+B").as_deref(), Ok("37859"));
    assert_eq!(nw7.read("A37858+B"), Err(CardError::CheckDigit));
    // Typed from the card's printed digits, there is no check character to test.
    assert_eq!(nw7.read("37859").as_deref(), Ok("37859"));
}

#[test]
fn bad_input_is_named() {
    let luhn = CardRules::default();
    assert_eq!(luhn.read("  "), Err(CardError::Empty));
    assert_eq!(luhn.read("AA"), Err(CardError::Empty));
    assert_eq!(luhn.read("12345X7890"), Err(CardError::NotDigits));
    assert_eq!(
        luhn.read("１２３"),
        Err(CardError::Length { min: 10, max: 10 })
    );
    assert_eq!(CardError::CheckDigit.code(), "card_check_digit");
    assert_eq!(CardError::Length { min: 1, max: 2 }.code(), "card_length");
}
