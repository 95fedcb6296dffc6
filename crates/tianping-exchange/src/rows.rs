//! Turning one row into a record, collecting every problem of the row.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use tianping_domain::court::PROVINCES;
use tianping_domain::time_limit::{AppealObject, MAX_EXTENSION_DAYS, MAX_EXTENSION_MONTHS};
use tianping_domain::{
    CaseClass, CaseNumber, CaseRecord, ClosingMode, CourtCode, CourtLevel, CourtRecord, EventKind,
    EventRecord, Procedure,
};

use crate::columns::{Cells, Columns, case, court, ecourts, event};
use crate::values;

/// A problem found in a row: the field it is about and the message.
pub(crate) type Problem = (usize, String);

/// One row being checked: its cells, the column map, and the problems found so far.
struct Row<'a, C: ?Sized> {
    cols: &'a Columns,
    cells: &'a C,
    problems: &'a mut Vec<Problem>,
}

impl<'a, C: Cells + ?Sized> Row<'a, C> {
    fn text(&self, field: usize) -> &'a str {
        self.cols.get(self.cells, field)
    }

    fn add(&mut self, field: usize, message: String) {
        self.problems.push((field, message));
    }

    /// The cell parsed, `None` when empty; a parse failure is recorded.
    fn optional<T>(
        &mut self,
        field: usize,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let text = self.text(field);
        if text.is_empty() {
            return None;
        }
        parse(text).map_err(|e| self.add(field, e)).ok()
    }

    /// The cell parsed; an empty cell or a parse failure is recorded.
    fn required<T>(
        &mut self,
        field: usize,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        if self.text(field).is_empty() {
            self.add(field, "必填，不能为空".to_owned());
            return None;
        }
        self.optional(field, parse)
    }

    /// Free text, `None` when empty; an over-long text is recorded.
    fn free_text(&mut self, field: usize) -> Option<String> {
        self.optional(field, values::text)
    }

    fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The case numbers seen so far in a file, with the row each was first seen in.
///
/// A million-row file makes this large, and it is touched once per row. A hash map keyed by
/// case number scatters those touches over tens of megabytes, and each costs a cache miss: that
/// was a seventh of reading a file. But the case numbers of one court, year and type code (a
/// series, 案号序列) are numbered 1, 2, 3… and an export lists them close to that order. So a
/// case number without a `之N` suffix is packed into 128 bits (an exact key: two numbers share
/// it if and only if their normalized spellings are equal), and its series and the sequence
/// number's upper bits find a page of [`PAGE`] rows, in which the lower bits give the slot. The
/// pages of a file fit in the processor's cache, and a sparse file costs at most a page per
/// case. The rare suffixed numbers are keyed by their spelling.
#[derive(Debug, Default)]
struct SeenNumbers {
    /// A page's key (the packed number with the slot bits cleared) to its index in `pages`.
    /// FxHash: the keys are not chosen by an attacker who could profit from collisions (a bad
    /// file only slows its own import), and SipHash cost more than the lookup.
    page_of: FxHashMap<u128, u32>,
    /// Per slot, the row the number was first seen in plus one; 0: not seen.
    pages: Vec<[u32; PAGE]>,
    /// The page looked up last: consecutive rows mostly fall into the same page.
    last: Option<(u128, u32)>,
    /// Rows past `u32::MAX - 1`, which a page cannot hold.
    far_rows: FxHashMap<u128, usize>,
    spelled: HashMap<String, usize>,
}

/// Slots per page of [`SeenNumbers`].
const PAGE: usize = 32;
/// The bits of a packed case number that pick the slot in its page: the sequence number's
/// lowest five (see [`pack`]).
const SLOT_BITS: u128 = (PAGE as u128 - 1) << 64;

impl SeenNumbers {
    fn reserve(&mut self, rows: usize) {
        self.page_of.reserve(rows / PAGE);
        self.pages.reserve(rows / PAGE);
    }

    /// The row `number` was first seen in; records `row` when this is the first time.
    fn first_or_insert(
        &mut self,
        number: &CaseNumber,
        normalized: &str,
        row: usize,
    ) -> Option<usize> {
        let Some(key) = pack(number) else {
            return match self.spelled.get(normalized) {
                Some(first) => Some(*first),
                None => {
                    self.spelled.insert(normalized.to_owned(), row);
                    None
                }
            };
        };
        let page_key = key & !SLOT_BITS;
        let page = match self.last {
            Some((last_key, page)) if last_key == page_key => page,
            _ => {
                let next = self.pages.len() as u32;
                let page = *self.page_of.entry(page_key).or_insert(next);
                if page == next {
                    self.pages.push([0; PAGE]);
                }
                self.last = Some((page_key, page));
                page
            }
        };
        let slot = &mut self.pages[page as usize][((key & SLOT_BITS) >> 64) as usize];
        if *slot != 0 {
            return Some(*slot as usize - 1);
        }
        if let Some(first) = self.far_rows.get(&key)
            && !self.far_rows.is_empty()
        {
            return Some(*first);
        }
        match u32::try_from(row + 1) {
            Ok(stored) if stored < u32::MAX => *slot = stored,
            _ => {
                self.far_rows.insert(key, row);
            }
        }
        None
    }
}

/// Year (bits 0-15), court: province position + 1, 0 for 最高法 (16-23), number of digits
/// (24-27) and their value (28-43); type code index (44-59); sequence (64-95); specialised-trial
/// code (96-127). `None` with a suffix.
fn pack(n: &CaseNumber) -> Option<u128> {
    if n.suffix.is_some() {
        return None;
    }
    let (province, digits) = match n.court.province() {
        None => (0, ""),
        Some(p) => {
            let position = PROVINCES.iter().position(|&(c, _)| c == p)?;
            (position as u128 + 1, &n.court.as_str()[p.len_utf8()..])
        }
    };
    let value: u128 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    if digits.len() > 4 {
        return None;
    }
    Some(
        u128::from(n.year)
            | province << 16
            | (digits.len() as u128) << 24
            | value << 28
            | u128::from(n.type_code.index()) << 44
            | u128::from(n.seq) << 64
            | u128::from(n.special_code.map_or(0, u32::from)) << 96,
    )
}

/// Courts file rows.
#[derive(Debug)]
pub(crate) struct CourtRows {
    pub cols: Columns,
    seen: HashMap<String, usize>,
}

impl CourtRows {
    pub fn new(cols: Columns) -> CourtRows {
        CourtRows {
            cols,
            seen: HashMap::new(),
        }
    }

    pub fn row<C: Cells + ?Sized>(
        &mut self,
        row: usize,
        cells: &C,
        problems: &mut Vec<Problem>,
    ) -> Option<CourtRecord> {
        let mut r = Row {
            cols: &self.cols,
            cells,
            problems,
        };
        let code = r.required(court::CODE, |t| CourtCode::parse(t).map_err(|e| e.zh()));
        if let Some(code) = &code {
            match self.seen.get(code.as_str()) {
                Some(first) => r.add(
                    court::CODE,
                    format!("法院代字重复：{code} 已在第 {first} 行出现"),
                ),
                None => {
                    self.seen.insert(code.as_str().to_owned(), row);
                }
            }
        }
        let name = r.required(court::NAME, values::text);
        let level = r.required(court::LEVEL, |t| {
            CourtLevel::parse(t)
                .ok_or_else(|| format!("层级“{t}”无法识别（应为 高级、中级、基层 或 专门）"))
        });
        let parent = r.optional(court::PARENT_CODE, |t| {
            CourtCode::parse(t).map_err(|e| e.zh())
        });
        if let (Some(code), Some(parent)) = (&code, &parent)
            && code == parent
        {
            r.add(
                court::PARENT_CODE,
                format!("法院 {code} 不能是自己的上级法院"),
            );
        }
        if !r.ok() {
            return None;
        }
        Some(CourtRecord {
            code: code?.as_str().to_owned(),
            name: name?,
            level: level?,
            parent_code: parent.map(|p| p.as_str().to_owned()),
        })
    }
}

/// Cases file rows (Tianping layout).
#[derive(Debug)]
pub(crate) struct CaseRows {
    pub cols: Columns,
    seen: SeenNumbers,
}

impl CaseRows {
    pub fn new(cols: Columns) -> CaseRows {
        CaseRows {
            cols,
            seen: SeenNumbers::default(),
        }
    }

    /// Room for `rows` more case numbers: growing a large map re-hashes every key each time.
    pub fn reserve(&mut self, rows: usize) {
        self.seen.reserve(rows);
    }

    pub fn row<C: Cells + ?Sized>(
        &mut self,
        row: usize,
        cells: &C,
        problems: &mut Vec<Problem>,
    ) -> Option<CaseRecord> {
        let mut r = Row {
            cols: &self.cols,
            cells,
            problems,
        };
        let number = r.required(case::CASE_NUMBER, values::case_number);
        let normalized = number.as_ref().map(values::normalized);
        if let (Some(number), Some(n)) = (&number, &normalized)
            // A duplicate is reported even when the first occurrence has errors of its own:
            // the file holds two rows for one case either way.
            && let Some(first) = self.seen.first_or_insert(number, n, row)
        {
            r.add(
                case::CASE_NUMBER,
                format!("案号重复：{n} 已在第 {first} 行出现"),
            );
        }
        let type_code = number.as_ref().map(|n| n.type_code);

        let procedure = r.optional(case::PROCEDURE, values::procedure);
        // Only the procedures a time-limit rule knows can be computed; a type code without a
        // rule has no limit to compute, so whatever the court recorded is kept.
        if let (Some(procedure), Some(type_code)) = (procedure, type_code)
            && let Some(rule) = type_code.time_limit_rule()
            // Only rules whose limit depends on the procedure refuse one that does not fit;
            // exports often fill 二审程序 or 普通程序 on appeals, which changes nothing.
            && rule.default_procedure().is_some()
            && !rule.accepts(procedure)
        {
            let fitting: Vec<&str> = Procedure::ALL
                .into_iter()
                .filter(|p| rule.accepts(*p))
                .map(Procedure::name_zh)
                .collect();
            r.add(
                case::PROCEDURE,
                format!(
                    "类型代字为 {type_code} 的案件不适用“{}”（应为 {}）",
                    procedure.name_zh(),
                    values::one_of(&fitting)
                ),
            );
        }
        let cause = r.free_text(case::CAUSE);
        let received = r.optional(case::RECEIVED_DATE, values::date);
        let filed = r.required(case::FILED_DATE, values::date);
        let division = r.free_text(case::DIVISION);
        let judge = r.free_text(case::JUDGE);
        let closed = r.optional(case::CLOSED_DATE, values::date);
        let closing_mode = r.optional(case::CLOSING_MODE, values::closing_mode);
        if let Some(filed) = filed {
            if let Some(received) = received
                && received > filed
            {
                r.add(
                    case::RECEIVED_DATE,
                    format!("收案日期 {received} 晚于立案日期 {filed}"),
                );
            }
            if let Some(closed) = closed
                && closed < filed
            {
                r.add(
                    case::CLOSED_DATE,
                    format!("结案日期 {closed} 早于立案日期 {filed}"),
                );
            }
        }
        if closed.is_some() && r.text(case::CLOSING_MODE).is_empty() {
            r.add(
                case::CLOSING_MODE,
                "有结案日期，但没有填写结案方式".to_owned(),
            );
        }
        if let Some(mode) = closing_mode
            && r.text(case::CLOSED_DATE).is_empty()
        {
            r.add(
                case::CLOSING_MODE,
                format!("填写了结案方式“{}”，但没有结案日期", mode.name_zh()),
            );
        }
        let claim = r.optional(case::CLAIM_AMOUNT, values::amount);
        let mut recovered = r.optional(case::RECOVERED_AMOUNT, values::amount);
        if let (Some(amount), Some(type_code)) = (recovered, type_code)
            && type_code.class() != CaseClass::Enforcement
        {
            // Many systems write 0 in every row; a zero recovery says nothing and is dropped.
            if amount.fen() == 0 {
                recovered = None;
            } else {
                r.add(
                    case::RECOVERED_AMOUNT,
                    format!("非执行案件（类型代字 {type_code}）不应有执行到位金额：{amount}"),
                );
            }
        }
        let origin = r.optional(case::ORIGIN_CASE_NUMBER, values::origin_case_number);
        let foreign_related = r.optional(case::FOREIGN_RELATED, values::boolean);
        let longer_limit = r.optional(case::LONGER_LIMIT, values::boolean);
        let appeal_object = r.optional(case::APPEAL_OBJECT, values::appeal_object);
        if !r.ok() {
            return None;
        }
        let number = number?;
        Some(CaseRecord {
            case_number: normalized?,
            court_code: number.court.as_str().to_owned(),
            type_code: Some(number.type_code),
            type_name: None,
            procedure,
            cause,
            received_date: received,
            filed_date: filed?,
            division,
            judge,
            closed_date: closed,
            closing_mode,
            disposal: None,
            claim_amount: claim,
            recovered_amount: recovered,
            origin_case_number: origin,
            foreign_related: foreign_related.unwrap_or(false),
            longer_limit: longer_limit.unwrap_or(false),
            appeal_object: appeal_object.unwrap_or(AppealObject::Judgment),
        })
    }
}

/// Events file rows. Whether the case exists is not checked here: the importer knows the
/// database and the other files of the import.
#[derive(Debug)]
pub(crate) struct EventRows {
    pub cols: Columns,
}

impl EventRows {
    pub fn new(cols: Columns) -> EventRows {
        EventRows { cols }
    }

    pub fn row<C: Cells + ?Sized>(
        &mut self,
        _row: usize,
        cells: &C,
        problems: &mut Vec<Problem>,
    ) -> Option<EventRecord> {
        let mut r = Row {
            cols: &self.cols,
            cells,
            problems,
        };
        let number = r.required(event::CASE_NUMBER, values::case_number);
        let kind = r.required(event::EVENT, values::event_kind);
        let date = r.required(event::DATE, values::date);
        let end_date = r.optional(event::END_DATE, values::date);
        let months = r.optional(event::MONTHS, values::count);
        let days = r.optional(event::DAYS, values::count);
        let mut reason = r.free_text(event::REASON);

        if let Some(end) = end_date {
            match kind {
                Some(EventKind::Deduction) => {
                    if let Some(start) = date
                        && end < start
                    {
                        r.add(
                            event::END_DATE,
                            format!("扣除审限的结束日期 {end} 早于开始日期 {start}"),
                        );
                    }
                }
                Some(other) => r.add(
                    event::END_DATE,
                    format!(
                        "只有“{}”事件才填结束日期，“{}”事件不填",
                        EventKind::Deduction.name_zh(),
                        other.name_zh()
                    ),
                ),
                None => {}
            }
        }
        match kind {
            Some(EventKind::Extension) => {
                let cells_ok = !r
                    .problems
                    .iter()
                    .any(|(f, _)| *f == event::MONTHS || *f == event::DAYS);
                if cells_ok && months.unwrap_or(0) == 0 && days.unwrap_or(0) == 0 {
                    r.add(
                        event::MONTHS,
                        "延长审限须填写大于 0 的月数或天数".to_owned(),
                    );
                }
                // The statutes' longest single approval is six months (CPL art. 152); a longer
                // one is a typo, and an absurd one would push the deadline off the calendar.
                if let Some(m) = months
                    && m > MAX_EXTENSION_MONTHS
                {
                    r.add(
                        event::MONTHS,
                        format!("一次延长 {m} 个月，超过上限 {MAX_EXTENSION_MONTHS} 个月"),
                    );
                }
                if let Some(d) = days
                    && d > MAX_EXTENSION_DAYS
                {
                    r.add(
                        event::DAYS,
                        format!("一次延长 {d} 天，超过上限 {MAX_EXTENSION_DAYS} 天"),
                    );
                }
            }
            Some(other) => {
                for (field, value) in [(event::MONTHS, months), (event::DAYS, days)] {
                    if value.unwrap_or(0) > 0 {
                        r.add(
                            field,
                            format!(
                                "只有“{}”事件才填月数、天数，“{}”事件不填",
                                EventKind::Extension.name_zh(),
                                other.name_zh()
                            ),
                        );
                    }
                }
            }
            None => {}
        }
        if kind == Some(EventKind::ProcedureChange) {
            // The reason of a 转换程序 is the new procedure, stored in its canonical name so that
            // the same event written 简易 and 简易程序 de-duplicates.
            match reason.as_deref().map(values::procedure) {
                None => r.add(
                    event::REASON,
                    format!(
                        "“{}”事件须在事由中写明转换后的适用程序（如 普通程序）",
                        EventKind::ProcedureChange.name_zh()
                    ),
                ),
                Some(Ok(procedure)) => reason = Some(procedure.name_zh().to_owned()),
                Some(Err(message)) => r.add(event::REASON, message),
            }
        }
        if !r.ok() {
            return None;
        }
        Some(EventRecord {
            case_number: values::normalized(&number?),
            kind: kind?,
            date: date?,
            end_date,
            months,
            days,
            reason,
        })
    }
}

/// Rows of a [table kind](crate::Kind::is_table): every required cell filled, each cell kept as
/// trimmed text (a spreadsheet's `'` escape undone); the workflow module checks the values.
#[derive(Debug)]
pub(crate) struct TableRows {
    pub cols: Columns,
    fields: &'static [crate::columns::FieldSpec],
}

impl TableRows {
    pub fn new(cols: Columns, fields: &'static [crate::columns::FieldSpec]) -> TableRows {
        TableRows { cols, fields }
    }

    pub fn row<C: Cells + ?Sized>(
        &mut self,
        _row: usize,
        cells: &C,
        problems: &mut Vec<Problem>,
    ) -> Option<Vec<String>> {
        let texts: Vec<String> = (0..self.fields.len())
            .map(|field| self.cols.get(cells, field).to_owned())
            .collect();
        for (field, spec) in self.fields.iter().enumerate() {
            if spec.required && texts[field].is_empty() {
                problems.push((field, "必填，不能为空".to_owned()));
            }
        }
        problems.is_empty().then_some(texts)
    }
}

/// Rows of the Indian eCourts CIS/NJDG layout: cases, plus one court per establishment.
///
/// Mapping: `cino` → case number (the CNR, as written); `est_code` → court code; `dt_regis` →
/// filed date (registration); `date_of_filing` → received date; `date_of_decision` → closed
/// date; `disp_name` → disposal, kept as written, with closing mode 其他 (Other) for every decided
/// case, since the CIS disposal vocabulary does not map onto the Chinese one; `type_name` → type
/// name, no type code. CIS records no judge's name: `desgname` is the presiding officer's
/// designation and `court_no` the court room, so the judge is `desgname #court_no`
/// (`Additional District and Sessions Judge #26`), which tells apart the many rooms with the
/// same designation in one establishment; division stays empty. `NA` means empty everywhere,
/// and runs of spaces in names are collapsed.
#[derive(Debug)]
pub(crate) struct EcourtsRows {
    pub cols: Columns,
    seen: HashMap<String, usize>,
    courts_seen: HashMap<String, usize>,
}

impl EcourtsRows {
    pub fn new(cols: Columns) -> EcourtsRows {
        EcourtsRows {
            cols,
            seen: HashMap::new(),
            courts_seen: HashMap::new(),
        }
    }

    pub fn reserve(&mut self, rows: usize) {
        self.seen.reserve(rows);
    }

    /// The case of a row, and the row's court when it is the first valid row of its court.
    pub fn row<C: Cells + ?Sized>(
        &mut self,
        row: usize,
        cells: &C,
        problems: &mut Vec<Problem>,
    ) -> Option<(CaseRecord, Option<CourtRecord>)> {
        let mut r = Row {
            cols: &self.cols,
            cells,
            problems,
        };
        let cino = r.required(ecourts::CINO, values::text);
        if let Some(cino) = &cino {
            match self.seen.get(cino) {
                Some(first) => r.add(
                    ecourts::CINO,
                    format!("案号重复：{cino} 已在第 {first} 行出现"),
                ),
                None => {
                    self.seen.insert(cino.clone(), row);
                }
            }
        }
        let est_code = r.required(ecourts::EST_CODE, values::text);
        let received = r.optional(ecourts::DATE_OF_FILING, values::date);
        let registered = r.required(ecourts::DT_REGIS, values::date);
        let decided = r.optional(ecourts::DATE_OF_DECISION, values::date);
        if let Some(registered) = registered {
            if let Some(received) = received
                && received > registered
            {
                r.add(
                    ecourts::DATE_OF_FILING,
                    format!("起诉日期 {received} 晚于登记日期 {registered}（dt_regis 列）"),
                );
            }
            if let Some(decided) = decided
                && decided < registered
            {
                r.add(
                    ecourts::DATE_OF_DECISION,
                    format!("裁判日期 {decided} 早于登记日期 {registered}（dt_regis 列）"),
                );
            }
        }
        let disposal = r.free_text(ecourts::DISP_NAME);
        let type_name = r.free_text(ecourts::TYPE_NAME);
        let designation = values::collapse_spaces(r.text(ecourts::DESGNAME));
        let court_name = values::collapse_spaces(r.text(ecourts::COURT_NAME));
        for (field, text) in [
            (ecourts::DESGNAME, &designation),
            (ecourts::COURT_NAME, &court_name),
            (ecourts::COURT_NO, &r.text(ecourts::COURT_NO).to_owned()),
        ] {
            if let Err(message) = values::text(text) {
                r.add(field, message);
            }
        }
        if let Some(disposal) = &disposal
            && r.text(ecourts::DATE_OF_DECISION).is_empty()
        {
            r.add(
                ecourts::DISP_NAME,
                format!("填写了处理结果“{disposal}”，但没有裁判日期（date_of_decision 列）"),
            );
        }
        if !r.ok() {
            return None;
        }
        let room = r.text(ecourts::COURT_NO);
        let judge = match (designation.is_empty(), room.is_empty()) {
            (false, false) => Some(format!("{designation} #{room}")),
            (false, true) => Some(designation),
            (true, false) => Some(format!("#{room}")),
            (true, true) => None,
        };
        let est_code = est_code?;
        let court = if self.courts_seen.contains_key(&est_code) {
            None
        } else {
            self.courts_seen.insert(est_code.clone(), row);
            Some(CourtRecord {
                code: est_code.clone(),
                name: if court_name.is_empty() {
                    est_code.clone()
                } else {
                    court_name
                },
                level: CourtLevel::Basic,
                parent_code: None,
            })
        };
        let case = CaseRecord {
            case_number: cino?,
            court_code: est_code,
            type_code: None,
            type_name,
            procedure: None,
            cause: None,
            received_date: received,
            filed_date: registered?,
            division: None,
            judge,
            closed_date: decided,
            closing_mode: decided.map(|_| ClosingMode::Other),
            disposal,
            claim_amount: None,
            recovered_amount: None,
            origin_case_number: None,
            foreign_related: false,
            longer_limit: false,
            appeal_object: AppealObject::Judgment,
        };
        Some((case, court))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_keys_are_equal_exactly_when_the_spellings_are() {
        let numbers = [
            "（2023）鲁0102民初1号",
            "(2023)鲁0102民初01号",
            "（2023）鲁01民初1号",
            "（2023）鲁0102民初2号",
            "（2022）鲁0102民初1号",
            "（2023）鲁民初1号",
            "（2023）最高法民初1号",
            "（2023）最高法知民初1号",
            "（2023）京0102民初1号",
            "（2023）鲁0102民初4294967295号",
            "（2023）鲁0102执1号",
            "（2023）鲁0102执恢1号",
            "（2023）鲁0102民初1号之一",
            "（2023）鲁0102民初1号之二",
        ];
        let mut seen = SeenNumbers::default();
        let mut by_spelling: HashMap<String, usize> = HashMap::new();
        for (row, text) in numbers.iter().enumerate() {
            let n = CaseNumber::parse(text).unwrap();
            let spelled = n.normalized();
            let expected = by_spelling.get(&spelled).copied();
            by_spelling.entry(spelled.clone()).or_insert(row);
            assert_eq!(seen.first_or_insert(&n, &spelled, row), expected, "{text}");
        }
        let packed = seen.pages.iter().flatten().filter(|&&r| r != 0).count();
        assert_eq!(packed + seen.spelled.len(), by_spelling.len());
        assert_eq!(seen.spelled.len(), 2);
    }

    fn spelled(court: &str, year: u16, type_code: &str, seq: u32) -> (CaseNumber, String) {
        let n = CaseNumber::parse(&format!("（{year}）{court}{type_code}{seq}号")).unwrap();
        let spelled = n.normalized();
        (n, spelled)
    }

    #[test]
    fn rows_beyond_what_a_page_holds_are_still_found() {
        let far = u32::MAX as usize + 10;
        let mut seen = SeenNumbers::default();
        let (a, a_text) = spelled("鲁0102", 2023, "民初", 7);
        let (b, b_text) = spelled("鲁0102", 2023, "民初", 8);
        assert_eq!(seen.first_or_insert(&a, &a_text, 3), None);
        assert_eq!(seen.first_or_insert(&b, &b_text, far), None);
        assert_eq!(seen.first_or_insert(&a, &a_text, far + 1), Some(3));
        assert_eq!(seen.first_or_insert(&b, &b_text, far + 2), Some(far));
    }

    proptest::proptest! {
        /// The pages answer as a map keyed by the normalized spelling would, whatever the order,
        /// density and repetition of the numbers.
        #[test]
        fn seen_numbers_agree_with_a_map_of_spellings(
            numbers in proptest::collection::vec(
                (0usize..3, 2019u16..2022, 0usize..3, proptest::prop_oneof![1u32..80, 1u32..5_000_000]),
                0..400,
            )
        ) {
            let courts = ["鲁0102", "鲁01", "最高法"];
            let types = ["民初", "执", "刑终"];
            let mut seen = SeenNumbers::default();
            let mut expected: HashMap<String, usize> = HashMap::new();
            for (row, (court, year, type_code, seq)) in numbers.into_iter().enumerate() {
                let (n, text) = spelled(courts[court], year, types[type_code], seq);
                let first = expected.get(&text).copied();
                expected.entry(text.clone()).or_insert(row);
                proptest::prop_assert_eq!(seen.first_or_insert(&n, &text, row), first, "{}", text);
            }
        }
    }
}
