//! Charts as PNG pictures, for the DOCX bulletin: Word, WPS and LibreOffice all show a PNG, while
//! an SVG needs a PNG fallback in Word anyway. The SVG of `charts` is drawn by resvg with the
//! system's fonts (the chart's font stack names Noto Sans CJK SC, Microsoft YaHei, PingFang SC),
//! at 2.5 times its size so that it prints sharply.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

/// Pixels per SVG unit.
const SCALE: f32 = 2.5;

/// A chart as a PNG picture: the bytes, and its width and height in pixels.
#[derive(Debug, Clone)]
pub struct Picture {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The system's fonts, scanned once per process.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_system_fonts();
            // `sans-serif` at the end of the stack: a Chinese face where the system has one.
            for family in ["Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei"] {
                if db
                    .faces()
                    .any(|f| f.families.iter().any(|(n, _)| n == family))
                {
                    db.set_sans_serif_family(family);
                    break;
                }
            }
            Arc::new(db)
        })
        .clone()
}

/// Draw `svg`; `None` when it cannot be read (the DOCX then gives the figures' table alone).
pub fn render(svg: &str) -> Option<Picture> {
    let options = usvg::Options {
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).ok()?;
    let size = tree.size();
    let width = (size.width() * SCALE).ceil() as u32;
    let height = (size.height() * SCALE).ceil() as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width, height)?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(SCALE, SCALE),
        &mut pixmap.as_mut(),
    );
    Some(Picture {
        png: pixmap.encode_png().ok()?,
        width,
        height,
    })
}
