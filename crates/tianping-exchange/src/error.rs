//! The two kinds of problems: a row that breaks a rule ([`RowError`]), and a file that cannot be
//! read as an exchange table at all ([`FileError`]).

use std::fmt;

use thiserror::Error;

/// One problem of one row, printed as `file:row:column: message`.
///
/// `row` is numbered as a spreadsheet shows it: the header is row 1 (unless blank lines precede
/// it), the first data row is row 2, blank lines keep their number. `column` is the header as
/// written in the file; `None` for problems of the row as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RowError {
    pub file: String,
    pub row: usize,
    pub column: Option<String>,
    pub message: String,
}

impl RowError {
    /// The reason as the rejects file writes it: `column: message`, or the message alone.
    pub fn reason(&self) -> String {
        match &self.column {
            Some(column) => format!("{column}: {}", self.message),
            None => self.message.clone(),
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(f, "{}:{}:{}: {}", self.file, self.row, column, self.message),
            None => write!(f, "{}:{}: {}", self.file, self.row, self.message),
        }
    }
}

impl std::error::Error for RowError {}

/// A problem with the file as a whole: nothing of it can be read. Every message starts with the
/// file name (and the header row where there is one), like the row errors, and is written in
/// Chinese for the court staff who read it; what a library said about a broken workbook is kept
/// as the error's [source](std::error::Error::source), not shown.
#[derive(Debug, Error)]
pub enum FileError {
    #[error("{file}: 无法读取：{}", io_reason(source))]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: 不是 CSV 或 XLSX 文件：{reason}")]
    NotTabular { file: String, reason: String },
    #[error("{file}: 文字编码既不是 UTF-8，也不是 GB18030")]
    Encoding { file: String },
    #[error("{file}: 文件为空：找不到表头行")]
    Empty { file: String },
    #[error("{file}: 无法读取 XLSX 工作簿：{message}")]
    Xlsx {
        file: String,
        message: String,
        /// What the zip or XLSX reader said (English), for whoever debugs the workbook.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    #[error("{file}: 工作表“{sheet}”为空：找不到表头行")]
    EmptySheet { file: String, sheet: String },
    #[error("{file}: 工作簿中没有工作表")]
    NoSheet { file: String },
    #[error("{file}: XLSX 工作簿超出可读取的范围：{message}")]
    XlsxLimit { file: String, message: String },
    #[error("{file}:{row}: CSV 格式有误：{message}")]
    Csv {
        file: String,
        row: usize,
        message: String,
    },
    /// A quote that opens a cell and is never closed: the csv reader would read the rest of the
    /// file as that one cell.
    #[error(
        "{file}:{row}: 第 {opened_row} 行{}的引号没有闭合，其后的全部内容会被读成一格：\
         请补上或删去该引号",
        column_name(*column, header)
    )]
    UnterminatedQuote {
        file: String,
        /// The row of the record the quote is in.
        row: usize,
        /// The row the quote opened in (later than `row` when a cell before it spans lines).
        opened_row: usize,
        /// 1-based position of the cell.
        column: usize,
        /// Its header, if it has one.
        header: Option<String>,
    },
    /// A quoted cell spanning lines that seems to hold rows of the file (text follows its closing
    /// quote, or the row has more cells than the header): a quote left open that a quote in a
    /// later row closed, making one row of the rows between.
    #[error(
        "{file}:{row}: 一个带引号的单元格从第 {opened_row} 行延续到第 {closed_row} 行，似乎包含了\
         文件中的多行：可能是第 {opened_row} 行{}的引号没有闭合；请补上或删去该引号",
        column_name(*column, header)
    )]
    RunawayQuote {
        file: String,
        row: usize,
        opened_row: usize,
        closed_row: usize,
        column: usize,
        header: Option<String>,
    },
    #[error(
        "{file}:{row}: 无法从表头判断这是法院、案件还是事件文件（{}）；{}",
        seen(headers),
        if *looks_like_ecourts {
            "这些列像是印度 eCourts 系统的导出文件：请按 eCourts（印度）格式读取"
        } else {
            "请指定文件类型，或修正表头行"
        }
    )]
    UnknownKind {
        file: String,
        row: usize,
        headers: Vec<String>,
        /// The headers have `cino` and `dt_regis`.
        looks_like_ecourts: bool,
    },
    #[error(
        "{file}:{row}: {}缺少必需的列：{}",
        sheet.as_ref().map(|s| format!("工作表“{s}”")).unwrap_or_default(),
        columns.join("、")
    )]
    MissingColumns {
        file: String,
        row: usize,
        kind: crate::Kind,
        /// `case_number（案号）`, …
        columns: Vec<String>,
        /// The worksheet read, for XLSX files.
        sheet: Option<String>,
    },
    #[error(
        "{file}:{row}: 列 {column}{}出现了两次（第 {first} 列和第 {second} 列），无法确定以哪一列为准",
        if column.ends_with('）') { "" } else { " " }
    )]
    DuplicateColumn {
        file: String,
        row: usize,
        column: String,
        /// 1-based column positions.
        first: usize,
        second: usize,
    },
    #[error(
        "{file}: {}格式的文件只含案件，不能作为{}文件读取",
        layout_name(*layout),
        kind.name_zh()
    )]
    LayoutKind {
        file: String,
        layout: crate::Layout,
        kind: crate::Kind,
    },
}

/// Why a file could not be read, in Chinese: the common cases by name, the others by the
/// system's error number (the English text stays in the error's source).
pub fn io_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "找不到该文件".to_owned(),
        ErrorKind::PermissionDenied => "没有访问权限".to_owned(),
        ErrorKind::IsADirectory => "这是文件夹，不是文件".to_owned(),
        ErrorKind::StorageFull => "磁盘已满".to_owned(),
        ErrorKind::ReadOnlyFilesystem => "磁盘只能读、不能写".to_owned(),
        _ => match error.raw_os_error() {
            Some(code) => format!("系统出错（错误码 {code}）"),
            None => "系统出错".to_owned(),
        },
    }
}

/// `第 3 列（cause）`, or `第 3 列` for a cell without a header.
fn column_name(column: usize, header: &Option<String>) -> String {
    match header.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => format!("第 {column} 列（{name}）"),
        _ => format!("第 {column} 列"),
    }
}

fn seen(headers: &[String]) -> String {
    let shown: Vec<String> = headers
        .iter()
        .map(|h| h.trim())
        .filter(|h| !h.is_empty())
        .map(|h| format!("“{h}”"))
        .collect();
    if shown.is_empty() {
        "表头没有列名".to_owned()
    } else {
        format!("表头为：{}", shown.join("、"))
    }
}

fn layout_name(layout: crate::Layout) -> &'static str {
    match layout {
        crate::Layout::Tianping => "天平交换",
        crate::Layout::EcourtsIndia => "eCourts（印度）",
    }
}

impl FileError {
    /// The file the problem is about.
    pub fn file(&self) -> &str {
        match self {
            FileError::Io { file, .. }
            | FileError::NotTabular { file, .. }
            | FileError::Encoding { file }
            | FileError::Empty { file }
            | FileError::EmptySheet { file, .. }
            | FileError::Xlsx { file, .. }
            | FileError::NoSheet { file }
            | FileError::XlsxLimit { file, .. }
            | FileError::Csv { file, .. }
            | FileError::UnterminatedQuote { file, .. }
            | FileError::RunawayQuote { file, .. }
            | FileError::UnknownKind { file, .. }
            | FileError::MissingColumns { file, .. }
            | FileError::DuplicateColumn { file, .. }
            | FileError::LayoutKind { file, .. } => file,
        }
    }
}
