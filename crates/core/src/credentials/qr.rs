//! QR codes of Key URIs: SVG for the screen (crisp at any size, printable) and PNG for
//! files the helpdesk hands out.

use qrcode::render::svg;
use qrcode::{Color, EcLevel, QrCode};

/// Modules of white border the QR specification asks for.
const QUIET_ZONE: usize = 4;
const PNG_MODULE_PIXELS: usize = 8;

fn code(text: &str) -> QrCode {
    // A Key URI is well under the capacity of the largest code at level M.
    QrCode::with_error_correction_level(text, EcLevel::M).expect("a Key URI fits in a QR code")
}

pub fn qr_svg(text: &str) -> String {
    code(text)
        .render::<svg::Color<'_>>()
        .min_dimensions(240, 240)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build()
}

pub fn qr_png(text: &str) -> Vec<u8> {
    let code = code(text);
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET_ZONE) * PNG_MODULE_PIXELS;
    let mut pixels = vec![255u8; side * side];
    for (index, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (x, y) = (index % modules + QUIET_ZONE, index / modules + QUIET_ZONE);
        for row in y * PNG_MODULE_PIXELS..(y + 1) * PNG_MODULE_PIXELS {
            let start = row * side + x * PNG_MODULE_PIXELS;
            pixels[start..start + PNG_MODULE_PIXELS].fill(0);
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side as u32, side as u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("writing a PNG to memory");
    writer
        .write_image_data(&pixels)
        .expect("writing a PNG to memory");
    writer.finish().expect("writing a PNG to memory");
    out
}
