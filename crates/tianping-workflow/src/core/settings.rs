//! Settings (设置, `workflows.md` §9): the rules no statute fixes, each with its default and the
//! default's basis, stored in the database (`tianping settings show|set`, `/admin/settings`).
//! Unset settings have their default; a value is checked against its kind before it is stored.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::mediation::MediationSettings;
use crate::petitions::PetitionSettings;

/// What values a setting takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SettingKind {
    /// `on` / `off`.
    Switch,
    /// A whole number of days from 0.
    Days,
    /// A whole number of days from 0, or `none`.
    OptionalDays,
    /// One of the given words.
    Choice(&'static [&'static str]),
    /// A list of names separated by 、 (or commas), none repeated.
    List,
}

/// One known setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SettingDef {
    pub key: &'static str,
    pub kind: SettingKind,
    pub default: &'static str,
    /// Why the default is what it is.
    pub basis: &'static str,
    pub zh: &'static str,
}

/// Every setting the modules built so far read.
pub const SETTINGS: [SettingDef; 11] = [
    SettingDef {
        key: "holiday_rollover",
        kind: SettingKind::Switch,
        default: "on",
        basis: "民事诉讼法第八十五条第三款",
        zh: "期限届满日遇节假日顺延",
    },
    SettingDef {
        key: "mediation.max_extension_days",
        kind: SettingKind::OptionalDays,
        default: "none",
        basis: "人民法院在线调解规则第二十四条未设上限；部分法院规定不超过30日",
        zh: "调解延长天数上限",
    },
    SettingDef {
        key: "mediation.withdrawn_counts_as_success",
        kind: SettingKind::Switch,
        default: "off",
        basis: "本系统约定",
        zh: "撤回计入调解成功",
    },
    SettingDef {
        key: "mediation.deduct_entrusted_extension",
        kind: SettingKind::Switch,
        default: "on",
        basis: "人民法院在线调解规则第二十四条第一款；最高人民法院《关于严格依法规范民事案件立案与调解工作的意见》",
        zh: "委托调解延长期间不计入审限",
    },
    SettingDef {
        key: "mediation.filing_days",
        kind: SettingKind::Days,
        default: "7",
        basis: "参照民事诉讼法第一百二十六条",
        zh: "调解不成转立案期限（日）",
    },
    SettingDef {
        key: "petitions.handling_days",
        kind: SettingKind::Days,
        default: "60",
        basis: "信访工作条例第三十四条（适用于所有已受理信访件，本系统约定）",
        zh: "信访件办理期限（日）",
    },
    SettingDef {
        key: "petitions.repeat_window_days",
        kind: SettingKind::Days,
        default: "365",
        basis: "本系统约定：同一信访人就同一案件在此期间内再次信访，归入同一信访事项",
        zh: "重复信访归并期间（日）",
    },
    SettingDef {
        key: "suggestions.start",
        kind: SettingKind::Choice(&["served", "issued"]),
        default: "served",
        basis: "最高人民法院关于综合治理类司法建议工作若干问题的规定附件2：“在收到本建议书后…×个月内”书面反馈；未送达的自发出日起算",
        zh: "司法建议答复期限起算（served 送达日，未送达的发出日；issued 发出日）",
    },
    SettingDef {
        key: "suggestions.topics",
        kind: SettingKind::List,
        default: DEFAULT_TOPICS_TEXT,
        basis: "本系统约定（“一月一题”常见主题）",
        zh: "司法建议主题（以“、”分隔）",
    },
    SettingDef {
        key: "refunds.start",
        kind: SettingKind::Choice(&["effective", "account"]),
        default: "effective",
        basis: "诉讼费用交纳办法第五十三条第二款：自法律文书生效之日起15日内退还；account 为本系统约定（自生效日与收到退费账户之日中较晚者起算）",
        zh: "退费期限起算（effective 文书生效日；account 生效日与收到账户日中较晚者）",
    },
    SettingDef {
        key: "enforcement.include_preservation",
        kind: SettingKind::Switch,
        default: "off",
        basis: "workflows.md §5.4：执结率按执、执恢计；执保（财产保全执行）默认不计",
        zh: "执结率计入财产保全执行案件（执保）",
    },
];

/// The default `suggestions.topics` as stored: the topics of
/// [`crate::suggestions::model::DEFAULT_TOPICS`] joined by 、.
const DEFAULT_TOPICS_TEXT: &str = "未成年人保护、物业纠纷、行政执法规范化、金融风险、劳动用工、安全生产、生态环境、知识产权、营商环境、其他";

/// The names of a [`SettingKind::List`] value.
pub fn list_items(text: &str) -> Vec<String> {
    text.split(['、', ',', '，', ';', '；', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

pub fn lookup(key: &str) -> Option<&'static SettingDef> {
    SETTINGS.iter().find(|s| s.key == key)
}

/// The per-court settings of the bulletin's document number: `bulletin.doc_prefix.鲁` = `鲁高法`
/// (机关代字), so that `--doc-number 12` issues 鲁高法〔2026〕12号.
pub const DOC_PREFIX: &str = "bulletin.doc_prefix.";

/// The value of `text` for setting `key` in its stored form, or why it is none (in Chinese).
pub fn check_value(key: &str, text: &str) -> Result<String, String> {
    if let Some(court) = key.strip_prefix(DOC_PREFIX) {
        tianping_domain::CourtCode::parse(court)
            .map_err(|e| format!("“{court}”不是法院代字：{}", e.zh()))?;
        let t = text.trim();
        return if t.is_empty() || t.chars().count() > 20 || t.chars().any(char::is_whitespace) {
            Err("机关代字应为 1 至 20 个字、不含空格（如 鲁高法）".to_owned())
        } else {
            Ok(t.to_owned())
        };
    }
    let def = lookup(key).ok_or_else(|| {
        format!(
            "没有设置“{key}”（可设置：{}，以及 {DOC_PREFIX}法院代字）",
            SETTINGS.map(|s| s.key).join("、")
        )
    })?;
    let t = text.trim();
    match def.kind {
        SettingKind::Switch => match t {
            "on" | "true" | "是" | "开" => Ok("on".to_owned()),
            "off" | "false" | "否" | "关" => Ok("off".to_owned()),
            _ => Err(format!("“{t}”应为 on 或 off")),
        },
        SettingKind::Days | SettingKind::OptionalDays => {
            if def.kind == SettingKind::OptionalDays && matches!(t, "none" | "无" | "") {
                return Ok("none".to_owned());
            }
            t.parse::<u32>()
                .ok()
                .filter(|n| *n <= 3660)
                .map(|n| n.to_string())
                .ok_or_else(|| format!("“{t}”应为 0 至 3660 的天数"))
        }
        SettingKind::Choice(words) => words
            .iter()
            .find(|w| **w == t)
            .map(|w| (*w).to_owned())
            .ok_or_else(|| format!("“{t}”应为 {}", words.join(" 或 "))),
        SettingKind::List => {
            let items = list_items(t);
            if items.is_empty() {
                return Err("至少须有一项（以“、”分隔）".to_owned());
            }
            if let Some(long) = items.iter().find(|i| i.chars().count() > 20) {
                return Err(format!("“{long}”过长（每项至多 20 个字）"));
            }
            for (i, item) in items.iter().enumerate() {
                if items[..i].contains(item) {
                    return Err(format!("“{item}”重复"));
                }
            }
            Ok(items.join("、"))
        }
    }
}

/// The settings in force: the stored ones over the defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    stored: BTreeMap<String, String>,
}

impl Settings {
    pub fn from_stored(stored: impl IntoIterator<Item = (String, String)>) -> Settings {
        Settings {
            stored: stored.into_iter().collect(),
        }
    }

    /// The value in force of a known setting.
    pub fn value(&self, key: &str) -> &str {
        self.stored
            .get(key)
            .map(String::as_str)
            .or_else(|| lookup(key).map(|d| d.default))
            .unwrap_or("")
    }

    /// The 机关代字 of a court's document numbers, if set.
    pub fn doc_prefix(&self, court: &str) -> Option<&str> {
        self.stored
            .get(&format!("{DOC_PREFIX}{court}"))
            .map(String::as_str)
    }

    /// Every stored setting that is not one of [`SETTINGS`] (the per-court ones).
    pub fn per_court(&self) -> impl Iterator<Item = (&str, &str)> {
        self.stored
            .iter()
            .filter(|(k, _)| lookup(k).is_none())
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn is_set(&self, key: &str) -> bool {
        self.stored.contains_key(key)
    }

    fn switch(&self, key: &str) -> bool {
        self.value(key) == "on"
    }

    fn days(&self, key: &str) -> Option<u32> {
        self.value(key).parse().ok()
    }

    /// The settings of mediation.
    pub fn mediation(&self) -> MediationSettings {
        let defaults = MediationSettings::default();
        MediationSettings {
            max_extension_days: self.days("mediation.max_extension_days"),
            withdrawn_counts_as_success: self.switch("mediation.withdrawn_counts_as_success"),
            deduct_entrusted_extension: self.switch("mediation.deduct_entrusted_extension"),
            filing_days: self
                .days("mediation.filing_days")
                .unwrap_or(defaults.filing_days),
            holiday_rollover: self.switch("holiday_rollover"),
        }
    }

    /// The settings of judicial suggestions (the reply period counted from service, else issue;
    /// the default topics).
    pub fn suggestions(&self) -> crate::suggestions::SuggestionSettings {
        use crate::suggestions::limits::Start;
        crate::suggestions::SuggestionSettings {
            start: if self.value("suggestions.start") == "issued" {
                Start::Issued
            } else {
                Start::Served
            },
            topics: list_items(self.value("suggestions.topics")),
            holiday_rollover: self.switch("holiday_rollover"),
        }
    }

    /// The settings of court-fee refunds.
    pub fn refunds(&self) -> crate::refunds::RefundSettings {
        use crate::refunds::limits::Start;
        crate::refunds::RefundSettings {
            start: if self.value("refunds.start") == "account" {
                Start::Account
            } else {
                Start::Effective
            },
            holiday_rollover: self.switch("holiday_rollover"),
        }
    }

    /// The settings of enforcement.
    pub fn enforcement(&self) -> crate::enforcement::EnforcementSettings {
        crate::enforcement::EnforcementSettings {
            holiday_rollover: self.switch("holiday_rollover"),
            include_preservation: self.switch("enforcement.include_preservation"),
        }
    }

    /// The settings of petitions.
    pub fn petitions(&self) -> PetitionSettings {
        let defaults = PetitionSettings::default();
        PetitionSettings {
            handling_days: self
                .days("petitions.handling_days")
                .unwrap_or(defaults.handling_days),
            repeat_window_days: self
                .days("petitions.repeat_window_days")
                .unwrap_or(defaults.repeat_window_days),
            holiday_rollover: self.switch("holiday_rollover"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_those_of_the_mediation_settings() {
        assert_eq!(
            Settings::default().mediation(),
            MediationSettings::default()
        );
        assert_eq!(Settings::default().petitions(), PetitionSettings::default());
        assert_eq!(
            Settings::default().suggestions(),
            crate::suggestions::SuggestionSettings::default()
        );
        assert_eq!(
            Settings::default().refunds(),
            crate::refunds::RefundSettings::default()
        );
        assert_eq!(
            Settings::default().enforcement(),
            crate::enforcement::EnforcementSettings::default()
        );
        let account = Settings::from_stored([("refunds.start".to_owned(), "account".to_owned())]);
        assert_eq!(
            account.refunds().start,
            crate::refunds::limits::Start::Account
        );
        for def in SETTINGS {
            assert_eq!(
                check_value(def.key, def.default).as_deref(),
                Ok(def.default)
            );
        }
    }

    #[test]
    fn values_are_checked_and_normalized() {
        assert_eq!(
            check_value("mediation.filing_days", " 10 "),
            Ok("10".into())
        );
        assert_eq!(check_value("holiday_rollover", "关"), Ok("off".into()));
        assert_eq!(
            check_value("mediation.max_extension_days", "无"),
            Ok("none".into())
        );
        assert!(check_value("mediation.filing_days", "none").is_err());
        assert!(check_value("mediation.filing_days", "-1").is_err());
        assert!(check_value("holiday_rollover", "maybe").is_err());
        let unknown = check_value("mediation.speed", "1").unwrap_err();
        assert!(unknown.contains("mediation.filing_days"), "{unknown}");
        let s = Settings::from_stored([
            ("mediation.filing_days".to_owned(), "10".to_owned()),
            ("mediation.max_extension_days".to_owned(), "30".to_owned()),
        ]);
        let m = s.mediation();
        assert_eq!((m.filing_days, m.max_extension_days), (10, Some(30)));
        // The per-court document-number prefix.
        assert_eq!(
            check_value("bulletin.doc_prefix.鲁", " 鲁高法 "),
            Ok("鲁高法".into())
        );
        assert!(check_value("bulletin.doc_prefix.鲁", "鲁 高法").is_err());
        assert!(check_value("bulletin.doc_prefix.xyz", "鲁高法").is_err());
        let s = Settings::from_stored([("bulletin.doc_prefix.鲁".to_owned(), "鲁高法".to_owned())]);
        assert_eq!(s.doc_prefix("鲁"), Some("鲁高法"));
        assert_eq!(s.doc_prefix("鲁01"), None);
        assert_eq!(s.per_court().count(), 1);
    }

    #[test]
    fn the_suggestion_settings_are_read_and_checked() {
        use crate::suggestions::limits::Start;
        assert_eq!(
            check_value("suggestions.start", " issued "),
            Ok("issued".into())
        );
        assert!(check_value("suggestions.start", "signed").is_err());
        assert_eq!(
            check_value("suggestions.topics", "物业纠纷, 金融风险，其他"),
            Ok("物业纠纷、金融风险、其他".into())
        );
        assert!(check_value("suggestions.topics", " 、 ").is_err());
        assert!(check_value("suggestions.topics", "其他、其他").is_err());
        let s = Settings::from_stored([
            ("suggestions.start".to_owned(), "issued".to_owned()),
            ("suggestions.topics".to_owned(), "物业纠纷、其他".to_owned()),
        ]);
        let settings = s.suggestions();
        assert_eq!(settings.start, Start::Issued);
        assert_eq!(settings.topics, ["物业纠纷", "其他"]);
    }
}
