//! QR codes of Key URIs: SVG for the screen (crisp at any size, printable) and PNG for
//! files the helpdesk hands out.

use crate::Error;
use qrcode::render::svg;
use qrcode::{Color, EcLevel, QrCode};

/// Modules of white border the QR specification asks for.
const QUIET_ZONE: usize = 4;
const PNG_MODULE_PIXELS: usize = 8;

/// The Key URI shortens the names it carries to fit (see `totp::key_uri`), so this refuses
/// only text no Key URI becomes; the message still says what would make it fit.
fn code(text: &str) -> Result<QrCode, Error> {
    QrCode::with_error_correction_level(text, EcLevel::M).map_err(|e| {
        Error::invalid(
            "organization_name",
            format!(
                "the 2FA QR code cannot hold a Key URI of {} bytes ({e}); shorten the \
                 organization name in Settings, or the username",
                text.len()
            ),
        )
    })
}

pub fn qr_svg(text: &str) -> Result<String, Error> {
    Ok(code(text)?
        .render::<svg::Color<'_>>()
        .min_dimensions(240, 240)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build())
}

pub fn qr_png(text: &str) -> Result<Vec<u8>, Error> {
    let code = code(text)?;
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
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_longer_than_any_qr_code_is_an_error_naming_the_fix() {
        let text = format!("otpauth://totp/{}", "%E4%B8%80".repeat(300));
        for error in [qr_svg(&text).unwrap_err(), qr_png(&text).unwrap_err()] {
            assert_eq!(error.fields()[0].field, "organization_name");
            assert!(
                error.to_string().contains("shorten the organization name"),
                "{error}"
            );
        }
        assert!(qr_png("otpauth://totp/Roster:ada?secret=GEZDGNBV").is_ok());
    }
}
