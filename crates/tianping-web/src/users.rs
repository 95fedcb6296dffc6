//! User accounts: the checks shared by the admin pages and `tianping user add`.

use tianping_domain::CourtCode;
use tianping_domain::access::Role;
use tianping_store::UserRecord;

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// The longest password accepted, in UTF-8 bytes: far beyond any passphrase, and a bound on what
/// a sign-in makes argon2 hash. Sign-in refuses a longer one before anything else, so no account
/// may have one.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// The longest username, in characters. Sign-in refuses a longer one before anything else (it
/// would be kept in the throttle's memory and written to the audit log).
pub const MAX_USERNAME_CHARS: usize = 64;

/// What a new or changed account says, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct UserInput {
    pub username: String,
    pub role: String,
    pub court_code: Option<String>,
    pub judge_name: Option<String>,
}

fn trimmed(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Check an account's role, court and judge name: staff and judges need a court (a valid court
/// code), judges their name as the case data writes it. Returns the role and the cleaned fields.
pub fn check_user(input: &UserInput) -> Result<(Role, Option<String>, Option<String>), String> {
    let username = input.username.trim();
    if username.is_empty() || username.chars().count() > MAX_USERNAME_CHARS {
        return Err(format!(
            "用户名不能为空，且不超过{MAX_USERNAME_CHARS}个字符"
        ));
    }
    if username
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '/' | '\\' | '?' | '#' | '%'))
    {
        return Err(format!("用户名 '{username}' 含有不允许的字符"));
    }
    let role = Role::parse(&input.role).ok_or_else(|| {
        format!(
            "角色“{}”无法识别（应为 admin 管理员、staff 工作人员或 judge 法官）",
            input.role
        )
    })?;
    let court = trimmed(&input.court_code);
    let judge = trimmed(&input.judge_name);
    if let Some(code) = &court {
        CourtCode::parse(code).map_err(|e| format!("法院代字“{code}”无效：{}", e.zh()))?;
    }
    match role {
        Role::Admin => {}
        Role::Staff if court.is_none() => {
            return Err("工作人员账号须指定所在法院".into());
        }
        Role::Judge if court.is_none() || judge.is_none() => {
            return Err("法官账号须指定所在法院和承办人姓名（与案件数据中的写法一致）".into());
        }
        _ => {}
    }
    let judge = if role == Role::Judge { judge } else { None };
    Ok((role, court, judge))
}

pub fn check_password(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "the password must have at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(format!(
            "the password must have at most {MAX_PASSWORD_BYTES} bytes"
        ));
    }
    Ok(())
}

/// A random password of 12 letters and digits, without look-alikes (0/O, 1/l/I).
pub fn random_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..12)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// A checked account with its argon2id password hash.
pub fn new_user(
    input: &UserInput,
    password: &str,
    created_at: String,
) -> Result<UserRecord, String> {
    let (role, court_code, judge_name) = check_user(input)?;
    check_password(password)?;
    Ok(UserRecord {
        username: input.username.trim().to_owned(),
        password_hash: crate::auth::hash_password(password),
        role,
        court_code,
        judge_name,
        disabled: false,
        created_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(role: &str, court: Option<&str>, judge: Option<&str>) -> UserInput {
        UserInput {
            username: "clerk".into(),
            role: role.into(),
            court_code: court.map(Into::into),
            judge_name: judge.map(Into::into),
        }
    }

    #[test]
    fn staff_need_a_court_and_judges_a_court_and_a_name() {
        assert!(check_user(&input("staff", None, None)).is_err());
        assert!(check_user(&input("staff", Some("皖0202"), None)).is_ok());
        assert!(check_user(&input("judge", Some("皖0202"), None)).is_err());
        let (role, court, judge) =
            check_user(&input("judge", Some("皖0202"), Some("张明"))).unwrap();
        assert_eq!(
            (role, court.as_deref(), judge.as_deref()),
            (Role::Judge, Some("皖0202"), Some("张明"))
        );
        assert!(check_user(&input("admin", None, None)).is_ok());
    }

    #[test]
    fn unknown_roles_and_garbled_courts_are_refused() {
        assert!(
            check_user(&input("root", None, None))
                .unwrap_err()
                .contains("角色“root”无法识别")
        );
        let garbled = check_user(&input("staff", Some("xyz"), None)).unwrap_err();
        assert!(garbled.starts_with("法院代字“xyz”无效："), "{garbled}");
    }

    #[test]
    fn short_and_overlong_passwords_are_refused_and_the_hash_is_argon2id() {
        assert!(new_user(&input("admin", None, None), "short", String::new()).is_err());
        assert!(check_password(&"x".repeat(MAX_PASSWORD_BYTES)).is_ok());
        // A longer one could never sign in: sign-in refuses it unread.
        assert!(
            check_password(&"x".repeat(MAX_PASSWORD_BYTES + 1))
                .unwrap_err()
                .contains("at most 1024 bytes")
        );
        let user = new_user(&input("admin", None, None), "long enough", String::new()).unwrap();
        assert!(user.password_hash.starts_with("$argon2id$"));
        assert!(crate::auth::verify_password(
            "long enough",
            &user.password_hash
        ));
    }
}
