//! The page templates (minijinja, embedded in the binary, HTML auto-escaped) and the filters that
//! write figures the way the office reads them: `pct` (0.9573 → 95.73%), `num`, `money`, `days`.

use axum::response::Html;
use minijinja::value::Value;
use minijinja::{Environment, State};
use serde::Serialize;

use crate::WebError;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("overview.html", include_str!("../templates/overview.html")),
    ("division.html", include_str!("../templates/division.html")),
    ("judge.html", include_str!("../templates/judge.html")),
    ("cases.html", include_str!("../templates/cases.html")),
    ("case.html", include_str!("../templates/case.html")),
    (
        "deadlines.html",
        include_str!("../templates/deadlines.html"),
    ),
    (
        "long_pending.html",
        include_str!("../templates/long_pending.html"),
    ),
    ("signals.html", include_str!("../templates/signals.html")),
    ("ranking.html", include_str!("../templates/ranking.html")),
    (
        "mediation_list.html",
        include_str!("../templates/mediation_list.html"),
    ),
    (
        "mediation.html",
        include_str!("../templates/mediation.html"),
    ),
    (
        "mediation_indicators.html",
        include_str!("../templates/mediation_indicators.html"),
    ),
    (
        "mediators.html",
        include_str!("../templates/mediators.html"),
    ),
    (
        "petitions.html",
        include_str!("../templates/petitions.html"),
    ),
    ("petition.html", include_str!("../templates/petition.html")),
    (
        "suggestions.html",
        include_str!("../templates/suggestions.html"),
    ),
    (
        "suggestion.html",
        include_str!("../templates/suggestion.html"),
    ),
    (
        "suggestions_indicators.html",
        include_str!("../templates/suggestions_indicators.html"),
    ),
    ("refunds.html", include_str!("../templates/refunds.html")),
    ("refund.html", include_str!("../templates/refund.html")),
    (
        "refunds_indicators.html",
        include_str!("../templates/refunds_indicators.html"),
    ),
    (
        "petitions_indicators.html",
        include_str!("../templates/petitions_indicators.html"),
    ),
    ("settings.html", include_str!("../templates/settings.html")),
    ("import.html", include_str!("../templates/import.html")),
    ("users.html", include_str!("../templates/users.html")),
    ("audit.html", include_str!("../templates/audit.html")),
    (
        "indicators.html",
        include_str!("../templates/indicators.html"),
    ),
];

pub struct Templates {
    env: Environment<'static>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Templates")
    }
}

/// 0.9573 → `95.73%`; null → `—`.
fn pct(value: Value) -> String {
    match f64::try_from(value.clone()) {
        Ok(v) if !value.is_none() && !value.is_undefined() => format!("{:.2}%", v * 100.0),
        _ => "—".to_owned(),
    }
}

/// Integers as they are, other numbers with two decimals; null → `—`.
fn num(value: Value) -> String {
    if value.is_none() || value.is_undefined() {
        return "—".to_owned();
    }
    if let Ok(i) = i64::try_from(value.clone()) {
        return i.to_string();
    }
    match f64::try_from(value) {
        Ok(v) => format!("{v:.2}"),
        Err(_) => "—".to_owned(),
    }
}

/// Yuan with thousands separators and two decimals: 1234567.5 → `1,234,567.50`.
pub fn money_text(v: f64) -> String {
    let fen = (v * 100.0).round() as i64;
    let sign = if fen < 0 { "-" } else { "" };
    let (yuan, cents) = (fen.abs() / 100, fen.abs() % 100);
    let digits = yuan.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{cents:02}")
}

fn money(value: Value) -> String {
    if value.is_none() || value.is_undefined() {
        return "—".to_owned();
    }
    f64::try_from(value).map_or_else(|_| "—".to_owned(), money_text)
}

/// A URL query value, percent-encoded (for links built in templates).
fn query_value(_state: &State, value: String) -> String {
    serde_urlencoded::to_string([("v", value)])
        .map(|s| s.trim_start_matches("v=").to_owned())
        .unwrap_or_default()
}

impl Templates {
    pub fn new() -> Templates {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("template {name}: {e:#}"));
        }
        env.add_filter("pct", pct);
        env.add_filter("num", num);
        env.add_filter("money", money);
        env.add_filter("q", query_value);
        Templates { env }
    }

    pub fn render_string(&self, name: &str, context: impl Serialize) -> Result<String, WebError> {
        Ok(self.env.get_template(name)?.render(context)?)
    }

    pub fn render(&self, name: &str, context: impl Serialize) -> Result<Html<String>, WebError> {
        self.render_string(name, context).map(Html)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_written_as_the_office_reads_them() {
        assert_eq!(pct(Value::from(0.9573)), "95.73%");
        assert_eq!(pct(Value::from(())), "—");
        assert_eq!(num(Value::from(12)), "12");
        assert_eq!(num(Value::from(12.345)), "12.35");
        assert_eq!(money_text(1_234_567.5), "1,234,567.50");
        assert_eq!(money_text(0.05), "0.05");
        assert_eq!(money_text(-1234.0), "-1,234.00");
    }

    #[test]
    fn every_template_compiles() {
        let t = Templates::new();
        for (name, _) in TEMPLATES {
            assert!(t.env.get_template(name).is_ok(), "{name}");
        }
    }
}
