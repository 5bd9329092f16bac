#![allow(clippy::unwrap_used)]

use super::*;

/// A JPEG of `width` × `height`, left half dark, right half light.
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            image::Rgb([20, 20, 20])
        } else {
            image::Rgb([230, 230, 230])
        }
    });
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&image)
        .unwrap();
    out
}

/// An EXIF APP1 segment as a phone writes it: orientation 6 (turn 90° clockwise to view) and
/// a GPS IFD with a latitude reference and the camera's serial number.
fn exif_segment() -> Vec<u8> {
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes()); // IFD0 at 8
    // IFD0: 3 entries (2 + 12*3 + 4 = 42 bytes) -> GPS IFD at 50.
    tiff.extend(3u16.to_le_bytes());
    tiff.extend([0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]); // Orientation SHORT 6
    tiff.extend([0x31, 0xA4, 2, 0, 4, 0, 0, 0]); // BodySerialNumber ASCII 4, inline:
    tiff.extend(b"SN9\0");
    tiff.extend([0x25, 0x88, 4, 0, 1, 0, 0, 0]); // GPS IFD pointer LONG
    tiff.extend(50u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes()); // no next IFD
    assert_eq!(tiff.len(), 50);
    tiff.extend(1u16.to_le_bytes());
    tiff.extend([0x01, 0x00, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]); // GPSLatitudeRef "N"
    tiff.extend(0u32.to_le_bytes());
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend(tiff);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend(u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
    segment.extend(payload);
    segment
}

/// `jpeg` with [`exif_segment`] put right after its start marker.
fn with_exif(jpeg: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend(exif_segment());
    out.extend(&jpeg[2..]);
    out
}

#[test]
fn kinds_are_told_by_content() {
    assert_eq!(PhotoKind::sniff(&jpeg(4, 4)), Some(PhotoKind::Jpeg));
    assert_eq!(
        PhotoKind::sniff(b"\x89PNG\r\n\x1a\n...."),
        Some(PhotoKind::Png)
    );
    assert_eq!(
        PhotoKind::sniff(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic"),
        Some(PhotoKind::Heic)
    );
    assert_eq!(
        PhotoKind::sniff(b"\0\0\0\x18ftypmif1\0\0\0\0"),
        Some(PhotoKind::Heic)
    );
    // An MP4 video has the same box structure with another brand.
    assert_eq!(PhotoKind::sniff(b"\0\0\0\x18ftypisom\0\0\0\0"), None);
    assert_eq!(PhotoKind::sniff(b"%PDF-1.7"), None);
    assert_eq!(PhotoKind::sniff(b""), None);
}

#[test]
fn check_refuses_what_is_too_large_or_not_an_image() {
    assert_eq!(check(b"GIF89a......"), Err(PhotoError::NotImage));
    let mut big = jpeg(4, 4);
    big.resize(MAX_BYTES + 1, 0);
    assert_eq!(check(&big), Err(PhotoError::TooLarge));
    assert_eq!(check(&jpeg(4, 4)), Ok(PhotoKind::Jpeg));
}

#[test]
fn the_kept_photo_is_upright_and_has_no_exif_or_location() {
    let original = with_exif(&jpeg(40, 20));
    assert!(original.windows(4).any(|w| w == b"SN9\0"));
    let kept = reencode(&original, Upright::ByExif).unwrap();
    // Orientation 6: the 40×20 picture is shown 20 wide and 40 tall.
    assert_eq!((kept.width, kept.height), (20, 40));
    let decoded = image::load_from_memory(&kept.jpeg).unwrap().into_luma8();
    assert_eq!(decoded.dimensions(), (20, 40));
    // The dark half (left in the file) is on top once turned.
    assert!(decoded.get_pixel(10, 5).0[0] < 80);
    assert!(decoded.get_pixel(10, 35).0[0] > 180);
    // No APP1 (EXIF) segment, nothing of the serial number or the GPS reference.
    assert!(!kept.jpeg.windows(2).any(|w| w == [0xFF, 0xE1]));
    assert!(!kept.jpeg.windows(4).any(|w| w == b"Exif"));
    assert!(!kept.jpeg.windows(4).any(|w| w == b"SN9\0"));
    // Already upright (a converted HEIC): the EXIF orientation is not applied again.
    let as_decoded = reencode(&original, Upright::AsDecoded).unwrap();
    assert_eq!((as_decoded.width, as_decoded.height), (40, 20));
}

#[test]
fn large_photos_are_scaled_to_the_kept_size() {
    let kept = reencode(&jpeg(3200, 1800), Upright::ByExif).unwrap();
    assert_eq!((kept.width, kept.height), (MAX_SIDE, 900));
}

#[test]
fn a_png_is_kept_as_jpeg() {
    let image = image::GrayImage::from_pixel(30, 10, image::Luma([128]));
    let mut png = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let kept = reencode(&png, Upright::ByExif).unwrap();
    assert!(kept.jpeg.starts_with(b"\xFF\xD8\xFF"));
    assert_eq!((kept.width, kept.height), (30, 10));
}

#[test]
fn a_damaged_image_is_unreadable_not_a_panic() {
    let mut broken = jpeg(64, 64);
    broken.truncate(40);
    assert!(matches!(
        reencode(&broken, Upright::ByExif),
        Err(PhotoError::Unreadable(_))
    ));
    assert!(matches!(
        reencode(b"\x89PNG\r\n\x1a\nnot really", Upright::AsDecoded),
        Err(PhotoError::Unreadable(_))
    ));
}
