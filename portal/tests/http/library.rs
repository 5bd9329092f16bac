//! 図書館利用カードの登録/表示: a citizen registers the card number (twice) and a photo of the
//! card, and the card page shows its barcode; bad numbers and bad photos are refused beside
//! their field with nothing changed; the photo is the owner's and librarians' only.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Cursor;

use axum::http::{Method, StatusCode};
use portal::{domain::Role, i18n::Lang};
use shimin_sync::library::card::{CheckScheme, check_digit};

use crate::common::{BOUNDARY, Browser, PASSWORD, Resp, TestApp};

const HANAKO: &str = "hanako@example.jp";
const TARO: &str = "taro@example.jp";
const LIBRARIAN: &str = "toshokan@city.example.jp";

/// A card number valid under the default rules (10 digits, モジュラス10 ウェイト2-1).
fn card(body: &str) -> String {
    assert_eq!(body.len(), 9);
    format!(
        "{body}{}",
        check_digit(CheckScheme::Mod10W21, body).unwrap()
    )
}

/// A camera JPEG of 64×32.
fn jpeg() -> Vec<u8> {
    let image = image::RgbImage::from_fn(64, 32, |x, _| image::Rgb([(x * 4) as u8, 90, 200]));
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
        .unwrap();
    out
}

/// An uploaded file: its name, media type and bytes.
type Upload<'a> = Option<(&'a str, &'a str, &'a [u8])>;

async fn save(
    app: &TestApp,
    who: &mut Browser<'_>,
    number: &str,
    again: &str,
    photo: Upload<'_>,
) -> Resp {
    let csrf = who.get("/library/settings").await.csrf();
    let fields = [
        ("csrf", csrf.as_str()),
        ("number", number),
        ("number_again", again),
    ];
    app.raw(
        Method::POST,
        "/library/settings",
        &format!("multipart/form-data; boundary={BOUNDARY}"),
        crate::common::multipart(&fields, photo.map(|(n, m, b)| ("photo", n, m, b))),
        &[("cookie", &who.cookie_header())],
    )
    .await
}

/// The card page offers registration, and no photo is kept.
async fn assert_no_card(who: &mut Browser<'_>) {
    who.get("/library")
        .await
        .assert_says(Lang::Ja, "page.library.lead");
    assert_eq!(
        who.get("/library/photo.jpg").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_citizen_registers_the_card_and_the_page_shows_its_barcode() {
    let app = TestApp::new();
    app.citizen(HANAKO, "山田", "花子").await;
    let mut hanako = app.browser();
    hanako.login(HANAKO, PASSWORD).await;

    let before = hanako.get("/library").await;
    before.assert_says(Lang::Ja, "page.library.lead");
    assert!(before.body.contains("href=\"/library/settings\""));
    assert!(hanako.get("/").await.body.contains("href=\"/library\""));

    let number = card("210000000");
    let photo = jpeg();
    // Typed as a phone keyboard may give it: full-width digits, with spaces.
    let typed: String = number
        .chars()
        .map(|c| char::from_u32(u32::from(c) - u32::from('0') + u32::from('０')).unwrap())
        .collect();
    let saved = save(
        &app,
        &mut hanako,
        &typed,
        &format!("{} {}", &number[..4], &number[4..]),
        Some(("IMG_0001.JPG", "image/jpeg", &photo)),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), Some("/library?saved=1"));

    let page = hanako.get("/library?saved=1").await;
    page.assert_says(Lang::Ja, "page.library.saved");
    page.assert_says(Lang::Ja, "page.library.brightness");
    assert!(page.body.contains("id=\"card-barcode\""), "{}", page.body);
    assert!(page.body.contains("shape-rendering=\"crispEdges\""));
    assert!(page.body.contains(&format!(
        "{} {} {}",
        &number[..4],
        &number[4..8],
        &number[8..]
    )));
    assert!(page.body.contains("rel=\"manifest\""));
    assert_eq!(page.header("cache-control"), Some("private, no-cache"));

    let kept = hanako.get("/library/photo.jpg").await;
    assert_eq!(kept.status, StatusCode::OK);
    assert_eq!(kept.content_type(), "image/jpeg");
    assert_eq!(kept.header("cache-control"), Some("private, no-store"));
    let decoded = image::load_from_memory(&kept.bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (64, 32));
}

#[tokio::test]
async fn bad_numbers_and_photos_are_refused_beside_their_field_and_nothing_changes() {
    let app = TestApp::new();
    app.citizen(HANAKO, "山田", "花子").await;
    let mut hanako = app.browser();
    hanako.login(HANAKO, PASSWORD).await;
    let number = card("210000000");
    let photo = jpeg();
    let good = Some(("card.jpg", "image/jpeg", photo.as_slice()));

    let cases: [(&str, &str, Upload<'_>, &str); 7] = [
        (&number, &card("210000001"), good, "error.card_mismatch"),
        ("2100000001", "2100000001", good, "error.card_check_digit"),
        ("21000000", "21000000", good, "error.card_length"),
        ("21000-ABC0", "21000-ABC0", good, "error.card_not_digits"),
        ("", "", good, "error.card_empty"),
        (&number, &number, None, "error.photo_required"),
        (
            &number,
            &number,
            Some(("card.jpg", "image/jpeg", b"%PDF-1.4 not a photo")),
            "error.photo_not_image",
        ),
    ];
    for (first, again, photo, key) in cases {
        let refused = save(&app, &mut hanako, first, again, photo).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{key}");
        refused.assert_says(Lang::Ja, key);
        // What was typed stays in the form.
        assert!(
            refused.body.contains(&format!("value=\"{first}\"")),
            "{key}"
        );
    }
    let damaged = save(
        &app,
        &mut hanako,
        &number,
        &number,
        Some(("c.jpg", "image/jpeg", &photo[..60])),
    )
    .await;
    damaged.assert_says(Lang::Ja, "error.photo_unreadable");
    assert_no_card(&mut hanako).await;

    // Registered, then a bad change keeps what was there.
    assert_eq!(
        save(&app, &mut hanako, &number, &number, good).await.status,
        StatusCode::SEE_OTHER
    );
    let other = card("210000001");
    let refused = save(&app, &mut hanako, &other, &number, None).await;
    refused.assert_says(Lang::Ja, "error.card_mismatch");
    assert!(hanako.get("/library").await.body.contains(&number[8..]));
}

#[tokio::test]
async fn the_photo_is_for_its_owner_and_librarians_and_a_card_has_one_holder() {
    let app = TestApp::new();
    app.citizen(HANAKO, "山田", "花子").await;
    app.citizen(TARO, "佐藤", "太郎").await;
    app.staff(LIBRARIAN, &[Role::Librarian]).await;
    let number = card("210000000");
    let photo = jpeg();
    let good = Some(("card.jpg", "image/jpeg", photo.as_slice()));
    let mut hanako = app.browser();
    hanako.login(HANAKO, PASSWORD).await;
    assert_eq!(
        save(&app, &mut hanako, &number, &number, good).await.status,
        StatusCode::SEE_OTHER
    );

    // Taro cannot take Hanako's number, nor see her photo or the librarians' lookup.
    let mut taro = app.browser();
    taro.login(TARO, PASSWORD).await;
    let taken = save(&app, &mut taro, &number, &number, good).await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    taken.assert_says(Lang::Ja, "error.card_taken");
    assert_eq!(
        taro.get("/library/photo.jpg").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        taro.get(&format!("/admin/library?number={number}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // The librarian finds Hanako by the number, with her photo.
    let mut librarian = app.browser();
    librarian.login(LIBRARIAN, PASSWORD).await;
    assert!(
        librarian
            .get("/")
            .await
            .body
            .contains("href=\"/admin/library\"")
    );
    let found = librarian
        .get(&format!("/admin/library?number={number}"))
        .await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(found.body.contains("山田 花子"), "{}", found.body);
    let src = found
        .body
        .split("src=\"/admin/library/photo/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a photo link")
        .to_owned();
    let seen = librarian.get(&format!("/admin/library/photo/{src}")).await;
    assert_eq!(
        (seen.status, seen.content_type()),
        (StatusCode::OK, "image/jpeg")
    );
    assert_eq!(
        taro.get(&format!("/admin/library/photo/{src}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let unknown = librarian
        .get(&format!("/admin/library?number={}", card("210000009")))
        .await;
    unknown.assert_says(Lang::Ja, "page.library_admin.not_found");
    let bad = librarian.get("/admin/library?number=12").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_says(Lang::Ja, "error.card_length");

    // Hanako changes the number alone (the photo stays), then removes the card.
    let renumbered = card("210000002");
    assert_eq!(
        save(&app, &mut hanako, &renumbered, &renumbered, None)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        hanako.get("/library/photo.jpg").await.status,
        StatusCode::OK
    );
    let csrf = hanako.get("/library/settings").await.csrf();
    let gone = hanako
        .post_form("/library/delete", &[("csrf", &csrf)])
        .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert_no_card(&mut hanako).await;
    // Now Taro may register the old number.
    assert_eq!(
        save(&app, &mut taro, &number, &number, good).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn the_card_page_works_offline_and_a_logout_clears_it() {
    let app = TestApp::new();
    let worker = app.get("/library-sw.js").await;
    assert_eq!(worker.status, StatusCode::OK);
    assert!(worker.content_type().starts_with("text/javascript"));
    assert!(worker.body.contains("var PAGE = \"/library\""));
    let manifest = app.get("/library/manifest.webmanifest").await;
    assert_eq!(manifest.content_type(), "application/manifest+json");
    let manifest: serde_json::Value = serde_json::from_str(&manifest.body).unwrap();
    assert_eq!(manifest["start_url"], "/library");
    assert_eq!(
        app.get(manifest["icons"][0]["src"].as_str().unwrap())
            .await
            .status,
        StatusCode::OK
    );
    // Not logged in: the card page asks for a login.
    assert_eq!(app.get("/library").await.status, StatusCode::SEE_OTHER);

    app.citizen(HANAKO, "山田", "花子").await;
    let mut hanako = app.browser();
    hanako.login(HANAKO, PASSWORD).await;
    let csrf = hanako.get("/library").await.csrf();
    let out = hanako.post_form("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(
        out.header("clear-site-data"),
        Some("\"cache\", \"storage\"")
    );
}

#[tokio::test]
async fn an_iphone_heic_photo_is_converted_and_kept_as_jpeg() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("card.jpg");
    std::fs::write(&source, jpeg()).unwrap();
    let heic = dir.path().join("card.heic");
    let made = std::process::Command::new("heif-enc")
        .arg("-o")
        .arg(&heic)
        .arg(&source)
        .output()
        .expect("heif-enc (libheif-examples; scripts/test installs it)");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let heic = std::fs::read(&heic).unwrap();
    assert_eq!(&heic[4..8], b"ftyp");

    let app = TestApp::new();
    app.citizen(HANAKO, "山田", "花子").await;
    let mut hanako = app.browser();
    hanako.login(HANAKO, PASSWORD).await;
    let number = card("210000000");
    let saved = save(
        &app,
        &mut hanako,
        &number,
        &number,
        Some(("IMG_0002.HEIC", "image/heic", &heic)),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let kept = hanako.get("/library/photo.jpg").await;
    let decoded =
        image::load_from_memory_with_format(&kept.bytes, image::ImageFormat::Jpeg).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (64, 32));

    // A HEIC that is only its first bytes is refused, and the kept photo stays.
    let cut = save(
        &app,
        &mut hanako,
        &number,
        &number,
        Some(("x.heic", "image/heic", &heic[..64])),
    )
    .await;
    assert_eq!(cut.status, StatusCode::UNPROCESSABLE_ENTITY);
    cut.assert_says(Lang::Ja, "error.photo_unreadable");
    assert_eq!(hanako.get("/library/photo.jpg").await.bytes, kept.bytes);
}

#[tokio::test]
async fn a_heic_without_a_converter_or_a_huge_photo_gets_a_clear_message() {
    let app = TestApp::with_settings(|mut settings| {
        settings.library.heif_convert = "/nonexistent/heif-convert".into();
        settings
    });
    app.citizen(HANAKO, "山田", "花子").await;
    let mut hanako = app.browser();
    hanako.login(HANAKO, PASSWORD).await;
    let number = card("210000000");
    let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic....".to_vec();
    let refused = save(
        &app,
        &mut hanako,
        &number,
        &number,
        Some(("IMG_0003.HEIC", "image/heic", &heic)),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_says(Lang::Ja, "error.photo_heic_unavailable");

    // Past the body limit the upload is cut off and said so; nothing is kept.
    let huge = vec![0xFFu8; portal::domain::card_photo::MAX_BYTES + 128 * 1024];
    let too_big = save(
        &app,
        &mut hanako,
        &number,
        &number,
        Some(("big.jpg", "image/jpeg", &huge)),
    )
    .await;
    assert_eq!(too_big.status, StatusCode::BAD_REQUEST, "{}", too_big.body);
    too_big.assert_says(Lang::Ja, "error.photo_too_large");
    assert_no_card(&mut hanako).await;
}
