//! Checking a workbook's zip archive against the [limits](crate::limits) before calamine opens
//! it.
//!
//! calamine reads some parts whole when it opens a workbook (the shared strings, the styles, the
//! workbook and its relationships, the theme) and streams a sheet only when asked for it. What
//! the whole parts cost is decided here, before calamine sees them; what a sheet costs is
//! counted while it is read (`read::parse_xlsx`).
//!
//! The sizes here are the sizes the archive declares. The zip crate calamine reads with (the same
//! as ours) fails a part that inflates past its declared size ("File is larger than its declared
//! uncompressed size"), so a declared size that lies only makes the workbook unreadable; the test
//! `a_part_that_inflates_past_its_declared_size_is_refused` holds that. The whole parts are inflated here
//! (each at most [`XLSX_MAX_WHOLE_PART_BYTES`], the shared strings as a stream) to count what
//! calamine will keep of them.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use zip::ZipArchive;

use crate::limits::{
    XLSX_EXPANSION_FLOOR, XLSX_MAX_EXPANDED_BYTES, XLSX_MAX_EXPANSION_RATIO, XLSX_MAX_PARTS,
    XLSX_MAX_WHOLE_PART_BYTES, XLSX_MAX_WHOLE_PARTS_MEMORY,
};

/// Why a workbook is not read (in Chinese, for the messages).
#[derive(Debug)]
pub(crate) enum Refusal {
    /// Not a zip archive calamine could read either; with what the zip reader said.
    Unreadable(String, Box<dyn std::error::Error + Send + Sync>),
    /// Beyond a limit.
    Limit(String),
}

/// What calamine may keep per XML element of a part it reads whole, besides copies of attribute
/// values: a style with its font, fill, borders, alignment and number format (calamine 0.38's
/// `Style` is 200 bytes, see the test below), or a sheet's name and metadata, with their
/// allocations.
const WHOLE_ELEMENT_COST: u64 = 512;
/// How many attribute values calamine may copy per element it reads whole: a number format and a
/// font name per cell format, the workbook's folder and a relationship's target per sheet.
const COPIES_PER_ELEMENT: u64 = 3;
/// What calamine keeps per XML element of the shared strings: a `String` (24 bytes) and the
/// allocator's share of its text's allocation.
const SHARED_STRING_ELEMENT_COST: u64 = 32;

/// How calamine reads a part when it opens the workbook.
#[derive(Debug, Clone, Copy, Default)]
struct Whole {
    /// The workbook, its relationships, styles, theme, the package relationships.
    parsed: bool,
    /// The shared strings.
    strings: bool,
}

/// Check `bytes`, a zip archive, against the limits.
pub(crate) fn check(bytes: &[u8]) -> Result<(), Refusal> {
    let unreadable =
        |e: zip::result::ZipError| Refusal::Unreadable("压缩包结构已损坏".to_owned(), e.into());
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    if archive.len() > XLSX_MAX_PARTS {
        return Err(Refusal::Limit(format!(
            "压缩包内有 {} 个部件，超过上限 {XLSX_MAX_PARTS} 个",
            archive.len()
        )));
    }

    let allowed = (bytes.len() as u64)
        .saturating_mul(XLSX_MAX_EXPANSION_RATIO)
        .clamp(XLSX_EXPANSION_FLOOR, XLSX_MAX_EXPANDED_BYTES);
    // Each part's name as calamine looks it up, and as messages show it.
    let mut names = Vec::with_capacity(archive.len());
    let mut expanded = 0u64;
    for i in 0..archive.len() {
        let entry = archive.by_index_data(i).map_err(unreadable)?;
        expanded = expanded.saturating_add(entry.size());
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        names.push((normalize(&name), name));
    }
    if expanded > allowed {
        return Err(Refusal::Limit(format!(
            "各部件解压后共 {expanded} 字节，超过 {} 字节的工作簿允许的 {allowed} 字节\
             （其大小的 {XLSX_MAX_EXPANSION_RATIO} 倍，至少 {XLSX_EXPANSION_FLOOR} 字节，\
             至多 {XLSX_MAX_EXPANDED_BYTES} 字节；正常导出的工作簿解压后约为原来的十倍）",
            bytes.len()
        )));
    }

    // Which parts calamine reads whole depends on where the package relationships put the
    // workbook; every target they name is taken for the workbook (one of them is).
    let mut whole: HashMap<String, Whole> = HashMap::new();
    whole.entry(PACKAGE_RELS.to_owned()).or_default().parsed = true;
    let mut targets = Vec::new();
    for (i, (key, name)) in names.iter().enumerate() {
        if key == PACKAGE_RELS {
            let part = read_whole(&mut archive, i, name)?;
            targets.extend(attribute_values(&part, b"Target").take(MAX_PACKAGE_TARGETS + 1));
            if targets.len() > MAX_PACKAGE_TARGETS {
                return Err(Refusal::Limit(format!(
                    "包关系部件“{name}”指向的目标超过 {MAX_PACKAGE_TARGETS} 个"
                )));
            }
        }
    }
    for target in targets {
        let (dir, name) = target.split_at(target.rfind('/').map_or(0, |i| i + 1));
        let folder = dir.strip_prefix('/').unwrap_or(dir);
        let workbook = if name.is_empty() {
            "workbook.xml"
        } else {
            name
        };
        for path in [
            format!("{folder}{workbook}"),
            format!("{folder}_rels/{workbook}.rels"),
            format!("{folder}styles.xml"),
            format!("{folder}theme/theme1.xml"),
        ] {
            whole.entry(normalize(&path)).or_default().parsed = true;
        }
        whole
            .entry(normalize(&format!("{folder}sharedStrings.xml")))
            .or_default()
            .strings = true;
    }

    let mut parsed = Counts::default();
    let mut strings = Counts::default();
    for (i, (key, name)) in names.iter().enumerate() {
        let Some(&how) = whole.get(key) else {
            continue;
        };
        if how.parsed {
            let part = read_whole(&mut archive, i, name)?;
            parsed.bytes += part.len() as u64;
            parsed.elements += count_elements(&part);
            parsed.longest_value = parsed.longest_value.max(longest_attribute_value(&part));
        }
        if how.strings {
            let counts = scan_strings(&mut archive, i, name)?;
            strings.bytes += counts.bytes;
            strings.elements += counts.elements;
        }
    }
    let per_element =
        WHOLE_ELEMENT_COST.saturating_add(parsed.longest_value.saturating_mul(COPIES_PER_ELEMENT));
    let memory = parsed
        .bytes
        .saturating_add(parsed.elements.saturating_mul(per_element))
        .saturating_add(strings.bytes)
        .saturating_add(strings.elements.saturating_mul(SHARED_STRING_ELEMENT_COST));
    if memory > XLSX_MAX_WHOLE_PARTS_MEMORY {
        return Err(Refusal::Limit(format!(
            "读取其样式、共享字符串和工作表列表约需 {memory} 字节内存（{} 字节、{} 个元素，\
             最长的属性值 {} 字节；共享字符串 {} 字节、{} 个元素），超过上限 \
             {XLSX_MAX_WHOLE_PARTS_MEMORY} 字节",
            parsed.bytes, parsed.elements, parsed.longest_value, strings.bytes, strings.elements
        )));
    }
    Ok(())
}

const PACKAGE_RELS: &str = "_rels/.rels";

/// The targets the package relationships may name (Excel names three or four: the workbook and
/// the document properties). Each becomes a few names of parts to check, so a relationships part
/// of a million targets would make this check itself costly.
const MAX_PACKAGE_TARGETS: usize = 1_000;

/// A part's name as calamine looks it up: `/` for `\`, ASCII lower case.
fn normalize(name: &str) -> String {
    name.replace('\\', "/").to_ascii_lowercase()
}

#[derive(Debug, Default)]
struct Counts {
    bytes: u64,
    elements: u64,
    longest_value: u64,
}

fn read_failed(name: &str, e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Refusal {
    Refusal::Unreadable(format!("部件“{name}”无法读取"), e.into())
}

/// A part calamine parses whole, inflated (at most [`XLSX_MAX_WHOLE_PART_BYTES`]).
fn read_whole(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    index: usize,
    name: &str,
) -> Result<Vec<u8>, Refusal> {
    let entry = archive.by_index(index).map_err(|e| read_failed(name, e))?;
    if entry.size() > XLSX_MAX_WHOLE_PART_BYTES {
        return Err(too_big(name, entry.size()));
    }
    let mut part = Vec::with_capacity(entry.size() as usize);
    entry
        .take(XLSX_MAX_WHOLE_PART_BYTES + 1)
        .read_to_end(&mut part)
        .map_err(|e| read_failed(name, e))?;
    if part.len() as u64 > XLSX_MAX_WHOLE_PART_BYTES {
        return Err(too_big(name, part.len() as u64));
    }
    Ok(part)
}

fn too_big(name: &str, size: u64) -> Refusal {
    Refusal::Limit(format!(
        "部件“{name}”解压后有 {size} 字节，超过整体读取的部件的上限 \
         {XLSX_MAX_WHOLE_PART_BYTES} 字节"
    ))
}

/// Start and end tags, comments and declarations: every element calamine keeps something for
/// has one `<`.
fn count_elements(xml: &[u8]) -> u64 {
    xml.iter().filter(|&&b| b == b'<').count() as u64
}

/// The length of the longest quoted value after a `=` (an upper bound of the longest attribute
/// value: text that looks like an attribute counts too).
fn longest_attribute_value(xml: &[u8]) -> u64 {
    let mut longest = 0;
    let mut at = 0;
    while let Some(eq) = memchr::memchr(b'=', &xml[at..]) {
        let mut i = at + eq + 1;
        while xml.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        at = i;
        let Some(&quote @ (b'"' | b'\'')) = xml.get(i) else {
            continue;
        };
        let len = memchr::memchr(quote, &xml[i + 1..]).unwrap_or(xml.len() - i - 1);
        longest = longest.max(len as u64);
        at = i + 1 + len;
    }
    longest
}

/// The values of the attributes named `key` (XML entities decoded; values that do not decode,
/// which calamine refuses, are left out). Text that looks like such an attribute counts too.
fn attribute_values<'x>(xml: &'x [u8], key: &'x [u8]) -> impl Iterator<Item = String> + 'x {
    let skip_space = |mut i: usize| {
        while xml.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    memchr::memmem::find_iter(xml, key).filter_map(move |found| {
        let i = skip_space(found + key.len());
        if xml.get(i) != Some(&b'=') {
            return None;
        }
        let i = skip_space(i + 1);
        let &quote @ (b'"' | b'\'') = xml.get(i)? else {
            return None;
        };
        let rest = &xml[i + 1..];
        let raw = &rest[..memchr::memchr(quote, rest).unwrap_or(rest.len())];
        std::str::from_utf8(raw).ok().and_then(unescape)
    })
}

/// XML entities decoded as calamine decodes attributes (quick-xml's `unescape`): the five named
/// ones and character references; `None` for anything else.
fn unescape(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let end = rest[amp..].find(';')? + amp;
        let entity = &rest[amp + 1..end];
        let c = match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "apos" => '\'',
            "quot" => '"',
            _ => {
                let code = match entity.strip_prefix("#x") {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => entity.strip_prefix('#')?.parse().ok()?,
                };
                char::from_u32(code)?
            }
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// Inflate the shared strings as a stream: their size, their elements, and the check of the
/// string count they declare.
fn scan_strings(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    index: usize,
    name: &str,
) -> Result<Counts, Refusal> {
    let mut entry = archive.by_index(index).map_err(|e| read_failed(name, e))?;
    let mut counts = Counts::default();
    let mut declared = DeclaredCount::default();
    let mut chunk = vec![0; 1 << 16];
    loop {
        let n = match entry.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_failed(name, e)),
        };
        counts.bytes += n as u64;
        counts.elements += count_elements(&chunk[..n]);
        declared.feed(&chunk[..n]);
        // The zip crate stops at the declared size; this stops a reader that would not.
        if counts.bytes > XLSX_MAX_WHOLE_PARTS_MEMORY {
            break;
        }
    }
    if declared.largest > counts.elements {
        return Err(string_count_refusal(
            name,
            declared.largest,
            counts.elements,
        ));
    }
    Ok(counts)
}

fn string_count_refusal(name: &str, declared: u64, elements: u64) -> Refusal {
    Refusal::Limit(format!(
        "部件“{name}”声明有 {declared} 个共享字符串，但其内容最多只容得下 {elements} 个"
    ))
}

/// The largest `uniqueCount="…"` value in a stream of XML. calamine reserves room for that many
/// strings before reading one: a count of 10^15 in a kilobyte would abort the process.
///
/// A state machine over the bytes, so that a value split across chunks (or pushed away from its
/// name by any amount of white space) is still seen. A value calamine cannot parse as a number
/// reserves nothing; one with more digits than a `u64` holds counts as `u64::MAX`.
#[derive(Debug, Default)]
struct DeclaredCount {
    state: CountState,
    largest: u64,
}

#[derive(Debug, Clone, Copy)]
enum CountState {
    /// Matched this many bytes of the name.
    Name(usize),
    /// After the name: white space, then `=`.
    BeforeEq,
    /// After `=`: white space, then a quote.
    AfterEq,
    /// In the value: its quote, the number so far (saturating), whether only digits came.
    Value(u8, u64, bool),
}

impl Default for CountState {
    fn default() -> CountState {
        CountState::Name(0)
    }
}

const COUNT_NAME: &[u8] = b"uniqueCount";

/// For each prefix of [`COUNT_NAME`], the longest proper prefix that is also its suffix
/// (Knuth-Morris-Pratt): the name repeats its `u` and `un`.
const COUNT_NAME_FALLBACK: [usize; COUNT_NAME.len()] = {
    let mut table = [0; COUNT_NAME.len()];
    let mut len = 0;
    let mut i = 1;
    while i < COUNT_NAME.len() {
        while len > 0 && COUNT_NAME[i] != COUNT_NAME[len] {
            len = table[len - 1];
        }
        if COUNT_NAME[i] == COUNT_NAME[len] {
            len += 1;
        }
        table[i] = len;
        i += 1;
    }
    table
};

/// The state after `matched` bytes of the name and then `b`.
fn match_name(mut matched: usize, b: u8) -> CountState {
    while matched > 0 && b != COUNT_NAME[matched] {
        matched = COUNT_NAME_FALLBACK[matched - 1];
    }
    if b == COUNT_NAME[matched] {
        matched += 1;
    }
    if matched == COUNT_NAME.len() {
        CountState::BeforeEq
    } else {
        CountState::Name(matched)
    }
}

impl DeclaredCount {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.state = match self.state {
                CountState::Name(matched) => match_name(matched, b),
                CountState::BeforeEq if b.is_ascii_whitespace() => CountState::BeforeEq,
                CountState::BeforeEq if b == b'=' => CountState::AfterEq,
                CountState::AfterEq if b.is_ascii_whitespace() => CountState::AfterEq,
                CountState::AfterEq if b == b'"' || b == b'\'' => CountState::Value(b, 0, true),
                CountState::Value(quote, n, digits) if b == quote => {
                    if digits {
                        self.largest = self.largest.max(n);
                    }
                    CountState::Name(0)
                }
                CountState::Value(quote, n, digits) => CountState::Value(
                    quote,
                    n.saturating_mul(10)
                        .saturating_add(u64::from(b.wrapping_sub(b'0'))),
                    digits && b.is_ascii_digit(),
                ),
                CountState::BeforeEq | CountState::AfterEq => match_name(0, b),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_element_cost_covers_what_calamine_keeps_per_style() {
        assert!(size_of::<calamine::Style>() as u64 <= WHOLE_ELEMENT_COST / 2);
    }

    #[test]
    fn declared_string_counts_are_found_across_chunks() {
        let xml = b"<sst xmlns=\"x\" count=\"7\" uniqueCount = \n '000123' ><si/>";
        for split in 0..xml.len() {
            let mut declared = DeclaredCount::default();
            declared.feed(&xml[..split]);
            declared.feed(&xml[split..]);
            assert_eq!(declared.largest, 123, "split at {split}");
        }
        let mut declared = DeclaredCount::default();
        declared.feed(b"uniquuniqueCouniqueCount=\"99999999999999999999999\" uniqueCount=\"1e9\"");
        assert_eq!(declared.largest, u64::MAX);
    }

    #[test]
    fn attribute_values_are_decoded_as_calamine_decodes_them() {
        let xml = b"<Relationship Id=\"r\" Target = 'xl/work&#98;ook&amp;.xml'/>\
                    <Relationship Target=\"/a/&bogus;\"/>";
        let values: Vec<String> = attribute_values(xml, b"Target").collect();
        assert_eq!(values, ["xl/workbook&.xml"]);
        assert_eq!(longest_attribute_value(xml), 24);
    }
}
