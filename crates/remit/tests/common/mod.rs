//! Shared set-up of the remit tests: two in-memory vaults (hub and field), a photo with
//! markers, and byte searches like an examiner's string search.
#![allow(dead_code)]

use lethe_remit::{Field, Hub, OrderForm};
use lethe_vault::{KdfParams, MemStorage, Passphrase, Vault, fill_with_random};

/// 2026-11-26 09:00 UTC.
pub const T0: u64 = 1_795_683_600;
pub const HOUR: u64 = 3600;
pub const DAY: u64 = 86_400;
pub const HUB_PASS: &str = "hub passphrase";
pub const FIELD_PASS: &str = "field passphrase";
pub const BROKER: &str = "mina";

pub fn fresh(pass: &str) -> (MemStorage, Vault<MemStorage>) {
    let mut mem = MemStorage::new(vec![0u8; 4 << 20]);
    fill_with_random(&mut mem).unwrap();
    let vault = Vault::init(mem.clone(), &Passphrase::new(pass.as_bytes()), KdfParams::INSECURE_TEST_ONLY).unwrap();
    (mem, vault)
}

pub fn reopen(mem: &MemStorage, pass: &str) -> Vault<MemStorage> {
    Vault::open(mem.clone(), &Passphrase::new(pass.as_bytes()), KdfParams::INSECURE_TEST_ONLY).unwrap()
}

pub struct Bed {
    pub hub_mem: MemStorage,
    pub hub: Vault<MemStorage>,
    pub field_mem: MemStorage,
    pub field: Vault<MemStorage>,
}

/// A hub and a field broker "mina", paired; the safety codes are checked equal.
pub fn paired() -> Bed {
    let (hub_mem, mut hub) = fresh(HUB_PASS);
    let (field_mem, mut field) = fresh(FIELD_PASS);
    let hub_key = Hub::init(&mut hub, T0).unwrap().public_key().to_text();
    let field_key = Field::init(&mut field, T0).unwrap().public_key().to_text();
    let broker = Hub::open(&mut hub, T0).unwrap().add_broker(BROKER, &field_key).unwrap();
    let code = Field::open(&mut field, T0).unwrap().pair(&hub_key).unwrap();
    assert_eq!(broker.safety_code, code);
    Bed { hub_mem, hub, field_mem, field }
}

pub fn form(alias: &str, amount: &str, fee: &str, currency: &str, question: &str, answer: &str) -> OrderForm {
    OrderForm::parse(&format!(
        "alias: {alias}\nplace: 혜산 시장 동쪽\namount: {amount}\ncurrency: {currency}\nfee: {fee}\n\
         deadline: 2026-12-20\nquestion: {question}\nanswer: {answer}\n"
    ))
    .unwrap()
}

/// A small JPEG whose scan data holds `scan_marker` (it survives metadata stripping, as
/// the picture itself would) and whose EXIF and comment hold `metadata_marker` (it must
/// not survive).
pub fn photo(scan_marker: &str, metadata_marker: &str) -> Vec<u8> {
    fn segment(out: &mut Vec<u8>, marker: u8, contents: &[u8]) {
        out.extend_from_slice(&[0xFF, marker]);
        out.extend_from_slice(&((contents.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(contents);
    }
    let mut jpeg = vec![0xFF, 0xD8];
    let mut exif = b"Exif\0\0GPS ".to_vec();
    exif.extend_from_slice(metadata_marker.as_bytes());
    segment(&mut jpeg, 0xE1, &exif);
    segment(&mut jpeg, 0xFE, format!("comment {metadata_marker}").as_bytes());
    let mut dqt = vec![0u8];
    dqt.extend_from_slice(&[1u8; 64]);
    segment(&mut jpeg, 0xDB, &dqt);
    segment(&mut jpeg, 0xC0, &[8, 0, 8, 0, 8, 1, 1, 0x11, 0]);
    let mut dht = vec![0u8, 1];
    dht.extend_from_slice(&[0u8; 15]);
    dht.push(0);
    segment(&mut jpeg, 0xC4, &dht);
    segment(&mut jpeg, 0xDA, &[1, 1, 0x00, 0, 63, 0]);
    jpeg.extend_from_slice(b"scan ");
    jpeg.extend_from_slice(scan_marker.as_bytes());
    jpeg.extend_from_slice(&[0x12, 0x34, 0x56]);
    jpeg.extend_from_slice(&[0xFF, 0xD9]);
    jpeg
}

/// Whether `needle` occurs in `haystack` as UTF-8, UTF-16LE or UTF-16BE (what a string
/// search tool looks for).
pub fn contains_text(haystack: &[u8], needle: &str) -> bool {
    let utf16: Vec<u16> = needle.encode_utf16().collect();
    let le: Vec<u8> = utf16.iter().flat_map(|u| u.to_le_bytes()).collect();
    let be: Vec<u8> = utf16.iter().flat_map(|u| u.to_be_bytes()).collect();
    [needle.as_bytes().to_vec(), le, be].iter().any(|n| !n.is_empty() && haystack.windows(n.len()).any(|w| w == &n[..]))
}

/// Everything the passphrase of `vault` shows: every item's name and content, joined.
pub fn everything_readable(vault: &Vault<MemStorage>) -> Vec<u8> {
    let mut all = Vec::new();
    for item in vault.list() {
        all.extend_from_slice(item.name.as_bytes());
        all.push(0);
        all.extend_from_slice(vault.read(item.id).unwrap().as_slice());
        all.push(0);
    }
    all
}

/// The secret halves of every key the field's vault holds (read from its key records:
/// version byte, then the 32-byte secret), as an examiner with the passphrase would.
pub fn field_secrets(vault: &Vault<MemStorage>) -> Vec<lethe_protocol::IdentitySecret> {
    vault
        .list()
        .into_iter()
        .filter(|i| i.name == "remit.field.key")
        .map(|i| {
            let bytes = vault.read(i.id).unwrap();
            lethe_protocol::IdentitySecret::from_bytes(bytes.as_slice()[1..33].try_into().unwrap())
        })
        .collect()
}

/// A report message made by hand with the field's keys, as an altered or older field
/// program could send it: one sealed message per field key (the hub knows one of them).
pub fn forged_reports(
    field: &Vault<MemStorage>,
    hub: &lethe_protocol::PublicKey,
    report: lethe_protocol::DeliveryReport,
    now_minutes: u32,
) -> Vec<String> {
    use lethe_protocol::message::{Message, Payload};
    let message = Message::new(Payload::Reports(vec![report]), now_minutes).unwrap();
    let plaintext = message.encode().unwrap();
    field_secrets(field)
        .iter()
        .map(|secret| lethe_protocol::armor(&lethe_protocol::seal(secret, hub, &plaintext).unwrap()))
        .collect()
}
