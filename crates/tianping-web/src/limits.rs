//! How long a request's free text may be: the request target, each query parameter, each form
//! field. Every value a user types ends up somewhere that grows with it (a page, the audit log,
//! a cache key, an error message), so each has a bound, refused with a Chinese message that says
//! which field and how long it may be. (The cells of an imported file are bounded by the
//! exchange reader; a request's body by the body limit.)

use axum::extract::Request;
use axum::http::Uri;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::WebError;

/// Names: usernames, judges (承办人), divisions, court codes.
pub const NAME_CHARS: usize = 64;
/// Other short texts: dates, codes, periods, case numbers, file names, choices.
pub const TEXT_CHARS: usize = 200;
/// Passwords set through the user administration page.
pub const PASSWORD_CHARS: usize = 256;
/// The path of a request, as sent (percent-encoded: a Chinese character takes 9 bytes).
pub const PATH_BYTES: usize = 1024;
/// The query string of a request, as sent.
pub const QUERY_BYTES: usize = 4096;

/// `Err(message)` when `value` has more than `max` characters; `label` names the field in the
/// message (`承办人`).
pub fn check_chars(label: &str, value: &str, max: usize) -> Result<(), String> {
    if value.chars().count() > max {
        Err(format!("{label}过长：不能超过{max}个字符"))
    } else {
        Ok(())
    }
}

/// Each of `fields` (label, value, limit) within its limit; the first that is not gives the
/// error.
pub fn check_fields(fields: &[(&str, Option<&str>, usize)]) -> Result<(), String> {
    for (label, value, max) in fields {
        if let Some(value) = value {
            check_chars(label, value, *max)?;
        }
    }
    Ok(())
}

/// The limit of a query parameter by its name: the names of people, divisions and courts are
/// names; `next` (where sign-in leads back to) is a whole request target, bounded with the query
/// string; everything else is a short text.
fn parameter_chars(name: &str) -> usize {
    match name {
        "judge" | "division" | "username" | "court" | "scope" => NAME_CHARS,
        "next" => QUERY_BYTES,
        _ => TEXT_CHARS,
    }
}

/// Refuse a request target over its bounds: 414 for a path or query string too long to be
/// anything a page links to, 400 naming the parameter for a query parameter over its limit.
/// A query string that does not decode is left to the handler, which says what is wrong.
pub fn check_target(uri: &Uri) -> Result<(), WebError> {
    let query = uri.query().unwrap_or("");
    if uri.path().len() > PATH_BYTES || query.len() > QUERY_BYTES {
        return Err(WebError::UriTooLong(format!(
            "网址过长：路径不能超过{PATH_BYTES}字节，查询参数不能超过{QUERY_BYTES}字节"
        )));
    }
    if let Ok(params) = serde_urlencoded::from_str::<Vec<(String, String)>>(query) {
        for (name, value) in &params {
            check_chars("参数名", name, TEXT_CHARS).map_err(WebError::BadRequest)?;
            check_chars(&format!("参数 {name} "), value, parameter_chars(name))
                .map_err(WebError::BadRequest)?;
        }
    }
    Ok(())
}

/// The middleware of [`check_target`]: before sign-in, scope or any handler sees the request.
pub async fn bound_target(req: Request, next: Next) -> Response {
    match check_target(req.uri()) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(text: &str) -> Result<(), WebError> {
        check_target(&text.parse::<Uri>().unwrap())
    }

    #[test]
    fn a_judge_parameter_of_65_characters_is_refused_and_one_of_64_is_not() {
        let name = |n: usize| "张".repeat(n);
        let query = |n: usize| serde_urlencoded::to_string([("judge", name(n))]).unwrap();
        assert!(target(&format!("/cases?{}", query(64))).is_ok());
        let Err(WebError::BadRequest(message)) = target(&format!("/cases?{}", query(65))) else {
            panic!("65 characters are refused");
        };
        assert_eq!(message, "参数 judge 过长：不能超过64个字符");
    }

    #[test]
    fn an_overlong_path_or_query_string_is_414() {
        let long = "a".repeat(PATH_BYTES + 1);
        assert!(matches!(
            target(&format!("/courts/{long}")),
            Err(WebError::UriTooLong(_))
        ));
        let many = "q=1&".repeat(QUERY_BYTES / 4 + 1);
        assert!(matches!(
            target(&format!("/api/v1/case-numbers/parse?{many}")),
            Err(WebError::UriTooLong(_))
        ));
    }

    #[test]
    fn form_fields_name_the_field_over_its_limit() {
        assert_eq!(
            check_fields(&[
                ("用户名", Some("clerk"), NAME_CHARS),
                ("承办人", Some(&"李".repeat(65)), NAME_CHARS),
            ]),
            Err("承办人过长：不能超过64个字符".to_owned())
        );
        assert_eq!(check_fields(&[("承办人", None, NAME_CHARS)]), Ok(()));
    }
}
