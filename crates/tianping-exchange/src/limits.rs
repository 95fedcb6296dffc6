//! The most a workbook may hold or expand to before it is read.
//!
//! An XLSX workbook is a zip archive of XML parts. A few kilobytes of it can claim a cell at
//! XFD1048576 (a reader that builds the sheet as a grid then allocates a grid of 17 billion
//! cells) or expand to gigabytes of XML. Every workbook is therefore checked against these
//! bounds before and while it is read, and refused with a [`FileError::XlsxLimit`] that says
//! which bound it passed. The bounds are far above what a court's export holds: a province's
//! year of cases is about a million rows of 15 to 20 columns; written by rust_xlsxwriter (as
//! Excel writes it) such a workbook is 52 MB and expands nine times, to a sheet of 0.41 GB of
//! XML and 57 MB of shared strings.
//!
//! CSV text needs no such bounds: it is read as it is, and what it costs in memory is about its
//! own size, which the caller already holds or has mapped.
//!
//! [`FileError::XlsxLimit`]: crate::FileError::XlsxLimit

/// Parts (files in the zip archive) of a workbook. Excel writes about ten, and three or four
/// more per sheet.
pub const XLSX_MAX_PARTS: usize = 10_000;

/// The parts of a workbook may expand to this many times the workbook's own size together
/// (Excel's and rust_xlsxwriter's case exports expand about ten times; zip bombs a thousand).
pub const XLSX_MAX_EXPANSION_RATIO: u64 = 100;

/// A workbook may always expand to this many bytes, however small it is.
pub const XLSX_EXPANSION_FLOOR: u64 = 16 << 20;

/// No workbook may expand to more than this many bytes (2 GiB), whatever its size: a sheet of
/// Excel's 1,048,576 rows by 20 full columns is about 0.8 GiB of XML.
pub const XLSX_MAX_EXPANDED_BYTES: u64 = 2 << 30;

/// Each part that is read whole before any cell (the workbook, its relationships, the styles
/// and the theme; not the shared strings, nor the sheets, which are read as a stream) may expand
/// to at most this many bytes (16 MiB). Excel writes them in kilobytes; a workbook bloated with
/// Excel's maximum of 64,000 cell formats has a styles part of about 5 MiB.
pub const XLSX_MAX_WHOLE_PART_BYTES: u64 = 16 << 20;

/// What the parts read whole (those above and the shared strings) may cost in memory once
/// read, estimated from their size, their number of XML elements and their longest attribute
/// value (1 GiB). A reader keeps a string or a style per element, and copies a number format, a
/// font name or a sheet's path into every element that refers to it, so a few kilobytes of
/// styles can otherwise stand for gigabytes. The shared strings of a million cases (a million
/// case numbers and 200,000 origin case numbers, 57 MB of XML) count 0.21 GB by this estimate.
pub const XLSX_MAX_WHOLE_PARTS_MEMORY: u64 = 1 << 30;

/// The last row of a sheet (Excel's, 1,048,576): a cell below it is refused.
pub const XLSX_MAX_ROWS: u32 = 1_048_576;

/// The last column read (256, column IV, Excel 97's last): a cell right of it is refused. An
/// exchange table has 4 to 20 columns.
pub const XLSX_MAX_COLUMNS: u32 = 256;

/// Cells of the sheet read (2^25 = 33,554,432: Excel's 1,048,576 rows by 32 columns), counted
/// both as the cells the sheet holds and as the cells of the table the reader builds (each row
/// as wide as the header or as its own last cell).
pub const XLSX_MAX_CELLS: usize = 1 << 25;

/// Bytes of text of the cells of the sheet read, together (1 GiB). A shared string is stored
/// once in the workbook but becomes the text of every cell that refers to it.
pub const XLSX_MAX_TEXT_BYTES: usize = 1 << 30;
