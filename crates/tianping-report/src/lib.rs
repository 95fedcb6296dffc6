//! Tianping's reports: the charts (SVG, drawn by hand so that the web pages and the printed
//! reports show the same pictures without a chart library), and the quality-and-efficiency
//! bulletin (审判质效通报): a model computed once ([`bulletin`]), laid out as DOCX, XLSX, HTML
//! and PDF (typst, behind the `pdf` feature).
#![forbid(unsafe_code)]

pub mod bulletin;
pub mod charts;
pub mod docx;
pub mod format;
pub mod html;
pub mod letter;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod png;
pub mod xlsx;

pub use bulletin::{Bulletin, BulletinRequest, build};

/// The formats of `tianping report --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Docx,
    Pdf,
    Xlsx,
    Html,
}

impl ReportFormat {
    pub fn parse(text: &str) -> Option<ReportFormat> {
        Some(match text {
            "docx" => ReportFormat::Docx,
            "pdf" => ReportFormat::Pdf,
            "xlsx" => ReportFormat::Xlsx,
            "html" => ReportFormat::Html,
            _ => return None,
        })
    }

    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Docx => "docx",
            ReportFormat::Pdf => "pdf",
            ReportFormat::Xlsx => "xlsx",
            ReportFormat::Html => "html",
        }
    }

    /// The media type a download is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            ReportFormat::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            ReportFormat::Pdf => "application/pdf",
            ReportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            ReportFormat::Html => "text/html; charset=utf-8",
        }
    }
}

/// Why a bulletin could not be written.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("writing the DOCX file: {0}")]
    Docx(String),
    #[error("writing the XLSX file: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("PDF: {0}")]
    Pdf(String),
    #[error(
        "this build of Tianping has no PDF writer (it was built without the `pdf` feature); rebuild with default features, or write DOCX and print it to PDF"
    )]
    PdfNotBuilt,
}

/// Lay the bulletin out in `format`.
pub fn render(bulletin: &Bulletin, format: ReportFormat) -> Result<Vec<u8>, RenderError> {
    match format {
        ReportFormat::Docx => docx::render(bulletin),
        ReportFormat::Xlsx => Ok(xlsx::render(bulletin)?),
        ReportFormat::Html => Ok(html::render(bulletin).into_bytes()),
        #[cfg(feature = "pdf")]
        ReportFormat::Pdf => pdf::render(bulletin),
        #[cfg(not(feature = "pdf"))]
        ReportFormat::Pdf => Err(RenderError::PdfNotBuilt),
    }
}

/// Whether this build writes PDF.
pub const PDF_BUILT: bool = cfg!(feature = "pdf");
