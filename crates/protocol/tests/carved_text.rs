//! Issue 10: a message's text carved from a chat database (or decoded from a QR image)
//! must not be recognisable as lethe's by anyone without the pairing's key.
//!
//! 100,000 random base32 strings, with lengths drawn from real messages, against 2,000 real
//! sealed messages armored with the keyed check, under every check that needs no key:
//!
//! 1. the public CRC-32 of version 1 (the whole `dearmor` check, padding included);
//! 2. the zero padding bits of the last symbol;
//! 3. the distribution of the last symbol, and of the seven symbols that carry the check
//!    value (chi-square test of homogeneity, 31 degrees of freedom).
//!
//! Positive control: the same checks against 2,000 messages armored the old way (public
//! CRC) must separate them from random strings, every time. What no check here covers:
//! the first 32 bytes are an X25519 point, which a curve-membership test tells apart from
//! random about half the time (docs/PROTOCOL.md, *Properties and limits*).

use lethe_protocol::{CheckKey, IdentityKeyPair, armor_compact, armor_compact_keyed, dearmor, seal};

const RANDOM_STRINGS: usize = 100_000;
const REAL_MESSAGES: usize = 2_000;
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Chi-square critical value for 31 degrees of freedom at p = 0.001.
const CHI2_31_P001: f64 = 61.098;

/// xorshift64* seeded from the operating system: statistical quality is all a random
/// string needs here.
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let mut seed = [0u8; 8];
        getrandom::fill(&mut seed).unwrap();
        Rng(u64::from_le_bytes(seed) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn value(symbol: u8) -> usize {
    ALPHABET.iter().position(|&a| a == symbol).unwrap()
}

/// Real sealed messages of varied length, armored under one of ten pairings' keys
/// (`keyed`) or with the public CRC (`!keyed`).
fn real_messages(rng: &mut Rng, keyed: bool) -> Vec<String> {
    let hub = IdentityKeyPair::generate().unwrap();
    let field = IdentityKeyPair::generate().unwrap();
    let keys: Vec<CheckKey> = (0..10)
        .map(|_| {
            let mut channel = [0u8; 32];
            getrandom::fill(&mut channel).unwrap();
            CheckKey::from_channel_key(&channel)
        })
        .collect();
    (0..REAL_MESSAGES)
        .map(|i| {
            let plaintext = vec![0x5Au8; 20 + rng.below(300)];
            let sealed = seal(field.secret(), hub.public_key(), &plaintext).unwrap();
            if keyed { armor_compact_keyed(&sealed, &keys[i % keys.len()]) } else { armor_compact(&sealed) }
        })
        .collect()
}

fn random_strings(rng: &mut Rng, lengths_from: &[String]) -> Vec<String> {
    (0..RANDOM_STRINGS)
        .map(|_| {
            let len = lengths_from[rng.below(lengths_from.len())].len();
            (0..len).map(|_| char::from(ALPHABET[rng.below(32)])).collect()
        })
        .collect()
}

/// Fraction of texts that pass the public CRC check.
fn crc_pass(texts: &[String]) -> f64 {
    texts.iter().filter(|t| dearmor(t).is_ok()).count() as f64 / texts.len() as f64
}

/// Fraction of texts whose padding bits are all zero.
fn zero_padding(texts: &[String]) -> f64 {
    let zero = texts
        .iter()
        .filter(|t| {
            let pad_bits = (t.len() * 5) % 8;
            value(*t.as_bytes().last().unwrap()) & ((1 << pad_bits) - 1) == 0
        })
        .count();
    zero as f64 / texts.len() as f64
}

/// Chi-square statistic of homogeneity between the symbol counts of `a` and `b` over the
/// symbols picked by `pick`.
fn chi_square(a: &[String], b: &[String], pick: impl Fn(&[u8]) -> Vec<u8>) -> f64 {
    let count = |texts: &[String]| {
        let mut counts = [0f64; 32];
        for t in texts {
            for s in pick(t.as_bytes()) {
                counts[value(s)] += 1.0;
            }
        }
        counts
    };
    let (ca, cb) = (count(a), count(b));
    let (na, nb): (f64, f64) = (ca.iter().sum(), cb.iter().sum());
    let mut chi = 0.0;
    for s in 0..32 {
        let total = ca[s] + cb[s];
        if total == 0.0 {
            continue;
        }
        let (ea, eb) = (total * na / (na + nb), total * nb / (na + nb));
        chi += (ca[s] - ea).powi(2) / ea + (cb[s] - eb).powi(2) / eb;
    }
    chi
}

/// Two-proportion z statistic.
fn z(p1: f64, n1: usize, p2: f64, n2: usize) -> f64 {
    let p = (p1 * n1 as f64 + p2 * n2 as f64) / (n1 + n2) as f64;
    let se = (p * (1.0 - p) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
    if se == 0.0 { 0.0 } else { (p1 - p2) / se }
}

fn last_symbol(t: &[u8]) -> Vec<u8> {
    vec![t[t.len() - 1]]
}

fn check_symbols(t: &[u8]) -> Vec<u8> {
    t[t.len() - 7..].to_vec()
}

#[test]
fn carved_messages_cannot_be_told_from_random_base32_without_the_key() {
    let mut rng = Rng::new();
    let keyed = real_messages(&mut rng, true);
    let old = real_messages(&mut rng, false);
    let random = random_strings(&mut rng, &keyed);

    // 1. The public CRC: old messages all pass, random strings (almost) never; keyed
    //    messages pass no more often than random strings.
    let (crc_old, crc_keyed, crc_random) = (crc_pass(&old), crc_pass(&keyed), crc_pass(&random));
    eprintln!("CRC check passes: old {crc_old:.4}, keyed {crc_keyed:.6}, random {crc_random:.6}");
    assert_eq!(crc_old, 1.0, "positive control: the CRC marks every old message");
    assert!(crc_random < 0.001);
    assert!(crc_keyed < 0.001, "the CRC check recognises keyed messages");

    // 2. Zero padding bits.
    let (pad_old, pad_keyed, pad_random) = (zero_padding(&old), zero_padding(&keyed), zero_padding(&random));
    let z_pad = z(pad_keyed, keyed.len(), pad_random, random.len());
    let z_pad_old = z(pad_old, old.len(), pad_random, random.len());
    eprintln!(
        "zero padding: old {pad_old:.4}, keyed {pad_keyed:.4}, random {pad_random:.4}; z keyed {z_pad:.2}, z old {z_pad_old:.2}"
    );
    assert_eq!(pad_old, 1.0, "positive control: old messages always have zero padding");
    assert!(z_pad_old > 10.0, "positive control separates");
    // |z| < 3.29 is p > 0.001 (two-sided).
    assert!(z_pad.abs() < 3.29, "zero padding separates keyed messages from random (z = {z_pad:.2})");

    // 3. Symbol distributions of the last symbol and of the check symbols.
    for (what, pick) in [("last symbol", last_symbol as fn(&[u8]) -> Vec<u8>), ("check symbols", check_symbols)] {
        let chi_keyed = chi_square(&keyed, &random, pick);
        let chi_old = chi_square(&old, &random, pick);
        eprintln!("{what}: chi-square (31 df) keyed vs random {chi_keyed:.1}, old vs random {chi_old:.1}");
        assert!(chi_keyed < CHI2_31_P001, "{what} separates keyed messages from random (chi2 = {chi_keyed:.1})");
        if what == "last symbol" {
            assert!(chi_old > CHI2_31_P001, "positive control: the old last symbol is biased");
        }
    }
}

#[test]
fn typing_errors_are_still_caught_with_the_key() {
    use lethe_protocol::{ArmorError, Checked, dearmor_keyed};
    let mut rng = Rng::new();
    let mut channel = [0u8; 32];
    getrandom::fill(&mut channel).unwrap();
    let key = CheckKey::from_channel_key(&channel);
    let other = CheckKey::from_channel_key(&[1; 32]);
    let payload: Vec<u8> = (0..91).map(|_| rng.next() as u8).collect();
    let text = armor_compact_keyed(&payload, &key);
    assert_eq!(dearmor_keyed(&text, &[other.clone(), key.clone()]).unwrap(), (payload.clone(), Checked::Key(1)));
    // The old CRC form is still read (messages of version 1 in flight).
    assert_eq!(
        dearmor_keyed(&armor_compact(&payload), std::slice::from_ref(&key)).unwrap(),
        (payload.clone(), Checked::Crc)
    );
    // Every single-symbol substitution is caught (each with probability 1 - 2^-32).
    let bytes = text.as_bytes();
    let mut caught = 0;
    let mut tried = 0;
    for at in 0..bytes.len() {
        for &s in ALPHABET {
            if s == bytes[at] {
                continue;
            }
            let mut typo = bytes.to_vec();
            typo[at] = s;
            tried += 1;
            if dearmor_keyed(std::str::from_utf8(&typo).unwrap(), std::slice::from_ref(&key))
                == Err(ArmorError::ChecksumMismatch)
            {
                caught += 1;
            }
        }
    }
    assert_eq!(caught, tried, "a substitution got through");
    // And every adjacent transposition.
    for at in 0..bytes.len() - 1 {
        if bytes[at] == bytes[at + 1] {
            continue;
        }
        let mut swapped = bytes.to_vec();
        swapped.swap(at, at + 1);
        assert_eq!(
            dearmor_keyed(std::str::from_utf8(&swapped).unwrap(), std::slice::from_ref(&key)),
            Err(ArmorError::ChecksumMismatch)
        );
    }
    // Without the key, the text reads as a checksum mismatch.
    assert_eq!(dearmor_keyed(&text, &[other]), Err(ArmorError::ChecksumMismatch));
}
