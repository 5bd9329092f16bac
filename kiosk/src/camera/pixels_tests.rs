//! Tests of the pixel conversions on hand-made YUYV buffers and on JPEGs made by the `image`
//! crate's encoder (which writes the Annex K.3 tables, so stripping and restoring them must give
//! back the very same pixels).

use super::*;

/// A YUYV buffer whose Y bytes count up from 10 and whose U/V bytes are 200/201, with `pad`
/// bytes of 0xEE after each line.
fn yuyv(width: usize, height: usize, pad: usize) -> (Vec<u8>, usize) {
    let stride = 2 * width + pad;
    let mut buf = Vec::new();
    let mut y = 10u8;
    for _ in 0..height {
        for x in 0..width {
            buf.push(y);
            buf.push(if x % 2 == 0 { 200 } else { 201 });
            y += 1;
        }
        buf.extend(std::iter::repeat_n(0xEE, pad));
    }
    (buf, stride)
}

#[test]
fn the_y_plane_is_every_other_byte_line_by_line() {
    let (buf, stride) = yuyv(4, 3, 0);
    let image = yuyv_luma(&buf, 4, 3, stride).unwrap();
    assert_eq!(image.dimensions(), (4, 3));
    assert_eq!(image.as_raw(), &(10..22).collect::<Vec<u8>>());
}

#[test]
fn line_padding_is_skipped() {
    let (mut buf, stride) = yuyv(4, 3, 8);
    assert_eq!(stride, 16);
    // The last line's padding is optional: drivers may end the buffer right after the pixels.
    buf.truncate(buf.len() - 8);
    let image = yuyv_luma(&buf, 4, 3, stride).unwrap();
    assert_eq!(image.as_raw(), &(10..22).collect::<Vec<u8>>());
    assert!(!image.as_raw().contains(&0xEE));
}

#[test]
fn short_buffers_and_impossible_layouts_are_errors() {
    let (buf, stride) = yuyv(4, 3, 0);
    let err = yuyv_luma(&buf[..buf.len() - 1], 4, 3, stride).unwrap_err();
    assert!(
        matches!(
            err,
            PixelError::Short {
                needed: 24,
                got: 23,
                ..
            }
        ),
        "{err}"
    );
    assert!(matches!(
        yuyv_luma(&buf, 4, 3, 7),
        Err(PixelError::Layout { .. })
    ));
    assert!(matches!(
        yuyv_luma(&buf, 0, 3, 8),
        Err(PixelError::Layout { .. })
    ));
}

/// A 64×48 colour JPEG, as a camera would send (YCbCr): a gradient under pseudo-random noise,
/// so that the scans use most Huffman codes and a wrong table byte shows.
fn jpeg() -> (Vec<u8>, GrayImage) {
    let mut seed = 0x2545_F491_u32;
    let mut noise = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        (seed >> 24) as u8
    };
    let rgb = image::RgbImage::from_fn(64, 48, |x, y| {
        let n = noise() / 2;
        image::Rgb([(x * 2) as u8 + n, (y * 2) as u8 + noise() / 2, n])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&rgb)
        .unwrap();
    let luma = image::DynamicImage::ImageRgb8(rgb).into_luma8();
    (out, luma)
}

/// `jpeg` without its DHT segments, as many UVC cameras send MJPEG frames.
fn strip_huffman_tables(jpeg: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    let mut pos = 2;
    while jpeg[pos + 1] != 0xDA {
        let len = usize::from(u16::from_be_bytes([jpeg[pos + 2], jpeg[pos + 3]]));
        if jpeg[pos + 1] != 0xC4 {
            out.extend_from_slice(&jpeg[pos..pos + 2 + len]);
        }
        pos += 2 + len;
    }
    out.extend_from_slice(&jpeg[pos..]);
    out
}

#[test]
fn an_mjpeg_frame_decodes_to_its_luma() {
    let (jpeg, luma) = jpeg();
    let image = mjpeg_luma(&jpeg).unwrap();
    assert_eq!(image.dimensions(), (64, 48));
    let worst = image
        .pixels()
        .zip(luma.pixels())
        .map(|(a, b)| a.0[0].abs_diff(b.0[0]))
        .max()
        .unwrap();
    assert!(worst < 40, "JPEG luma off by {worst}");
}

#[test]
fn frames_without_huffman_tables_get_the_standard_ones() {
    let (jpeg, _) = jpeg();
    let stripped = strip_huffman_tables(&jpeg);
    assert!(stripped.len() < jpeg.len());
    assert!(
        image::load_from_memory_with_format(&stripped, image::ImageFormat::Jpeg).is_err(),
        "the decoder should need the tables"
    );
    assert_eq!(mjpeg_luma(&stripped).unwrap(), mjpeg_luma(&jpeg).unwrap());
}

#[test]
fn frames_with_tables_or_not_jpeg_are_left_alone() {
    let (jpeg, _) = jpeg();
    assert!(matches!(with_huffman_tables(&jpeg), Cow::Borrowed(_)));
    assert!(matches!(
        with_huffman_tables(b"not a jpeg"),
        Cow::Borrowed(_)
    ));
    assert!(matches!(
        with_huffman_tables(&[0xFF, 0xD8, 0xFF]),
        Cow::Borrowed(_)
    ));
    assert!(matches!(
        mjpeg_luma(b"not a jpeg"),
        Err(PixelError::Jpeg(_))
    ));
}
