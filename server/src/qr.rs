//! Enrollment codes as QR codes, for a tablet's camera: SVG for screens, PNG for printing.

use qrcode::render::svg;
use qrcode::{Color, QrCode};

/// Pixels per QR module in the PNG, and the quiet zone around the code, in modules.
const SCALE: usize = 8;
const QUIET: usize = 4;

/// Why a QR code could not be made.
#[derive(Debug, thiserror::Error)]
pub enum QrError {
    #[error("text cannot be encoded as a QR code: {0}")]
    Encode(#[from] qrcode::types::QrError),
    #[error("png encoding failed: {0}")]
    Png(#[from] png::EncodingError),
}

/// The QR code of `text` as an SVG document.
pub fn svg(text: &str) -> Result<String, QrError> {
    let code = QrCode::new(text.as_bytes())?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build())
}

/// The QR code of `text` as a black-and-white PNG.
pub fn png(text: &str) -> Result<Vec<u8>, QrError> {
    let code = QrCode::new(text.as_bytes())?;
    let width = code.width();
    let colors = code.to_colors();
    let side = (width + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color == Color::Dark {
            paint_module(&mut pixels, side, i % width, i / width);
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side as u32, side as u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header()?.write_image_data(&pixels)?;
    Ok(out)
}

fn paint_module(pixels: &mut [u8], side: usize, x: usize, y: usize) {
    for dy in 0..SCALE {
        let row = (y + QUIET) * SCALE + dy;
        let start = row * side + (x + QUIET) * SCALE;
        if let Some(cells) = pixels.get_mut(start..start + SCALE) {
            cells.fill(0);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_render_as_svg_and_png() {
        let svg = super::svg("WISH-ABCD-EFGH").unwrap();
        assert!(svg.contains("<svg"));
        let png = super::png("WISH-ABCD-EFGH").unwrap();
        assert_eq!(&png[1..4], b"PNG");
    }
}
