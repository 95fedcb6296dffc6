//! Amounts in the workflow records' JSON as the exchange files write them: yuan with two
//! decimals as a string (`"500.00"`), so that a record's JSON, its export and its import agree
//! and no reader mistakes fen for yuan. `#[serde(with = "crate::core::yuan")]`, and
//! `crate::core::yuan::option` for an optional amount.

use serde::de::Error;
use serde::{Deserialize, Deserializer, Serializer};
use tianping_domain::Money;

pub fn serialize<S: Serializer>(money: &Money, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&money.to_string())
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
    let text = String::deserialize(d)?;
    Money::parse(&text).map_err(D::Error::custom)
}

pub mod option {
    use super::*;

    pub fn serialize<S: Serializer>(money: &Option<Money>, s: S) -> Result<S::Ok, S::Error> {
        match money {
            Some(m) => s.serialize_str(&m.to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Money>, D::Error> {
        match Option::<String>::deserialize(d)? {
            Some(text) => Money::parse(&text).map(Some).map_err(D::Error::custom),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use tianping_domain::Money;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Row {
        #[serde(with = "super")]
        amount: Money,
        #[serde(with = "super::option", default)]
        paid: Option<Money>,
    }

    #[test]
    fn amounts_travel_as_yuan() {
        let row = Row {
            amount: Money(123_450),
            paid: None,
        };
        let text = serde_json::to_string(&row).unwrap();
        assert_eq!(text, r#"{"amount":"1234.50","paid":null}"#);
        assert_eq!(serde_json::from_str::<Row>(&text).unwrap(), row);
        let back: Row = serde_json::from_str(r#"{"amount":"12.5万元"}"#).unwrap();
        assert_eq!(back.amount, Money(12_500_000));
    }
}
