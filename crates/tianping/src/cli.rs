//! The command-line contract of `interfaces.md`. Commands arrive here as their issues land.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::output::Format;

#[derive(Debug, Parser)]
#[command(
    name = "tianping",
    version,
    about = "天平 Tianping: court case-flow and performance platform"
)]
pub struct Cli {
    /// Extra holiday notices (holiday-cn JSON, one year a file, or Tianping's calendar CSV) loaded
    /// over the built-in State Council calendar; separate several files with ':'.
    #[arg(long, global = true, env = "TIANPING_HOLIDAYS", value_delimiter = ':')]
    pub holidays: Vec<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate a realistic synthetic province into the database.
    Demo(DemoArgs),
    /// Write synthetic data as exchange CSV files (for benchmarks and trying the importer).
    Synth(SynthArgs),
    /// Copy the SQLite database consistently while it is in use (PostgreSQL: pg_dump).
    Backup(BackupArgs),
    /// Replace the SQLite database with a backup (stop `tianping serve` first).
    Restore(RestoreArgs),
    /// Import courts, cases and events from CSV or XLSX exports.
    Import(ImportArgs),
    /// Pending cases with their statutory deadlines (审限预警).
    Deadlines(DeadlinesArgs),
    /// Indicators (审判执行质效指标) for a period, scope and grouping.
    Indicators(IndicatorsArgs),
    /// The year-end filing suppression signal (年底不立案) per court.
    Signals(SignalsArgs),
    /// Courts outside the reference intervals, and the relatively weak courts (脱薄).
    Assess(AssessArgs),
    /// A quality-and-efficiency bulletin (审判质效通报) as DOCX, PDF, XLSX or HTML.
    Report(ReportArgs),
    /// Benchmark: load the snapshot once, then time the indicator computation (see bench/).
    #[command(hide = true, name = "bench-indicators")]
    BenchIndicators(BenchIndicatorsArgs),
    /// Serve the web UI and the JSON API (/api/v1).
    Serve(ServeArgs),
    /// User accounts of the web UI.
    #[command(subcommand)]
    User(UserCommand),
    /// Case numbers (案号).
    #[command(name = "case-number", subcommand)]
    CaseNumber(CaseNumberCommand),
    /// The holiday calendar (节假日安排) used for deadlines.
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Settings of the workflow modules (设置): show them, or set one.
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Pre-litigation and entrusted mediation (诉前调解 / 委派 / 委托).
    #[command(subcommand)]
    Mediation(MediationCommand),
    /// The mediator roster (特邀调解组织和调解员名册).
    #[command(subcommand)]
    Mediators(MediatorsCommand),
    /// Petitions (信访, workflows.md §2): list, show, act, due, indicators, matters.
    #[command(subcommand)]
    Petitions(PetitionsCommand),
    /// Judicial suggestions (司法建议, workflows.md §3): list, show, act, due, indicators.
    #[command(subcommand)]
    Suggestions(SuggestionsCommand),
    /// Court-fee refunds (诉讼费退费, workflows.md §4): list, show, act, due, indicators.
    #[command(subcommand)]
    Refunds(RefundsCommand),
    /// Enforcement records (执行, workflows.md §5): dishonest listings and every open obligation.
    #[command(subcommand)]
    Enforcement(EnforcementCommand),
}

#[derive(Debug, Subcommand)]
pub enum EnforcementCommand {
    /// Dishonest listings (失信被执行人名单) with their state at the as-of date.
    List(EnforcementListArgs),
    /// One listing: its term, removal deadline and open obligations, history.
    Show(MediationShowArgs),
    /// Open obligations: listing decisions, removals, corrections, and the searches after a 终本.
    Due(MediationDueArgs),
    /// The indicators of workflows.md §5.4 (终本, 执恢, 失信名单, 集中执行).
    Indicators(EnforcementIndicatorsArgs),
}

#[derive(Debug, Args)]
pub struct EnforcementIndicatorsArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long)]
    pub from: Option<String>,
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long)]
    pub period: Option<String>,
    #[arg(long)]
    pub as_of: Option<String>,
    #[arg(long)]
    pub scope: Option<String>,
    /// none, court, division, judge or person_type.
    #[arg(long, default_value = "none")]
    pub by: String,
    #[arg(long, default_value = "none")]
    pub compare: String,
    /// Only the cases with this tag (the case_tags file), e.g. 涉民营企业账款.
    #[arg(long)]
    pub tag: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct EnforcementListArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long)]
    pub scope: Option<String>,
    #[arg(long)]
    pub as_of: Option<String>,
    /// active or removed.
    #[arg(long)]
    pub status: Option<String>,
    /// 自然人, 法人 or 非法人组织.
    #[arg(long)]
    pub person_type: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Subcommand)]
pub enum RefundsCommand {
    /// Refunds with their state at the as-of date.
    List(RefundsListArgs),
    /// One refund: fields, state, the 15-day deadline step by step, history.
    Show(MediationShowArgs),
    /// Take an action (refund [--amount X], waive --note T; reopen --note T, administrators).
    Act(RefundsActArgs),
    /// Refunds still owed, with their deadline.
    Due(MediationDueArgs),
    /// The indicators of workflows.md §4.4 (退费及时率 by court, division, judge, reason, month).
    Indicators(RefundsIndicatorsArgs),
}

#[derive(Debug, Args)]
pub struct RefundsListArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long)]
    pub scope: Option<String>,
    #[arg(long)]
    pub as_of: Option<String>,
    /// owed, refunded, waived or overdue.
    #[arg(long)]
    pub status: Option<String>,
    /// The refunds of one case.
    #[arg(long)]
    pub case: Option<String>,
    #[arg(long)]
    pub reason: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct RefundsActArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The refund id.
    pub id: String,
    /// refund, waive or reopen.
    pub action: String,
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
    /// refund: the amount paid now in yuan (default: all that is still owed).
    #[arg(long)]
    pub amount: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct RefundsIndicatorsArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long)]
    pub from: Option<String>,
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long)]
    pub period: Option<String>,
    #[arg(long)]
    pub as_of: Option<String>,
    #[arg(long)]
    pub scope: Option<String>,
    /// none, court, division, judge, reason or month.
    #[arg(long, default_value = "none")]
    pub by: String,
    #[arg(long, default_value = "none")]
    pub compare: String,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Every setting with its value in force, default and basis.
    Show {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Set one setting (checked against its kind; audited).
    Set {
        #[command(flatten)]
        db: DbArg,
        key: String,
        value: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum MediationCommand {
    /// Mediations with their state at the as-of date.
    List(MediationListArgs),
    /// One mediation: its fields, state, deadlines step by step and history.
    Show(MediationShowArgs),
    /// Take an action on a mediation (assign, return, decline, accept, extend, appraisal-start,
    /// appraisal-end, change-mediator, conclude, link, reopen).
    Act(MediationActArgs),
    /// Open obligations with their deadlines (委派, 接受, 调解期限, 转立案).
    Due(MediationDueArgs),
    /// The indicators of workflows.md §1.4 for a period, scope and grouping.
    Indicators(MediationIndicatorsArgs),
}

#[derive(Debug, Subcommand)]
pub enum PetitionsCommand {
    /// Petitions with their state at the as-of date (identifiers masked but to the petition
    /// duties; the command line is trusted and shows them).
    List(PetitionsListArgs),
    /// One petition: fields, state, every deadline step by step, its matter and history.
    Show(MediationShowArgs),
    /// Take an action (acknowledge, object, extend, reply, link, reopen) on a petition, or
    /// resolve-matter on a matter id.
    Act(PetitionsActArgs),
    /// Open obligations with their deadlines (告知, 办理, 复查, 复核, 交办报告).
    Due(MediationDueArgs),
    /// The indicators of workflows.md §2.5 with 三降两升.
    Indicators(PetitionsIndicatorsArgs),
    /// Matters (信访事项) with their petitions and state.
    Matters(PetitionsMattersArgs),
}

#[derive(Debug, Args)]
pub struct PetitionsListArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long)]
    pub scope: Option<String>,
    #[arg(long)]
    pub as_of: Option<String>,
    /// registered, handling, concluded or overdue.
    #[arg(long)]
    pub status: Option<String>,
    /// 来信, 来访, 网上信访, 来电 or 转办交办.
    #[arg(long)]
    pub channel: Option<String>,
    /// 申诉求决, 检举控告, 建议意见, 咨询 or 其他.
    #[arg(long)]
    pub nature: Option<String>,
    /// Only 涉诉 petitions.
    #[arg(long)]
    pub litigation_related: bool,
    /// The case complained of.
    #[arg(long)]
    pub case: Option<String>,
    #[arg(long)]
    pub matter: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct PetitionsActArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// A petition id (a matter id for resolve-matter).
    pub id: String,
    /// acknowledge, object, extend, reply, link, reopen or resolve-matter.
    pub action: String,
    /// The action's date (default: today).
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
    /// acknowledge: 受理, 不予受理, 转送, 导入诉讼程序 or 告知向有权机关提出.
    #[arg(long)]
    pub decision: Option<String>,
    /// 书面, 当面, 电话 or 网上.
    #[arg(long)]
    pub form: Option<String>,
    #[arg(long)]
    pub reason: Option<String>,
    #[arg(long)]
    pub days: Option<u32>,
    /// reply: 支持, 部分支持, 解释说明, 不予支持, …
    #[arg(long)]
    pub result: Option<String>,
    /// link: the case complained of.
    #[arg(long)]
    pub case: Option<String>,
    /// link: the case the petition was led into.
    #[arg(long)]
    pub diverted: Option<String>,
    /// resolve-matter: 息诉罢访, 导入诉讼程序后审结, 依法终结, 司法救助 or 其他.
    #[arg(long)]
    pub resolution: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct PetitionsIndicatorsArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long)]
    pub from: Option<String>,
    #[arg(long)]
    pub to: Option<String>,
    /// 2023, 2023H1, 2023Q4 or 2023-12 (instead of --from/--to).
    #[arg(long)]
    pub period: Option<String>,
    #[arg(long)]
    pub as_of: Option<String>,
    #[arg(long)]
    pub scope: Option<String>,
    /// none, court, channel, nature or month.
    #[arg(long, default_value = "none")]
    pub by: String,
    /// none, yoy (同比) or prev (环比); 三降两升 is judged against yoy when none.
    #[arg(long, default_value = "none")]
    pub compare: String,
    /// Count every matter, not only the 涉诉 ones.
    #[arg(long)]
    pub all_matters: bool,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct PetitionsMattersArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long)]
    pub scope: Option<String>,
    #[arg(long)]
    pub as_of: Option<String>,
    /// open or resolved.
    #[arg(long)]
    pub status: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Subcommand)]
pub enum SuggestionsCommand {
    /// Suggestions with their state at the as-of date.
    List(SuggestionsListArgs),
    /// One suggestion: fields, state, the reply deadline step by step, history.
    Show(MediationShowArgs),
    /// Take an action (approve, sign, issue, serve, reply, implemented, praised, withdraw).
    Act(SuggestionsActArgs),
    /// Suggestions waiting for their reply, with the deadline.
    Due(MediationDueArgs),
    /// The indicators of workflows.md §3.4 (`--by month`: the 一月一题 table).
    Indicators(SuggestionsIndicatorsArgs),
    /// The printable 司法建议书 of a suggestion (annex 1-2 of the 2023 rules), DOCX or PDF.
    Letter(SuggestionsLetterArgs),
}

#[derive(Debug, Args)]
pub struct SuggestionsLetterArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The suggestion number (any bracket style).
    pub id: String,
    /// docx or pdf.
    #[arg(long, default_value = "docx")]
    pub format: String,
    /// The file to write.
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct SuggestionsListArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long)]
    pub scope: Option<String>,
    #[arg(long)]
    pub as_of: Option<String>,
    /// drafted, approved, signed, issued, replied or withdrawn.
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long)]
    pub topic: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct SuggestionsActArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The suggestion number (any bracket style).
    pub id: String,
    /// approve, sign, issue, serve, reply, implemented, praised or withdraw.
    pub action: String,
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
    /// issue: the reply period in months (default 2).
    #[arg(long)]
    pub reply_months: Option<u32>,
    /// reply: 采纳, 部分采纳 or 未采纳.
    #[arg(long)]
    pub adoption: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct SuggestionsIndicatorsArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long)]
    pub from: Option<String>,
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long)]
    pub period: Option<String>,
    #[arg(long)]
    pub as_of: Option<String>,
    #[arg(long)]
    pub scope: Option<String>,
    /// none, court, month, topic, recipient_type or kind.
    #[arg(long, default_value = "none")]
    pub by: String,
    #[arg(long, default_value = "none")]
    pub compare: String,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Subcommand)]
pub enum MediatorsCommand {
    /// Organisations and mediators with their figures (业绩档案) for a period.
    List(MediatorsListArgs),
}

#[derive(Debug, Args)]
pub struct MediationListArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long)]
    pub scope: Option<String>,
    #[arg(long)]
    pub as_of: Option<String>,
    /// registered, referred, mediating, succeeded, withdrawn, failed, returned or overdue.
    #[arg(long)]
    pub status: Option<String>,
    /// 委派, 申请, 委托 or pre.
    #[arg(long)]
    pub kind: Option<String>,
    #[arg(long)]
    pub org: Option<String>,
    #[arg(long)]
    pub mediator: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct MediationShowArgs {
    #[command(flatten)]
    pub db: DbArg,
    pub id: String,
    #[arg(long)]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct MediationActArgs {
    #[command(flatten)]
    pub db: DbArg,
    pub id: String,
    /// assign, return, decline, accept, extend, appraisal-start, appraisal-end, change-mediator,
    /// conclude, link or reopen.
    pub action: String,
    /// The action's date (default: today).
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
    #[arg(long)]
    pub org: Option<String>,
    #[arg(long)]
    pub mediator: Option<String>,
    #[arg(long)]
    pub reason: Option<String>,
    #[arg(long)]
    pub days: Option<u32>,
    /// 调解成功, 撤回 or 调解不成.
    #[arg(long)]
    pub outcome: Option<String>,
    /// 自动履行, 司法确认, 调解书, 撤诉 or 未定.
    #[arg(long)]
    pub path: Option<String>,
    #[arg(long)]
    pub failure_reason: Option<String>,
    #[arg(long)]
    pub performed: bool,
    #[arg(long)]
    pub confirmation: Option<String>,
    #[arg(long)]
    pub document: Option<String>,
    #[arg(long)]
    pub filed: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct MediationDueArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long)]
    pub as_of: Option<String>,
    #[arg(long)]
    pub scope: Option<String>,
    /// overdue, due_soon, suspended or all.
    #[arg(long)]
    pub status: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct MediationIndicatorsArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long)]
    pub from: Option<String>,
    #[arg(long)]
    pub to: Option<String>,
    /// 2023, 2023H1, 2023Q4 or 2023-12 (instead of --from/--to).
    #[arg(long)]
    pub period: Option<String>,
    #[arg(long)]
    pub as_of: Option<String>,
    #[arg(long)]
    pub scope: Option<String>,
    /// none, court, org, mediator, kind or month.
    #[arg(long, default_value = "none")]
    pub by: String,
    /// none, yoy (同比) or prev (环比).
    #[arg(long, default_value = "none")]
    pub compare: String,
    /// 委派, 申请, 委托 or pre (委派 + 申请).
    #[arg(long)]
    pub kind: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct MediatorsListArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long)]
    pub scope: Option<String>,
    #[arg(long)]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct DbArg {
    /// SQLite file (created when missing) or postgres:// URL.
    #[arg(long, env = "TIANPING_DB", default_value = "tianping.db")]
    pub db: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scale {
    Small,
    Province,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long, default_value_t = 2024)]
    pub seed: u64,
    #[arg(long, value_enum, default_value_t = Scale::Small)]
    pub scale: Scale,
    /// Address to serve the web UI on (port 0: any free port; the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Also write the generated data as exchange CSV files into this directory.
    #[arg(long)]
    pub export_csv: Option<PathBuf>,
    /// Only generate the data; do not serve (scripts and tests).
    #[arg(long)]
    pub no_serve: bool,
    /// The demo accounts' password (default: a random one, printed).
    #[arg(long, env = "TIANPING_DEMO_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Address and port to listen on (port 0: any free port; the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Mark the session cookie Secure (only when served over HTTPS, e.g. behind a proxy).
    #[arg(long, env = "TIANPING_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// The warning window of 临近审限 on the deadline pages, in days (a page's `window=`
    /// overrides it).
    #[arg(long, env = "TIANPING_DUE_SOON_DAYS", default_value_t = 15,
          value_parser = clap::value_parser!(i64).range(0..=365))]
    pub due_soon_days: i64,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user (or change an existing one); the password is read from standard input.
    Add(UserAddArgs),
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long)]
    pub username: String,
    /// admin, staff or judge.
    #[arg(long)]
    pub role: String,
    /// The court the account works in (staff and judges): it sees that court and those below.
    #[arg(long)]
    pub court: Option<String>,
    /// A judge's name as the case data writes it (承办人).
    #[arg(long)]
    pub judge: Option<String>,
    /// Duties (职责) beside the role, comma-separated: mediation_clerk, mediator,
    /// petition_officer, suggestion_officer, finance, enforcement, supervisor, reviewer, editor,
    /// leader (or their Chinese names).
    #[arg(long)]
    pub duty: Option<String>,
    /// The mediator (调解员编号) this account is (with the mediator duty).
    #[arg(long)]
    pub mediator: Option<String>,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// The backup file to create (it must not exist).
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// A file written by `tianping backup`.
    pub backup: PathBuf,
}

#[derive(Debug, Args)]
pub struct SynthArgs {
    #[arg(long, default_value_t = 2024)]
    pub seed: u64,
    #[arg(long, value_enum, default_value_t = Scale::Small)]
    pub scale: Scale,
    /// About how many cases to generate (overrides the scale's volume).
    #[arg(long)]
    pub cases: Option<usize>,
    /// Also write the mediation files (mediation_orgs.csv, mediators.csv, mediations.csv,
    /// mediation_events.csv) with about this many mediations registered in the last year, spread
    /// over the basic courts (a benchmark's province-scale year; the demo's volume without it).
    #[arg(long)]
    pub mediations: Option<usize>,
    /// With `--mediations`: about how many mediators (default: one per 15 mediations).
    #[arg(long, requires = "mediations")]
    pub mediators: Option<usize>,
    /// Also write petition_matters.csv and petitions.csv with about this many petitions
    /// received in the last year over all courts (the demo's volume in earlier years).
    #[arg(long)]
    pub petitions: Option<usize>,
    /// Also write suggestions.csv with about this many suggestions drafted in the last year.
    #[arg(long)]
    pub suggestions: Option<usize>,
    /// Also write fee_refunds.csv: a refund on this share (0-1) of the closed cases that may
    /// owe one (the demo: 0.6).
    #[arg(long)]
    pub refunds: Option<f64>,
    /// Directory for courts.csv, cases.csv and events.csv.
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Courts,
    Cases,
    Events,
    /// 调解组织 (workflows.md §1.5).
    #[value(name = "mediation_orgs", alias = "mediation-orgs")]
    MediationOrgs,
    /// 调解员.
    #[value(name = "mediators")]
    Mediators,
    /// 调解案件.
    #[value(name = "mediations")]
    Mediations,
    /// 调解事件.
    #[value(name = "mediation_events", alias = "mediation-events")]
    MediationEvents,
    /// 信访事项 (workflows.md §2.6).
    #[value(name = "petition_matters", alias = "petition-matters")]
    PetitionMatters,
    /// 信访件.
    #[value(name = "petitions")]
    Petitions,
    /// 司法建议 (workflows.md §3.5).
    #[value(name = "suggestions")]
    Suggestions,
    /// 诉讼费退费 (workflows.md §4.5).
    #[value(name = "fee_refunds", alias = "fee-refunds")]
    FeeRefunds,
    /// 终本核查 (workflows.md §5.5).
    #[value(name = "termination_checks", alias = "termination-checks")]
    TerminationChecks,
    /// 终本后查控.
    #[value(
        name = "post_termination_searches",
        alias = "post-termination-searches"
    )]
    PostTerminationSearches,
    /// 失信被执行人名单.
    #[value(name = "dishonest_listings", alias = "dishonest-listings")]
    DishonestListings,
    /// 集中执行行动.
    #[value(name = "enforcement_actions", alias = "enforcement-actions")]
    EnforcementActions,
    /// 案件标签 (workflows.md §0.9).
    #[value(name = "case_tags", alias = "case-tags")]
    CaseTags,
    Auto,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    Tianping,
    EcourtsIndia,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnErrorArg {
    Reject,
    Skip,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long, value_enum, default_value_t = KindArg::Auto)]
    pub kind: KindArg,
    #[arg(long, value_enum, default_value_t = LayoutArg::Tianping)]
    pub layout: LayoutArg,
    /// reject: the whole import or nothing; skip: store the valid rows, write the others to a
    /// rejects file.
    #[arg(long = "on-error", value_enum, default_value_t = OnErrorArg::Reject)]
    pub on_error: OnErrorArg,
    /// Rejects CSV (default FILE.rejects.csv).
    #[arg(long)]
    pub rejects: Option<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DeadlinesArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Date of the list (default: today).
    #[arg(long)]
    pub as_of: Option<String>,
    /// A court code: that court and every court below it.
    #[arg(long)]
    pub scope: Option<String>,
    /// overdue, due_soon, suspended, ok, no_limit, or all (with cases without a limit);
    /// default: every case with a limit.
    #[arg(long)]
    pub status: Option<String>,
    /// This court itself only (not the courts below it).
    #[arg(long)]
    pub court: Option<String>,
    /// A division (庭室) by name; 未分配 for cases without one.
    #[arg(long)]
    pub division: Option<String>,
    /// A judge (承办人) by name; 未分配 for cases without one.
    #[arg(long)]
    pub judge: Option<String>,
    /// Only cases whose deadline falls on or before this date (overdue ones included).
    #[arg(long)]
    pub due_by: Option<String>,
    /// Only cases with at most this many days left (overdue ones included).
    #[arg(long)]
    pub within: Option<i64>,
    /// Only cases of this type code (类型代字), e.g. 民初.
    #[arg(long)]
    pub type_code: Option<String>,
    /// Only cases whose cause (案由) contains this text.
    #[arg(long)]
    pub cause: Option<String>,
    /// The warning window of 临近审限 in days (default 15).
    #[arg(long, value_parser = clap::value_parser!(i64).range(0..=365))]
    pub window: Option<i64>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct IndicatorsArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// First day of the period.
    #[arg(long)]
    pub from: String,
    /// Last day of the period.
    #[arg(long)]
    pub to: String,
    /// Linked outcomes (appeals, reversals) known on this date; default: --to.
    #[arg(long)]
    pub as_of: Option<String>,
    /// A court code: that court and every court below it.
    #[arg(long)]
    pub scope: Option<String>,
    /// none, court, division, judge, class or type_code.
    #[arg(long, default_value = "none")]
    pub by: String,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct AssessArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// 2024, 2024H1, 2024Q4 or 2024-12.
    #[arg(long)]
    pub period: String,
    /// The period to compare with (脱薄前后对比), same spelling.
    #[arg(long)]
    pub baseline: Option<String>,
    /// basic, intermediate, high or special.
    #[arg(long, default_value = "basic")]
    pub level: String,
    #[arg(long)]
    pub scope: Option<String>,
    /// Reference intervals and weights (TOML); default: the built-in ones.
    #[arg(long, env = "TIANPING_INTERVALS")]
    pub intervals: Option<PathBuf>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct BenchIndicatorsArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long)]
    pub from: String,
    #[arg(long)]
    pub to: String,
    #[arg(long, default_value = "court")]
    pub by: String,
    /// How many timed computations.
    #[arg(long, default_value_t = 20)]
    pub repeat: usize,
}

#[derive(Debug, Args)]
pub struct SignalsArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long)]
    pub year: i32,
    #[arg(long)]
    pub scope: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// 2024, 2024H1, 2024Q4 or 2024-12.
    #[arg(long)]
    pub period: String,
    #[arg(long)]
    pub scope: Option<String>,
    /// docx, pdf, xlsx or html.
    #[arg(long)]
    pub format: String,
    /// The file to write.
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    /// Reference intervals and weights (TOML); default: the built-in ones.
    #[arg(long, env = "TIANPING_INTERVALS")]
    pub intervals: Option<PathBuf>,
    /// The date under the signature (成文日期); default: today.
    #[arg(long)]
    pub issued: Option<String>,
    /// 发文字号, e.g. 鲁高法〔2025〕12号 (brackets of any kind become 〔〕).
    #[arg(long)]
    pub doc_number: Option<String>,
    /// 抄送 of the colophon (版记), e.g. 省委政法委，省人大监察和司法委员会.
    #[arg(long)]
    pub copy_to: Option<String>,
    /// 印发机关 of the colophon; default: the issuing court's office (…办公室).
    #[arg(long)]
    pub printer: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum CaseNumberCommand {
    /// Parse, validate and normalize case numbers; exit code 2 when any is invalid.
    Parse(ParseArgs),
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    #[command(flatten)]
    pub format: FormatArg,
    /// One or more case numbers, e.g. '（2021）最高法知民终892号'.
    #[arg(required = true, value_name = "CASE_NUMBER")]
    pub case_numbers: Vec<String>,
}

#[derive(Debug, Args)]
pub struct FormatArg {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// List the rest days and make-up working days of a year, and whether its notice is known.
    Show {
        #[arg(long)]
        year: i32,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Check a holiday notice file before putting it into TIANPING_HOLIDAYS.
    Check {
        /// holiday-cn JSON or Tianping calendar CSV.
        file: PathBuf,
    },
}
