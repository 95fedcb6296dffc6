//! The columns of each kind of file, and mapping a header row onto them once per file.

use crate::error::FileError;
use crate::{Kind, Layout};

/// One column of the exchange format.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FieldSpec {
    /// The English name, matched case-insensitively.
    pub name: &'static str,
    /// The Chinese alias, matched exactly (after trimming); empty when there is none.
    pub alias: &'static str,
    pub required: bool,
}

impl FieldSpec {
    const fn new(name: &'static str, alias: &'static str, required: bool) -> FieldSpec {
        FieldSpec {
            name,
            alias,
            required,
        }
    }

    fn matches(&self, header: &str) -> bool {
        header.eq_ignore_ascii_case(self.name) || (!self.alias.is_empty() && header == self.alias)
    }

    /// `case_number（案号）`, as missing-column messages name it.
    fn display(&self) -> String {
        if self.alias.is_empty() {
            self.name.to_owned()
        } else {
            format!("{}（{}）", self.name, self.alias)
        }
    }
}

/// Field indices of the courts file.
pub(crate) mod court {
    pub const CODE: usize = 0;
    pub const NAME: usize = 1;
    pub const LEVEL: usize = 2;
    pub const PARENT_CODE: usize = 3;
}

pub(crate) const COURT_FIELDS: &[FieldSpec] = &[
    FieldSpec::new("code", "法院代字", true),
    FieldSpec::new("name", "法院名称", true),
    FieldSpec::new("level", "层级", true),
    FieldSpec::new("parent_code", "上级法院代字", false),
];

/// Field indices of the cases file.
pub(crate) mod case {
    pub const CASE_NUMBER: usize = 0;
    pub const PROCEDURE: usize = 1;
    pub const CAUSE: usize = 2;
    pub const RECEIVED_DATE: usize = 3;
    pub const FILED_DATE: usize = 4;
    pub const DIVISION: usize = 5;
    pub const JUDGE: usize = 6;
    pub const CLOSED_DATE: usize = 7;
    pub const CLOSING_MODE: usize = 8;
    pub const CLAIM_AMOUNT: usize = 9;
    pub const RECOVERED_AMOUNT: usize = 10;
    pub const ORIGIN_CASE_NUMBER: usize = 11;
    pub const FOREIGN_RELATED: usize = 12;
    pub const LONGER_LIMIT: usize = 13;
    pub const APPEAL_OBJECT: usize = 14;
}

pub(crate) const CASE_FIELDS: &[FieldSpec] = &[
    FieldSpec::new("case_number", "案号", true),
    FieldSpec::new("procedure", "适用程序", false),
    FieldSpec::new("cause", "案由", false),
    FieldSpec::new("received_date", "收案日期", false),
    FieldSpec::new("filed_date", "立案日期", true),
    FieldSpec::new("division", "承办部门", false),
    FieldSpec::new("judge", "承办人", false),
    FieldSpec::new("closed_date", "结案日期", false),
    FieldSpec::new("closing_mode", "结案方式", false),
    FieldSpec::new("claim_amount", "标的金额", false),
    FieldSpec::new("recovered_amount", "执行到位金额", false),
    FieldSpec::new("origin_case_number", "原审案号", false),
    FieldSpec::new("foreign_related", "涉外", false),
    FieldSpec::new("longer_limit", "适用较长审限", false),
    FieldSpec::new("appeal_object", "上诉对象", false),
];

/// Field indices of the events file.
pub(crate) mod event {
    pub const CASE_NUMBER: usize = 0;
    pub const EVENT: usize = 1;
    pub const DATE: usize = 2;
    pub const END_DATE: usize = 3;
    pub const MONTHS: usize = 4;
    pub const DAYS: usize = 5;
    pub const REASON: usize = 6;
}

pub(crate) const EVENT_FIELDS: &[FieldSpec] = &[
    FieldSpec::new("case_number", "案号", true),
    FieldSpec::new("event", "事件", true),
    FieldSpec::new("date", "日期", true),
    FieldSpec::new("end_date", "结束日期", false),
    FieldSpec::new("months", "月数", false),
    FieldSpec::new("days", "天数", false),
    FieldSpec::new("reason", "事由", false),
];

/// The mediation organisations file (`workflows.md` §1.1, aliases §1.5).
pub(crate) const MEDIATION_ORG_FIELDS: &[FieldSpec] = &[
    FieldSpec::new("org_id", "组织编号", true),
    FieldSpec::new("name", "组织名称", true),
    FieldSpec::new("kind", "组织类型", true),
    FieldSpec::new("court_code", "邀请法院", true),
    FieldSpec::new("docking", "对接层级", false),
    FieldSpec::new("specialities", "擅长领域", false),
    FieldSpec::new("charges_fee", "是否收费", false),
    FieldSpec::new("status", "状态", false),
    FieldSpec::new("joined_date", "入册日期", false),
    FieldSpec::new("left_date", "退出日期", false),
];

/// The mediators file. The columns it shares with the organisations file keep their aliases
/// (§1.5 lists only the mediators' own).
pub(crate) const MEDIATOR_FIELDS: &[FieldSpec] = &[
    FieldSpec::new("mediator_id", "调解员编号", true),
    FieldSpec::new("name", "姓名", true),
    FieldSpec::new("org_id", "所属组织", false),
    FieldSpec::new("court_code", "邀请法院", true),
    FieldSpec::new("background", "身份类别", false),
    FieldSpec::new("specialities", "擅长领域", false),
    FieldSpec::new("resident", "驻院", false),
    FieldSpec::new("online", "入驻调解平台", false),
    FieldSpec::new("certificate_no", "证书编号", false),
    FieldSpec::new("status", "状态", false),
    FieldSpec::new("joined_date", "入册日期", false),
    FieldSpec::new("left_date", "退出日期", false),
];

/// The mediations file. `filed_date` has no alias in §1.5: 立案日期, as in the cases file.
pub(crate) const MEDIATION_FIELDS: &[FieldSpec] = &[
    FieldSpec::new("mediation_id", "调解案号", true),
    FieldSpec::new("court_code", "法院代字", true),
    FieldSpec::new("kind", "调解类型", true),
    FieldSpec::new("case_number", "案号", false),
    FieldSpec::new("procedure", "适用程序", false),
    FieldSpec::new("cause", "案由", false),
    FieldSpec::new("claim_amount", "标的金额", false),
    FieldSpec::new("registered_date", "登记日期", true),
    FieldSpec::new("referred_date", "委派日期", false),
    FieldSpec::new("org_id", "调解组织", false),
    FieldSpec::new("mediator_id", "调解员", false),
    FieldSpec::new("accepted_date", "接受日期", false),
    FieldSpec::new("online", "在线调解", false),
    FieldSpec::new("outcome", "调解结果", false),
    FieldSpec::new("concluded_date", "结束日期", false),
    FieldSpec::new("agreement_path", "协议履行方式", false),
    FieldSpec::new("performed", "自动履行", false),
    FieldSpec::new("failure_reason", "调解不成原因", false),
    FieldSpec::new("wants_suit", "坚持诉讼", false),
    FieldSpec::new("confirmation_case_number", "司法确认案号", false),
    FieldSpec::new("document_case_number", "调解书案号", false),
    FieldSpec::new("filed_case_number", "立案案号", false),
    FieldSpec::new("filed_date", "立案日期", false),
];

/// The mediation events file.
pub(crate) const MEDIATION_EVENT_FIELDS: &[FieldSpec] = &[
    FieldSpec::new("mediation_id", "调解案号", true),
    FieldSpec::new("event", "事件", true),
    FieldSpec::new("date", "日期", true),
    FieldSpec::new("end_date", "结束日期", false),
    FieldSpec::new("days", "天数", false),
    FieldSpec::new("mediator_id", "调解员", false),
    FieldSpec::new("reason", "事由", false),
];

/// The petition matters file (`workflows.md` §2.6). `opened_date` is written 立案日期, as the
/// spec names it; the file is told from a cases file by `matter_id`.
pub(crate) const PETITION_MATTER_FIELDS: &[FieldSpec] = &[
    FieldSpec::new("matter_id", "事项编号", true),
    FieldSpec::new("court_code", "法院代字", false),
    FieldSpec::new("case_number", "案号", false),
    FieldSpec::new("opened_date", "立案日期", false),
    FieldSpec::new("resolved_date", "化解日期", false),
    FieldSpec::new("resolution", "化解方式", false),
];

/// The petitions file (§2.6).
pub(crate) const PETITION_FIELDS: &[FieldSpec] = &[
    FieldSpec::new("petition_id", "信访编号", true),
    FieldSpec::new("court_code", "法院代字", true),
    FieldSpec::new("received_date", "收到日期", true),
    FieldSpec::new("channel", "信访形式", true),
    FieldSpec::new("source", "来源", false),
    FieldSpec::new("assigned_deadline", "交办期限", false),
    FieldSpec::new("petitioner_id", "信访人证件号", false),
    FieldSpec::new("petitioner_name", "信访人", false),
    FieldSpec::new("anonymous", "匿名", false),
    FieldSpec::new("persons", "人数", false),
    FieldSpec::new("nature", "性质", true),
    FieldSpec::new("litigation_related", "涉诉", true),
    FieldSpec::new("case_number", "案号", false),
    FieldSpec::new("matter_id", "事项编号", false),
    FieldSpec::new("leader_received", "院领导接访", false),
    FieldSpec::new("review_level", "复查级别", false),
    FieldSpec::new("original_petition_id", "原信访编号", false),
    FieldSpec::new("ack_date", "告知日期", false),
    FieldSpec::new("ack_decision", "告知结果", false),
    FieldSpec::new("accepted_date", "受理日期", false),
    FieldSpec::new("extension_days", "延期天数", false),
    FieldSpec::new("extension_date", "延期日期", false),
    FieldSpec::new("reply_date", "答复日期", false),
    FieldSpec::new("reply_form", "答复方式", false),
    FieldSpec::new("result", "处理结果", false),
    FieldSpec::new("diverted_case_number", "导入案号", false),
    FieldSpec::new("handler", "承办部门", false),
    FieldSpec::new("hearing_start", "听证开始", false),
    FieldSpec::new("hearing_end", "听证结束", false),
];

/// The suggestions file (`workflows.md` §3.5).
pub(crate) const SUGGESTION_FIELDS: &[FieldSpec] = &[
    FieldSpec::new("suggestion_no", "建议书编号", true),
    FieldSpec::new("court_code", "法院代字", true),
    FieldSpec::new("kind", "类别", false),
    FieldSpec::new("title", "标题", true),
    FieldSpec::new("recipient", "被建议单位", true),
    FieldSpec::new("recipient_type", "单位类型", true),
    FieldSpec::new("topic", "主题", true),
    FieldSpec::new("monthly_topic", "一月一题", false),
    FieldSpec::new("cause", "案由", false),
    FieldSpec::new("case_numbers", "关联案号", false),
    FieldSpec::new("cc", "抄送", false),
    FieldSpec::new("drafted_date", "起草日期", false),
    FieldSpec::new("committee_date", "审委会日期", false),
    FieldSpec::new("signed_date", "签发日期", false),
    FieldSpec::new("issued_date", "发出日期", false),
    FieldSpec::new("served_date", "送达日期", false),
    FieldSpec::new("reply_months", "答复期限（月）", false),
    FieldSpec::new("reply_basis", "期限依据", false),
    FieldSpec::new("reply_date", "答复日期", false),
    FieldSpec::new("adoption", "采纳情况", false),
    FieldSpec::new("implemented", "已落实", false),
    FieldSpec::new("praised", "获肯定", false),
    FieldSpec::new("withdrawn_date", "撤回日期", false),
    FieldSpec::new("background", "背景", false),
    FieldSpec::new("findings", "发现的问题", false),
    FieldSpec::new("proposals", "建议事项", false),
    FieldSpec::new("contact", "联系人", false),
    FieldSpec::new("annexes", "附件", false),
];

/// The fee-refunds file (`workflows.md` §4.5).
pub(crate) const FEE_REFUND_FIELDS: &[FieldSpec] = &[
    FieldSpec::new("refund_id", "退费编号", true),
    FieldSpec::new("case_number", "案号", true),
    FieldSpec::new("payer", "退费对象", true),
    FieldSpec::new("fee_kind", "费用种类", false),
    FieldSpec::new("reason", "退费原因", true),
    FieldSpec::new("amount", "应退金额", true),
    FieldSpec::new("document", "文书类型", false),
    FieldSpec::new("effective_date", "生效日期", true),
    FieldSpec::new("account_date", "账户提供日期", false),
    FieldSpec::new("refunded_date", "退费日期", false),
    FieldSpec::new("refunded_amount", "已退金额", false),
    FieldSpec::new("waived", "免退", false),
    FieldSpec::new("note", "备注", false),
];

/// The 终本 checklist file (`workflows.md` §5.5).
pub(crate) const TERMINATION_CHECK_FIELDS: &[FieldSpec] = &[
    FieldSpec::new("case_number", "案号", true),
    FieldSpec::new("notice_date", "执行通知日期", false),
    FieldSpec::new("report_order_date", "报告财产令日期", false),
    FieldSpec::new("report_verified", "财产报告已核查", false),
    FieldSpec::new("consumption_ban_date", "限制消费令日期", false),
    FieldSpec::new("dishonest", "纳入失信", false),
    FieldSpec::new("network_search_date", "网络查控日期", false),
    FieldSpec::new("clues", "财产线索", false),
    FieldSpec::new("whereabouts", "下落查找", false),
    FieldSpec::new("sanctions", "强制措施", false),
    FieldSpec::new("applicant_informed_date", "告知申请执行人日期", false),
    FieldSpec::new("approval", "审批方式", false),
    FieldSpec::new("check_date", "核查日期", false),
    FieldSpec::new("checker", "核查人", false),
    FieldSpec::new("verdict", "核查结论", false),
    FieldSpec::new("flaws", "问题", false),
];

/// The post-termination searches file.
pub(crate) const SEARCH_FIELDS: &[FieldSpec] = &[
    FieldSpec::new("case_number", "案号", true),
    FieldSpec::new("date", "查询日期", true),
    FieldSpec::new("found", "发现财产", false),
];

/// The dishonest-listings file.
pub(crate) const LISTING_FIELDS: &[FieldSpec] = &[
    FieldSpec::new("listing_id", "失信编号", true),
    FieldSpec::new("case_number", "案号", true),
    FieldSpec::new("person_name", "被执行人", true),
    FieldSpec::new("person_id", "证件号码", true),
    FieldSpec::new("person_type", "主体类型", true),
    FieldSpec::new("minor", "未成年人", false),
    FieldSpec::new("grounds", "失信情形", true),
    FieldSpec::new("applied_date", "申请日期", false),
    FieldSpec::new("decided_date", "决定日期", true),
    FieldSpec::new("term_extension_months", "延长月数", false),
    FieldSpec::new("condition_date", "删除事由发生日期", false),
    FieldSpec::new("correction_applied_date", "纠正申请日期", false),
    FieldSpec::new("correction_decided_date", "纠正决定日期", false),
    FieldSpec::new("removal_date", "删除日期", false),
    FieldSpec::new("removal_reason", "删除原因", false),
];

/// The enforcement-actions file.
pub(crate) const ACTION_FIELDS: &[FieldSpec] = &[
    FieldSpec::new("action_id", "行动编号", true),
    FieldSpec::new("court_code", "法院代字", true),
    FieldSpec::new("date", "日期", true),
    FieldSpec::new("title", "名称", true),
    FieldSpec::new("case_count", "案件数", false),
    FieldSpec::new("recovered_amount", "到位金额", false),
];

/// The case-tags file (`workflows.md` §0.9).
pub(crate) const CASE_TAG_FIELDS: &[FieldSpec] = &[
    FieldSpec::new("case_number", "案号", true),
    FieldSpec::new("tag", "标签", true),
];

/// Field indices of the eCourts (CIS/NJDG) cases layout.
pub(crate) mod ecourts {
    pub const CINO: usize = 0;
    pub const EST_CODE: usize = 1;
    pub const COURT_NAME: usize = 2;
    pub const COURT_NO: usize = 3;
    pub const DESGNAME: usize = 4;
    pub const TYPE_NAME: usize = 5;
    pub const DATE_OF_FILING: usize = 6;
    pub const DT_REGIS: usize = 7;
    pub const DATE_OF_DECISION: usize = 8;
    pub const DISP_NAME: usize = 9;
}

pub(crate) const ECOURTS_FIELDS: &[FieldSpec] = &[
    FieldSpec::new("cino", "", true),
    FieldSpec::new("est_code", "", true),
    FieldSpec::new("court_name", "", false),
    FieldSpec::new("court_no", "", false),
    FieldSpec::new("desgname", "", false),
    FieldSpec::new("type_name", "", false),
    FieldSpec::new("date_of_filing", "", false),
    FieldSpec::new("dt_regis", "", true),
    FieldSpec::new("date_of_decision", "", false),
    FieldSpec::new("disp_name", "", false),
];

pub(crate) fn fields_of(kind: Kind, layout: Layout) -> &'static [FieldSpec] {
    match (layout, kind) {
        (Layout::EcourtsIndia, _) => ECOURTS_FIELDS,
        (Layout::Tianping, Kind::Courts) => COURT_FIELDS,
        (Layout::Tianping, Kind::Cases) => CASE_FIELDS,
        (Layout::Tianping, Kind::Events) => EVENT_FIELDS,
        (Layout::Tianping, Kind::MediationOrgs) => MEDIATION_ORG_FIELDS,
        (Layout::Tianping, Kind::Mediators) => MEDIATOR_FIELDS,
        (Layout::Tianping, Kind::Mediations) => MEDIATION_FIELDS,
        (Layout::Tianping, Kind::MediationEvents) => MEDIATION_EVENT_FIELDS,
        (Layout::Tianping, Kind::PetitionMatters) => PETITION_MATTER_FIELDS,
        (Layout::Tianping, Kind::Petitions) => PETITION_FIELDS,
        (Layout::Tianping, Kind::Suggestions) => SUGGESTION_FIELDS,
        (Layout::Tianping, Kind::FeeRefunds) => FEE_REFUND_FIELDS,
        (Layout::Tianping, Kind::TerminationChecks) => TERMINATION_CHECK_FIELDS,
        (Layout::Tianping, Kind::PostTerminationSearches) => SEARCH_FIELDS,
        (Layout::Tianping, Kind::DishonestListings) => LISTING_FIELDS,
        (Layout::Tianping, Kind::EnforcementActions) => ACTION_FIELDS,
        (Layout::Tianping, Kind::CaseTags) => CASE_TAG_FIELDS,
    }
}

/// The position in `headers` of the column of field `name` of `kind`, if the file has it.
pub(crate) fn header_of(
    headers: &[String],
    kind: Kind,
    layout: Layout,
    name: &str,
) -> Option<usize> {
    let spec = fields_of(kind, layout).iter().find(|f| f.name == name)?;
    headers.iter().position(|h| spec.matches(h.trim()))
}

/// The kind a Tianping-layout header row describes: events have `event`; courts have `code` and
/// `level`; cases have `case_number` and `filed_date`. Events are tried first because an events
/// file also has a `case_number` column.
///
/// The mediation files are told by their required columns: mediation events by `mediation_id`
/// and `event`, mediations by `mediation_id` and `registered_date` (both before the events, whose
/// `event` and `case_number` they may share), then, after courts and cases, mediators by
/// `mediator_id` and `name`, organisations by `org_id`, `name` and `kind`. No courts, cases or
/// events file has `mediation_id`, so those three are told apart as before.
///
/// Petitions come first, by `petition_id` and `received_date`; then petition matters by
/// `matter_id` (a petitions file has it too, so after petitions; a matters file written in
/// Chinese has 案号 and 立案日期 like a cases file, so before cases).
pub(crate) fn detect_kind(headers: &[String]) -> Option<Kind> {
    let has = |spec: &FieldSpec| headers.iter().any(|h| spec.matches(h.trim()));
    let has_name =
        |fields: &[FieldSpec], name: &str| fields.iter().find(|f| f.name == name).is_some_and(&has);
    if has_name(SUGGESTION_FIELDS, "suggestion_no") {
        Some(Kind::Suggestions)
    } else if has_name(FEE_REFUND_FIELDS, "refund_id") {
        Some(Kind::FeeRefunds)
    } else if has_name(CASE_TAG_FIELDS, "tag") && !has_name(CASE_FIELDS, "filed_date") {
        Some(Kind::CaseTags)
    } else if has_name(LISTING_FIELDS, "listing_id") {
        Some(Kind::DishonestListings)
    } else if has_name(ACTION_FIELDS, "action_id") {
        Some(Kind::EnforcementActions)
    } else if has_name(TERMINATION_CHECK_FIELDS, "report_order_date")
        || has_name(TERMINATION_CHECK_FIELDS, "verdict")
    {
        Some(Kind::TerminationChecks)
    } else if has_name(SEARCH_FIELDS, "found") {
        Some(Kind::PostTerminationSearches)
    } else if has_name(PETITION_FIELDS, "petition_id") && has_name(PETITION_FIELDS, "received_date")
    {
        Some(Kind::Petitions)
    } else if has_name(PETITION_MATTER_FIELDS, "matter_id") {
        Some(Kind::PetitionMatters)
    } else if has_name(MEDIATION_EVENT_FIELDS, "mediation_id")
        && has_name(MEDIATION_EVENT_FIELDS, "event")
    {
        Some(Kind::MediationEvents)
    } else if has_name(MEDIATION_FIELDS, "mediation_id")
        && has_name(MEDIATION_FIELDS, "registered_date")
    {
        Some(Kind::Mediations)
    } else if has(&EVENT_FIELDS[event::EVENT]) {
        Some(Kind::Events)
    } else if has(&COURT_FIELDS[court::CODE]) && has(&COURT_FIELDS[court::LEVEL]) {
        Some(Kind::Courts)
    } else if has(&CASE_FIELDS[case::CASE_NUMBER]) && has(&CASE_FIELDS[case::FILED_DATE]) {
        Some(Kind::Cases)
    } else if has_name(MEDIATOR_FIELDS, "mediator_id") && has_name(MEDIATOR_FIELDS, "name") {
        Some(Kind::Mediators)
    } else if ["org_id", "name", "kind"]
        .iter()
        .all(|name| has_name(MEDIATION_ORG_FIELDS, name))
    {
        Some(Kind::MediationOrgs)
    } else {
        None
    }
}

/// Whether a header row has the required eCourts columns.
pub(crate) fn looks_like_ecourts(headers: &[String]) -> bool {
    ECOURTS_FIELDS
        .iter()
        .filter(|f| f.required)
        .all(|f| headers.iter().any(|h| f.matches(h.trim())))
}

/// A header row mapped onto the fields of a kind.
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    /// For each field, the position of its column in the file.
    index: Vec<Option<usize>>,
    /// For each field, the name messages use: the header as written (trimmed), or the English
    /// name when the file lacks the column.
    label: Vec<String>,
    /// eCourts exports write `NA` for "no value".
    na_is_empty: bool,
    /// Positions of columns without a header name.
    pub unnamed: Vec<usize>,
    /// Number of header cells.
    pub width: usize,
}

/// What mapping the header row found besides the columns.
pub(crate) struct Mapping {
    pub columns: Columns,
    pub warnings: Vec<String>,
}

impl Columns {
    /// Map `headers` onto `fields`. Unknown columns become warnings; a missing required column
    /// or a column given twice is a file error.
    pub fn map(
        file: &str,
        header_row: usize,
        headers: &[String],
        kind: Kind,
        layout: Layout,
        sheet: Option<&str>,
    ) -> Result<Mapping, FileError> {
        let fields = fields_of(kind, layout);
        let mut index: Vec<Option<usize>> = vec![None; fields.len()];
        let mut unknown = Vec::new();
        let mut unnamed = Vec::new();
        for (position, header) in headers.iter().enumerate() {
            let header = header.trim();
            if header.is_empty() {
                unnamed.push(position);
                continue;
            }
            match fields.iter().position(|f| f.matches(header)) {
                Some(field) => {
                    if let Some(first) = index[field] {
                        return Err(FileError::DuplicateColumn {
                            file: file.to_owned(),
                            row: header_row,
                            column: fields[field].display(),
                            first: first + 1,
                            second: position + 1,
                        });
                    }
                    index[field] = Some(position);
                }
                None => unknown.push(header.to_owned()),
            }
        }
        let missing: Vec<String> = fields
            .iter()
            .zip(&index)
            .filter(|(f, i)| f.required && i.is_none())
            .map(|(f, _)| f.display())
            .collect();
        if !missing.is_empty() {
            return Err(FileError::MissingColumns {
                file: file.to_owned(),
                row: header_row,
                kind,
                columns: missing,
                sheet: sheet.map(str::to_owned),
            });
        }
        let mut warnings = Vec::new();
        match layout {
            Layout::Tianping => {
                for header in &unknown {
                    warnings.push(format!("{file}: 无法识别的列“{header}”，已忽略"));
                }
            }
            // A CIS/NJDG export carries some sixty columns; Tianping reads ten. One line says
            // which were left out rather than fifty warnings.
            Layout::EcourtsIndia if !unknown.is_empty() => warnings.push(format!(
                "{file}: 有 {} 列未使用：{}",
                unknown.len(),
                unknown
                    .iter()
                    .map(|h| format!("“{h}”"))
                    .collect::<Vec<_>>()
                    .join("、")
            )),
            Layout::EcourtsIndia => {}
        }
        let label = fields
            .iter()
            .zip(&index)
            .map(|(f, i)| match i {
                Some(i) => headers[*i].trim().to_owned(),
                None => f.name.to_owned(),
            })
            .collect();
        Ok(Mapping {
            columns: Columns {
                index,
                label,
                na_is_empty: layout == Layout::EcourtsIndia,
                unnamed,
                width: headers.len(),
            },
            warnings,
        })
    }

    /// The trimmed text of `field` in a row; empty when the file lacks the column.
    #[inline]
    pub fn get<'c, C: Cells + ?Sized>(&self, cells: &'c C, field: usize) -> &'c str {
        let text = match self.index[field] {
            Some(i) => crate::write::unescape_spreadsheet(trim(cells.cell(i))),
            None => "",
        };
        if self.na_is_empty && text == "NA" {
            ""
        } else {
            text
        }
    }

    /// The column name of `field` for messages.
    pub fn label(&self, field: usize) -> &str {
        &self.label[field]
    }

    /// Sort key of a field's errors: its column's position in the file; fields the file lacks
    /// come after every column.
    pub fn order(&self, field: usize) -> usize {
        self.index[field].unwrap_or(usize::MAX)
    }

    pub fn is_na_empty(&self, text: &str) -> bool {
        let text = text.trim();
        text.is_empty() || (self.na_is_empty && text == "NA")
    }
}

/// `text.trim()`, quicker for the usual cell that has nothing to trim (`str::trim` walks
/// through its generic pattern machinery even then).
#[inline]
pub(crate) fn trim(text: &str) -> &str {
    let clean = |c: Option<char>| c.is_none_or(|c| !c.is_whitespace());
    if clean(text.chars().next()) && clean(text.chars().next_back()) {
        text
    } else {
        text.trim()
    }
}

/// The cells of one row, however the file stores them.
pub(crate) trait Cells {
    /// The cell at `i` as read (untrimmed); empty past the end of the row.
    fn cell(&self, i: usize) -> &str;
    fn count(&self) -> usize;
}

impl Cells for csv::StringRecord {
    #[inline]
    fn cell(&self, i: usize) -> &str {
        self.get(i).unwrap_or("")
    }

    fn count(&self) -> usize {
        self.len()
    }
}

impl Cells for [String] {
    #[inline]
    fn cell(&self, i: usize) -> &str {
        self.get(i).map_or("", String::as_str)
    }

    fn count(&self) -> usize {
        self.len()
    }
}

/// One column of an import template: the English name, the Chinese header the template uses
/// (the English name where there is none), whether it is required, and an example value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateColumn {
    pub name: &'static str,
    pub header: &'static str,
    pub required: bool,
    pub example: &'static str,
}

/// The example row of each kind's template, by English column name; it is a valid row (a test
/// reads every template back).
fn example_of(kind: Kind, name: &str) -> &'static str {
    match (kind, name) {
        (Kind::Courts, "code") => "鲁0102",
        (Kind::Courts, "name") => "济南市历下区人民法院",
        (Kind::Courts, "level") => "基层",
        (Kind::Courts, "parent_code") => "鲁01",
        (Kind::Cases, "case_number") => "（2025）鲁0102民初1号",
        (Kind::Cases, "procedure") => "简易程序",
        (Kind::Cases, "cause") => "民间借贷纠纷",
        (Kind::Cases, "received_date") => "2025-01-02",
        (Kind::Cases, "filed_date") => "2025-01-03",
        (Kind::Cases, "division") => "民一庭",
        (Kind::Cases, "judge") => "张明",
        (Kind::Cases, "closed_date") => "2025-03-20",
        (Kind::Cases, "closing_mode") => "判决",
        (Kind::Cases, "claim_amount") => "50000.00",
        (Kind::Cases, "foreign_related") => "否",
        (Kind::Cases, "longer_limit") => "否",
        (Kind::Cases, "appeal_object") => "判决",
        (Kind::Events, "case_number") => "（2025）鲁0102民初1号",
        (Kind::Events, "event") => "扣除审限",
        (Kind::Events, "date") => "2025-02-01",
        (Kind::Events, "end_date") => "2025-02-10",
        (Kind::Events, "reason") => "鉴定",
        (Kind::MediationOrgs, "org_id") => "ORG-0102-01",
        (Kind::MediationOrgs, "name") => "历下区人民调解委员会",
        (Kind::MediationOrgs, "kind") => "人民调解",
        (Kind::MediationOrgs, "court_code") => "鲁0102",
        (Kind::MediationOrgs, "docking") => "本院",
        (Kind::MediationOrgs, "specialities") => "婚姻家庭；道路交通",
        (Kind::MediationOrgs, "charges_fee") => "否",
        (Kind::MediationOrgs, "status") => "在册",
        (Kind::MediationOrgs, "joined_date") => "2024-01-02",
        (Kind::Mediators, "mediator_id") => "MED-0102-01",
        (Kind::Mediators, "name") => "王芳",
        (Kind::Mediators, "org_id") => "ORG-0102-01",
        (Kind::Mediators, "court_code") => "鲁0102",
        (Kind::Mediators, "background") => "人民陪审员",
        (Kind::Mediators, "specialities") => "婚姻家庭",
        (Kind::Mediators, "resident") => "是",
        (Kind::Mediators, "online") => "是",
        (Kind::Mediators, "status") => "在册",
        (Kind::Mediators, "joined_date") => "2024-01-02",
        (Kind::Mediations, "mediation_id") => "（2024）鲁0102民诉前调1号",
        (Kind::Mediations, "court_code") => "鲁0102",
        (Kind::Mediations, "kind") => "委派",
        (Kind::Mediations, "cause") => "民间借贷纠纷",
        (Kind::Mediations, "claim_amount") => "50000.00",
        (Kind::Mediations, "registered_date") => "2024-03-01",
        (Kind::Mediations, "referred_date") => "2024-03-01",
        (Kind::Mediations, "org_id") => "ORG-0102-01",
        (Kind::Mediations, "mediator_id") => "MED-0102-01",
        (Kind::Mediations, "accepted_date") => "2024-03-04",
        (Kind::Mediations, "online") => "是",
        (Kind::Mediations, "outcome") => "调解成功",
        (Kind::Mediations, "concluded_date") => "2024-03-20",
        (Kind::Mediations, "agreement_path") => "自动履行",
        (Kind::Mediations, "performed") => "是",
        (Kind::Mediations, "wants_suit") => "否",
        (Kind::MediationEvents, "mediation_id") => "（2024）鲁0102民诉前调1号",
        (Kind::MediationEvents, "event") => "延长",
        (Kind::MediationEvents, "date") => "2024-03-15",
        (Kind::MediationEvents, "days") => "10",
        (Kind::PetitionMatters, "matter_id") => "XF2023-0917",
        (Kind::PetitionMatters, "court_code") => "鲁0102",
        (Kind::PetitionMatters, "case_number") => "（2022）鲁0102民初88号",
        (Kind::PetitionMatters, "opened_date") => "2023-09-20",
        (Kind::PetitionMatters, "resolved_date") => "2024-01-10",
        (Kind::PetitionMatters, "resolution") => "息诉罢访",
        (Kind::Petitions, "petition_id") => "XF2023-0917",
        (Kind::Petitions, "court_code") => "鲁0102",
        (Kind::Petitions, "received_date") => "2023-09-20",
        (Kind::Petitions, "channel") => "来信",
        (Kind::Petitions, "petitioner_id") => "11010519491231002X",
        (Kind::Petitions, "petitioner_name") => "张某",
        (Kind::Petitions, "anonymous") => "否",
        (Kind::Petitions, "persons") => "1",
        (Kind::Petitions, "nature") => "申诉求决",
        (Kind::Petitions, "litigation_related") => "是",
        (Kind::Petitions, "case_number") => "（2022）鲁0102民初88号",
        (Kind::Petitions, "review_level") => "0",
        (Kind::Petitions, "ack_date") => "2023-09-28",
        (Kind::Petitions, "ack_decision") => "受理",
        (Kind::Petitions, "reply_date") => "2023-11-20",
        (Kind::Petitions, "reply_form") => "书面",
        (Kind::Petitions, "result") => "解释说明",
        (Kind::Petitions, "handler") => "立案庭",
        (Kind::Suggestions, "suggestion_no") => "历下法建〔2023〕8号",
        (Kind::Suggestions, "court_code") => "鲁0102",
        (Kind::Suggestions, "kind") => "综合治理类",
        (Kind::Suggestions, "title") => "济南市历下区人民法院关于加强住宅小区物业管理的司法建议书",
        (Kind::Suggestions, "recipient") => "济南市历下区住房和城乡建设局",
        (Kind::Suggestions, "recipient_type") => "行政机关",
        (Kind::Suggestions, "topic") => "物业纠纷",
        (Kind::Suggestions, "monthly_topic") => "2023-11",
        (Kind::Suggestions, "case_numbers") => "（2023）鲁0102民初100号",
        (Kind::Suggestions, "committee_date") => "2023-11-01",
        (Kind::Suggestions, "signed_date") => "2023-11-02",
        (Kind::Suggestions, "issued_date") => "2023-11-28",
        (Kind::Suggestions, "served_date") => "2023-11-30",
        (Kind::Suggestions, "reply_months") => "2",
        (Kind::Suggestions, "reply_date") => "2024-01-10",
        (Kind::Suggestions, "adoption") => "采纳",
        (Kind::CaseTags, "case_number") => "（2023）鲁0102执100号",
        (Kind::CaseTags, "tag") => "涉民营企业账款",
        (Kind::FeeRefunds, "refund_id") => "TF2023-0001",
        (Kind::FeeRefunds, "case_number") => "（2023）鲁0102民初100号",
        (Kind::FeeRefunds, "payer") => "张某",
        (Kind::FeeRefunds, "fee_kind") => "案件受理费",
        (Kind::FeeRefunds, "reason") => "胜诉退费",
        (Kind::FeeRefunds, "amount") => "1250.50",
        (Kind::FeeRefunds, "document") => "判决书",
        (Kind::FeeRefunds, "effective_date") => "2023-12-20",
        (Kind::FeeRefunds, "refunded_date") => "2023-12-28",
        (Kind::Suggestions, "findings") => {
            "我院在审理物业服务合同纠纷案件中发现，部分小区物业服务企业公示收费项目不全。"
        }
        (Kind::Suggestions, "proposals") => {
            "督促物业服务企业按规定公示收费项目和标准；建立物业纠纷诉前联动化解机制。"
        }
        (Kind::Suggestions, "contact") => "王某某 0531-86000000",
        _ => "",
    }
}

/// The columns of the template of `kind` (Tianping's layout), in the exchange format's order.
pub fn template_columns(kind: Kind) -> Vec<TemplateColumn> {
    fields_of(kind, Layout::Tianping)
        .iter()
        .map(|f| TemplateColumn {
            name: f.name,
            header: if f.alias.is_empty() { f.name } else { f.alias },
            required: f.required,
            example: example_of(kind, f.name),
        })
        .collect()
}
