//! Matters and repeat petitions (`workflows.md` §2.4). A petition entered without a `matter_id`
//! joins, in this order: the matter of the petition it contests (`original_petition_id`); else,
//! when it names its petitioner and a case, the matter of the latest earlier petition (any court)
//! of the same petitioner about the same case received at most `repeat_window_days` before it;
//! else a new matter named after itself. Petitions are taken in order of (received_date,
//! petition_id). A petition is a repeat (重复信访, 条例 art. 19 ¶3, art. 36 ¶3) when its matter has
//! an earlier petition.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;
use tianping_domain::dates::days_between;

use super::model::{Matter, Petition};

fn order(p: &Petition) -> (NaiveDate, &str) {
    (p.received_date, p.petition_id.as_str())
}

/// Give every petition without a matter its matter (§2.4), in (received_date, petition_id)
/// order, looking at every petition of `petitions` (those stored and those being entered).
/// Petitions with a matter keep it.
pub fn assign_matters(petitions: &mut [Petition], repeat_window_days: u32) {
    let mut indices: Vec<usize> = (0..petitions.len()).collect();
    indices.sort_by(|&a, &b| order(&petitions[a]).cmp(&order(&petitions[b])));
    let position: HashMap<String, usize> = petitions
        .iter()
        .enumerate()
        .map(|(i, p)| (p.petition_id.clone(), i))
        .collect();
    // The petitions seen so far by (petitioner, case): (received, index), in order.
    let mut by_person_case: HashMap<(String, String), Vec<(NaiveDate, usize)>> = HashMap::new();
    for i in indices {
        if petitions[i].matter_id.is_none() {
            let p = &petitions[i];
            let of_original = p
                .original_petition_id
                .as_ref()
                .and_then(|id| position.get(id))
                .and_then(|&o| petitions[o].matter_id.clone());
            let of_earlier = || {
                let key = (p.petitioner_id.clone()?, p.case_number.clone()?);
                by_person_case
                    .get(&key)?
                    .iter()
                    .rev()
                    .find_map(|(received, j)| {
                        (days_between(*received, p.received_date) <= i64::from(repeat_window_days))
                            .then(|| petitions[*j].matter_id.clone())
                            .flatten()
                    })
            };
            let matter = of_original
                .or_else(of_earlier)
                .unwrap_or_else(|| p.petition_id.clone());
            petitions[i].matter_id = Some(matter);
        }
        let p = &petitions[i];
        if let (Some(person), Some(case)) = (&p.petitioner_id, &p.case_number) {
            by_person_case
                .entry((person.clone(), case.clone()))
                .or_default()
                .push((p.received_date, i));
        }
    }
}

/// The petitions that are repeats: their matter has an earlier petition.
pub fn repeats(petitions: &[Petition]) -> HashSet<String> {
    let mut first: HashMap<&str, (NaiveDate, &str)> = HashMap::new();
    for p in petitions {
        let Some(matter) = p.matter_id.as_deref() else {
            continue;
        };
        let key = order(p);
        first
            .entry(matter)
            .and_modify(|f| {
                if key < *f {
                    *f = key;
                }
            })
            .or_insert(key);
    }
    petitions
        .iter()
        .filter(|p| {
            p.matter_id
                .as_deref()
                .and_then(|m| first.get(m))
                .is_some_and(|f| *f < order(p))
        })
        .map(|p| p.petition_id.clone())
        .collect()
}

/// A matter as the indicators and pages see it: the stored fields, with the court, the opening
/// date and the 涉诉 flag taken from its petitions where not given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatterView {
    pub matter_id: String,
    pub court_code: String,
    pub case_number: Option<String>,
    pub opened_date: NaiveDate,
    pub resolved_date: Option<NaiveDate>,
    pub resolution: Option<String>,
    /// True when any of its petitions is 涉诉 or the matter names a case.
    pub litigation_related: bool,
    /// Its petitions' ids, oldest first.
    pub petitions: Vec<String>,
}

impl MatterView {
    /// Resolved by `as_of` (a resolution dated later is not known yet).
    pub fn resolved_at(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        self.resolved_date.filter(|d| *d <= as_of)
    }
}

/// Every matter: the stored ones and those only named by petitions, by id. A matter with neither
/// an opening date nor a petition is left out (it has no date to count from).
pub fn matter_views(matters: &[Matter], petitions: &[Petition]) -> Vec<MatterView> {
    let mut members: BTreeMap<&str, Vec<&Petition>> = BTreeMap::new();
    for p in petitions {
        if let Some(m) = p.matter_id.as_deref() {
            members.entry(m).or_default().push(p);
        }
    }
    for list in members.values_mut() {
        list.sort_by(|a, b| order(a).cmp(&order(b)));
    }
    let stored: HashMap<&str, &Matter> =
        matters.iter().map(|m| (m.matter_id.as_str(), m)).collect();
    let mut ids: Vec<&str> = stored
        .keys()
        .copied()
        .chain(members.keys().copied())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| {
            let own = stored.get(id);
            let list = members.get(id).map(Vec::as_slice).unwrap_or_default();
            let first = list.first();
            let opened = own
                .and_then(|m| m.opened_date)
                .or(first.map(|p| p.received_date))?;
            let court = own
                .and_then(|m| m.court_code.clone())
                .or(first.map(|p| p.court_code.clone()))?;
            let case_number = own
                .and_then(|m| m.case_number.clone())
                .or_else(|| list.iter().find_map(|p| p.case_number.clone()));
            Some(MatterView {
                matter_id: id.to_owned(),
                court_code: court,
                litigation_related: case_number.is_some()
                    || list.iter().any(|p| p.litigation_related),
                case_number,
                opened_date: opened,
                resolved_date: own.and_then(|m| m.resolved_date),
                resolution: own.and_then(|m| m.resolution.clone()),
                petitions: list.iter().map(|p| p.petition_id.clone()).collect(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::petitions::model::Channel;

    fn d(s: &str) -> NaiveDate {
        tianping_domain::dates::parse_date(s).unwrap()
    }

    fn p(id: &str, received: &str, person: Option<&str>, case: Option<&str>) -> Petition {
        let mut p = Petition::registered(
            id,
            "皖0202",
            d(received),
            Channel::Letter,
            "申诉求决",
            false,
        );
        p.petitioner_id = person.map(str::to_owned);
        p.case_number = case.map(str::to_owned);
        p
    }

    const CASE: &str = "（2022）皖0202民初88号";

    #[test]
    fn petitions_join_the_matter_of_their_original_then_of_the_same_person_and_case() {
        let mut list = vec![
            p("A", "2023-01-10", Some("P1"), Some(CASE)),
            // Same person and case within 365 days: joins A.
            p("B", "2023-06-01", Some("P1"), Some(CASE)),
            // Another person: a new matter.
            p("C", "2023-06-02", Some("P2"), Some(CASE)),
            // More than 365 days after B: a new matter.
            p("D", "2024-06-02", Some("P1"), Some(CASE)),
            // A 复查 of C: joins C's matter whatever its person.
            {
                let mut r = p("E", "2023-08-01", None, None);
                r.review_level = 1;
                r.original_petition_id = Some("C".into());
                r
            },
            // Given its matter: keeps it.
            {
                let mut g = p("F", "2023-02-01", Some("P1"), Some(CASE));
                g.matter_id = Some("M-OLD".into());
                g
            },
        ];
        assign_matters(&mut list, 365);
        let matter = |id: &str| {
            list.iter()
                .find(|p| p.petition_id == id)
                .and_then(|p| p.matter_id.clone())
                .unwrap()
        };
        assert_eq!(matter("A"), "A");
        // B's latest earlier petition of P1 about the case is F (2023-02-01), of M-OLD.
        assert_eq!(matter("B"), "M-OLD");
        assert_eq!(matter("C"), "C");
        assert_eq!(matter("D"), "D");
        assert_eq!(matter("E"), "C");
        assert_eq!(matter("F"), "M-OLD");
        let repeats = repeats(&list);
        let mut ids: Vec<&str> = repeats.iter().map(String::as_str).collect();
        ids.sort_unstable();
        assert_eq!(ids, ["B", "E"]);
        let views = matter_views(&[], &list);
        let c = views.iter().find(|m| m.matter_id == "C").unwrap();
        assert_eq!(c.petitions, ["C", "E"]);
        assert_eq!(c.opened_date, d("2023-06-02"));
        assert!(c.litigation_related, "C names a case");
    }

    #[test]
    fn the_window_is_counted_in_days_and_taken_in_order_of_receipt() {
        // Given out of order: still processed by receipt.
        let mut list = vec![
            p("Y", "2024-01-01", Some("P1"), Some(CASE)),
            p("X", "2023-01-01", Some("P1"), Some(CASE)),
        ];
        assign_matters(&mut list, 365);
        // 2023-01-01 → 2024-01-01 is 365 days: within the window.
        assert_eq!(list[0].matter_id.as_deref(), Some("X"));
        let mut list = vec![
            p("Y", "2024-01-02", Some("P1"), Some(CASE)),
            p("X", "2023-01-01", Some("P1"), Some(CASE)),
        ];
        assign_matters(&mut list, 365);
        assert_eq!(list[0].matter_id.as_deref(), Some("Y"));
    }
}
