//! Sign-in throttling by growing delays, kept in memory. Each attempt is counted when it begins
//! (before its password is checked), so concurrent guesses cannot slip past the count; a success
//! takes its count back.
//!
//! Two counts: one per address and account, and one per address across all accounts. After its
//! free failures a count makes the next attempt wait, twice as long after each further failure,
//! up to a cap. An attacker elsewhere therefore slows only their own attempts on an account, not
//! the owner's from their own address; and one address spraying many accounts is slowed by the
//! address's count. The records forget after a quiet period and are bounded in number.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The numbers of the throttle.
#[derive(Debug, Clone)]
pub struct ThrottlePolicy {
    /// Failures on one account from one address before the delays begin.
    pub account_failures: u32,
    /// Failures from one address, any accounts, before the delays begin. Higher: one address may
    /// be a whole office behind one router.
    pub address_failures: u32,
    /// The wait after the last free failure; it doubles with each further failure.
    pub first_delay: Duration,
    /// The longest wait.
    pub max_delay: Duration,
    /// A count is forgotten this long after its last failure (once its wait is over). Longer than
    /// `max_delay`, so that waiting out the longest delay does not buy a fresh set of free
    /// failures.
    pub forget_after: Duration,
    /// At most this many counts are kept; beyond, the oldest half is dropped.
    pub max_records: usize,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            account_failures: 5,
            address_failures: 20,
            first_delay: Duration::from_secs(30),
            max_delay: Duration::from_secs(15 * 60),
            forget_after: Duration::from_secs(3600),
            max_records: 100_000,
        }
    }
}

/// A refused attempt: how long to wait, and whether this refusal is the first of its wait (only
/// that one is audited, so that hammering a closed door does not fill the audit log).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    pub wait: Duration,
    pub audit: bool,
}

/// Where an attempt comes from: an IPv4 address, or the /64 network of an IPv6 address (one
/// subscriber's, whose 2^64 addresses would otherwise each get their own free failures). `None`
/// without connection information (requests not served from a socket).
type Origin = Option<IpAddr>;

fn origin(addr: Option<SocketAddr>) -> Origin {
    addr.map(|a| match a.ip().to_canonical() {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Address(Origin),
    Account(Origin, String),
}

#[derive(Debug)]
struct Record {
    failures: u32,
    last: Instant,
    refusal_audited: bool,
}

#[derive(Debug)]
struct Records {
    map: HashMap<Key, Record>,
    last_prune: Instant,
}

#[derive(Debug)]
pub struct Throttle {
    policy: ThrottlePolicy,
    records: Mutex<Records>,
}

/// How often forgotten counts are swept out.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

impl Throttle {
    pub fn new(policy: ThrottlePolicy) -> Throttle {
        Throttle {
            policy,
            records: Mutex::new(Records {
                map: HashMap::new(),
                last_prune: Instant::now(),
            }),
        }
    }

    /// Count an attempt on `username` from `addr` before its password is checked, or refuse it.
    pub fn reserve(&self, username: &str, addr: Option<SocketAddr>) -> Result<(), Refusal> {
        self.reserve_at(username, addr, Instant::now())
    }

    /// The attempt counted by [`Throttle::reserve`] succeeded: the account's count from this
    /// address is cleared, and the address's count takes the attempt back.
    pub fn succeeded(&self, username: &str, addr: Option<SocketAddr>) {
        let from = origin(addr);
        let mut records = self.records.lock().expect("throttle lock");
        records.map.remove(&Key::Account(from, username.to_owned()));
        if let Some(record) = records.map.get_mut(&Key::Address(from)) {
            record.failures = record.failures.saturating_sub(1);
        }
    }

    /// How many counts are kept.
    #[cfg(test)]
    fn records(&self) -> usize {
        self.records.lock().expect("throttle lock").map.len()
    }

    fn free_failures(&self, key: &Key) -> u32 {
        match key {
            Key::Address(_) => self.policy.address_failures,
            Key::Account(..) => self.policy.account_failures,
        }
    }

    /// When the next attempt may be made, if the count makes it wait.
    fn allowed_at(&self, key: &Key, record: &Record) -> Option<Instant> {
        let free = self.free_failures(key);
        if record.failures < free {
            return None;
        }
        let doublings = (record.failures - free).min(31);
        let delay = self
            .policy
            .first_delay
            .saturating_mul(1 << doublings)
            .min(self.policy.max_delay);
        Some(record.last + delay)
    }

    fn blocks(&self, key: &Key, record: &Record, now: Instant) -> Option<Duration> {
        self.allowed_at(key, record)
            .filter(|at| *at > now)
            .map(|at| at - now)
    }

    fn forgotten(&self, key: &Key, record: &Record, now: Instant) -> bool {
        now.saturating_duration_since(record.last) >= self.policy.forget_after
            && self.blocks(key, record, now).is_none()
    }

    fn reserve_at(
        &self,
        username: &str,
        addr: Option<SocketAddr>,
        now: Instant,
    ) -> Result<(), Refusal> {
        let from = origin(addr);
        let keys = [Key::Address(from), Key::Account(from, username.to_owned())];
        let mut records = self.records.lock().expect("throttle lock");
        self.prune(&mut records, now);
        let wait = keys
            .iter()
            .filter_map(|key| {
                let record = records.map.get(key)?;
                self.blocks(key, record, now)
            })
            .max();
        if let Some(wait) = wait {
            let mut audit = false;
            for key in &keys {
                if let Some(record) = records.map.get_mut(key)
                    && self.blocks(key, record, now).is_some()
                    && !record.refusal_audited
                {
                    record.refusal_audited = true;
                    audit = true;
                }
            }
            return Err(Refusal { wait, audit });
        }
        for key in keys {
            let forgotten = records
                .map
                .get(&key)
                .is_some_and(|record| self.forgotten(&key, record, now));
            let record = records.map.entry(key).or_insert(Record {
                failures: 0,
                last: now,
                refusal_audited: false,
            });
            if forgotten {
                record.failures = 0;
            }
            record.failures = record.failures.saturating_add(1);
            record.last = now;
            record.refusal_audited = false;
        }
        Ok(())
    }

    /// Drop forgotten counts now and then, and the oldest half when there are too many: the
    /// memory of the throttle is bounded whatever names and addresses are tried.
    fn prune(&self, records: &mut Records, now: Instant) {
        // Room for the two counts of the attempt about to be made.
        let full = records.map.len() + 2 > self.policy.max_records;
        if !full && now.saturating_duration_since(records.last_prune) < PRUNE_EVERY {
            return;
        }
        records.last_prune = now;
        records
            .map
            .retain(|key, record| !self.forgotten(key, record, now));
        if records.map.len() + 2 > self.policy.max_records {
            let mut lasts: Vec<Instant> = records.map.values().map(|r| r.last).collect();
            let middle = lasts.len() / 2;
            let (_, median, _) = lasts.select_nth_unstable(middle);
            let median = *median;
            records.map.retain(|_, record| record.last > median);
        }
    }
}

/// "30 秒" or "4 分钟": a wait as the sign-in page says it.
pub fn wait_text(wait: Duration) -> String {
    let secs = retry_after_secs(wait);
    if secs < 60 {
        format!("{secs} 秒")
    } else {
        format!("{} 分钟", secs.div_ceil(60))
    }
}

/// Whole seconds, rounded up, at least one: a `Retry-After` value.
pub fn retry_after_secs(wait: Duration) -> u64 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    secs.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ip: &str) -> Option<SocketAddr> {
        Some(SocketAddr::new(ip.parse().unwrap(), 40000))
    }

    fn policy() -> ThrottlePolicy {
        ThrottlePolicy::default()
    }

    #[test]
    fn five_failures_on_an_account_make_the_next_attempt_wait_and_the_wait_doubles() {
        let throttle = Throttle::new(policy());
        let t0 = Instant::now();
        for i in 0..5 {
            assert_eq!(
                throttle.reserve_at("clerk", at("10.0.0.1"), t0),
                Ok(()),
                "{i}"
            );
        }
        let refusal = throttle
            .reserve_at("clerk", at("10.0.0.1"), t0)
            .unwrap_err();
        assert_eq!(refusal.wait, Duration::from_secs(30));
        // After the wait, one more attempt; when it fails too, the next waits twice as long.
        let t1 = t0 + Duration::from_secs(30);
        assert_eq!(throttle.reserve_at("clerk", at("10.0.0.1"), t1), Ok(()));
        let refusal = throttle
            .reserve_at("clerk", at("10.0.0.1"), t1)
            .unwrap_err();
        assert_eq!(refusal.wait, Duration::from_secs(60));
        let mut t = t1;
        let mut waits = Vec::new();
        for _ in 0..8 {
            t += throttle
                .reserve_at("clerk", at("10.0.0.1"), t)
                .unwrap_err()
                .wait;
            assert_eq!(throttle.reserve_at("clerk", at("10.0.0.1"), t), Ok(()));
            waits.push(
                throttle
                    .reserve_at("clerk", at("10.0.0.1"), t)
                    .unwrap_err()
                    .wait
                    .as_secs(),
            );
        }
        assert_eq!(waits, [120, 240, 480, 900, 900, 900, 900, 900]);
    }

    #[test]
    fn an_accounts_failures_from_one_address_do_not_slow_its_owner_at_another() {
        let throttle = Throttle::new(policy());
        let t0 = Instant::now();
        for _ in 0..5 {
            throttle.reserve_at("admin", at("203.0.113.9"), t0).unwrap();
        }
        assert!(throttle.reserve_at("admin", at("203.0.113.9"), t0).is_err());
        assert_eq!(throttle.reserve_at("admin", at("10.1.2.3"), t0), Ok(()));
    }

    #[test]
    fn one_address_spraying_many_accounts_is_slowed_after_twenty_failures() {
        let throttle = Throttle::new(policy());
        let t0 = Instant::now();
        for i in 0..20 {
            assert_eq!(
                throttle.reserve_at(&format!("user{i}"), at("198.51.100.7"), t0),
                Ok(())
            );
        }
        let refusal = throttle
            .reserve_at("user20", at("198.51.100.7"), t0)
            .unwrap_err();
        assert_eq!(refusal.wait, Duration::from_secs(30));
        // The addresses of one IPv6 /64 are one address.
        for i in 0..20 {
            throttle
                .reserve_at(&format!("v6user{i}"), at(&format!("2001:db8::{i:x}")), t0)
                .unwrap();
        }
        assert!(
            throttle
                .reserve_at("v6user20", at("2001:db8::ffff"), t0)
                .is_err()
        );
        assert_eq!(
            throttle.reserve_at("v6user20", at("2001:db8:0:1::1"), t0),
            Ok(())
        );
    }

    #[test]
    fn a_success_clears_its_account_and_gives_the_address_its_attempt_back() {
        let throttle = Throttle::new(policy());
        let t0 = Instant::now();
        for _ in 0..4 {
            throttle.reserve_at("clerk", at("10.0.0.1"), t0).unwrap();
        }
        throttle.reserve_at("clerk", at("10.0.0.1"), t0).unwrap();
        throttle.succeeded("clerk", at("10.0.0.1"));
        for _ in 0..5 {
            assert_eq!(throttle.reserve_at("clerk", at("10.0.0.1"), t0), Ok(()));
        }
        // 4 failures + 5 = 9 on the address (the success took its attempt back), below 20.
        for i in 0..11 {
            assert_eq!(
                throttle.reserve_at(&format!("other{i}"), at("10.0.0.1"), t0),
                Ok(())
            );
        }
        assert!(throttle.reserve_at("other", at("10.0.0.1"), t0).is_err());
    }

    #[test]
    fn only_the_first_refusal_of_a_wait_is_audited() {
        let throttle = Throttle::new(policy());
        let t0 = Instant::now();
        for _ in 0..5 {
            throttle.reserve_at("clerk", at("10.0.0.1"), t0).unwrap();
        }
        let audits: Vec<bool> = (0..4)
            .map(|_| {
                throttle
                    .reserve_at("clerk", at("10.0.0.1"), t0)
                    .unwrap_err()
                    .audit
            })
            .collect();
        assert_eq!(audits, [true, false, false, false]);
        let t1 = t0 + Duration::from_secs(30);
        throttle.reserve_at("clerk", at("10.0.0.1"), t1).unwrap();
        assert!(
            throttle
                .reserve_at("clerk", at("10.0.0.1"), t1)
                .unwrap_err()
                .audit
        );
    }

    #[test]
    fn counts_are_forgotten_after_a_quiet_hour_and_never_exceed_the_bound() {
        let throttle = Throttle::new(ThrottlePolicy {
            max_records: 1000,
            ..policy()
        });
        let t0 = Instant::now();
        for _ in 0..5 {
            throttle.reserve_at("clerk", at("10.0.0.1"), t0).unwrap();
        }
        assert!(throttle.reserve_at("clerk", at("10.0.0.1"), t0).is_err());
        let later = t0 + Duration::from_secs(3600);
        for _ in 0..5 {
            assert_eq!(throttle.reserve_at("clerk", at("10.0.0.1"), later), Ok(()));
        }
        // The sweep drops what is forgotten.
        let much_later = later + Duration::from_secs(2 * 3600);
        throttle
            .reserve_at("x", at("10.0.0.2"), much_later)
            .unwrap();
        assert_eq!(throttle.records(), 2, "only the new attempt's two counts");
        // Many names from many addresses: the number of counts stays bounded.
        for i in 0..10_000u32 {
            let ip = format!("10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255);
            throttle
                .reserve_at(
                    &format!("name{i}"),
                    at(&ip),
                    much_later + Duration::from_millis(i.into()),
                )
                .unwrap();
            assert!(throttle.records() <= 1000, "{}", throttle.records());
        }
    }

    #[test]
    fn waits_read_in_seconds_or_whole_minutes() {
        assert_eq!(wait_text(Duration::from_secs(30)), "30 秒");
        assert_eq!(wait_text(Duration::from_millis(29_001)), "30 秒");
        assert_eq!(wait_text(Duration::from_secs(61)), "2 分钟");
        assert_eq!(wait_text(Duration::from_secs(900)), "15 分钟");
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
    }
}
