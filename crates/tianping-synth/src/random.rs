//! Random helpers. Every stream is a ChaCha8 generator seeded from the configuration's seed and
//! a fixed (domain, index) pair, so each court draws from its own stream: the output depends on
//! the seed and the configuration only, never on the order in which anything else ran.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub(crate) type SynthRng = ChaCha8Rng;

/// SplitMix64 finaliser: spreads nearby seeds over the whole seed space.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The random stream of `(domain, index)` under `seed`.
pub(crate) fn stream(seed: u64, domain: u64, index: u64) -> SynthRng {
    SynthRng::seed_from_u64(mix(mix(mix(seed) ^ domain) ^ index))
}

pub(crate) fn chance(rng: &mut SynthRng, p: f64) -> bool {
    rng.random::<f64>() < p
}

/// A standard normal variate (Box-Muller).
pub(crate) fn normal(rng: &mut SynthRng) -> f64 {
    let u1 = 1.0 - rng.random::<f64>(); // (0, 1]
    let u2 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Log-normal with the given median: amounts and durations have long right tails.
pub(crate) fn lognormal(rng: &mut SynthRng, median: f64, sigma: f64) -> f64 {
    median * (sigma * normal(rng)).exp()
}

/// Triangular on `[lo, hi]` with its peak at `mode`.
pub(crate) fn triangular(rng: &mut SynthRng, (lo, mode, hi): (f64, f64, f64)) -> f64 {
    let u = rng.random::<f64>();
    if hi <= lo {
        return lo;
    }
    let split = (mode - lo) / (hi - lo);
    if u < split {
        lo + ((hi - lo) * (mode - lo) * u).sqrt()
    } else {
        hi - ((hi - lo) * (hi - mode) * (1.0 - u)).sqrt()
    }
}

/// An integer uniformly in `lo..=hi` (`lo` when the range is empty).
pub(crate) fn between(rng: &mut SynthRng, lo: i64, hi: i64) -> i64 {
    if hi <= lo {
        lo
    } else {
        rng.random_range(lo..=hi)
    }
}

/// One item of a short weighted list.
pub(crate) fn pick<'a, T>(rng: &mut SynthRng, items: &'a [T], weight: impl Fn(&T) -> f64) -> &'a T {
    let total: f64 = items.iter().map(&weight).sum();
    let mut target = rng.random::<f64>() * total;
    for item in items {
        let w = weight(item);
        if target < w {
            return item;
        }
        target -= w;
    }
    items.last().expect("a weighted list is never empty")
}
