//! `Field::deliver` adds up to four things, each committed on its own: the sealed media, a
//! next key, the report, and the order's stub in place of the order. When a step in the
//! middle fails (here: the container is full), nothing staged may remain and everything
//! the vault held before must be as it was.

use super::*;
use crate::hub::Hub;
use crate::staged::tests::without_undo;
use lethe_vault::{KdfParams, MemStorage, Passphrase, fill_with_random};

const T0: u64 = 1_795_683_600;
const PASS: &[u8] = b"field passphrase";

fn fresh(len: usize) -> (MemStorage, Vault<MemStorage>) {
    let mut mem = MemStorage::new(vec![0u8; len]);
    fill_with_random(&mut mem).unwrap();
    let vault = Vault::init(mem.clone(), &Passphrase::new(PASS), KdfParams::INSECURE_TEST_ONLY).unwrap();
    (mem, vault)
}

/// A field vault of 1 MiB, paired, holding one order; its bytes and the order's code.
fn field_with_an_order() -> (Vec<u8>, OrderCode) {
    let (_, mut hub) = fresh(1 << 20);
    let (field_mem, mut field) = fresh(1 << 20);
    let hub_key = Hub::init(&mut hub, T0).unwrap().public_key().to_text();
    let field_key = Field::init(&mut field, T0).unwrap().public_key().to_text();
    Hub::open(&mut hub, T0).unwrap().add_broker("mina", &field_key).unwrap();
    Field::open(&mut field, T0).unwrap().pair(&hub_key).unwrap();
    let form = crate::form::OrderForm::parse(
        "alias: 큰 언니\nplace: 혜산 시장 동쪽\namount: 100000\ncurrency: KRW\nfee: 1000\n\
         deadline: 2026-12-20\nquestion: 강아지 이름은?\nanswer: 바둑이\n",
    )
    .unwrap();
    let text = {
        let mut hub = Hub::open(&mut hub, T0).unwrap();
        let code = hub.create_order("mina", &form).unwrap();
        (hub.send_orders("mina", false).unwrap().text(), code)
    };
    Field::open(&mut field, T0 + 60).unwrap().receive(&text.0).unwrap();
    drop(field);
    (field_mem.snapshot(), text.1)
}

/// Every item the vault holds: id, kind, name, size and content.
fn contents(vault: &Vault<MemStorage>) -> Vec<(ItemId, String, u64, Vec<u8>)> {
    let mut all: Vec<_> = vault
        .list()
        .into_iter()
        .map(|i| (i.id, i.name.clone(), i.size, vault.read(i.id).unwrap().as_slice().to_vec()))
        .collect();
    all.sort_by_key(|(id, ..)| *id);
    all
}

/// Delivers `code` with `media_len` bytes of media on a copy of `image`. `None` if it
/// worked; else whether the vault, reopened, holds exactly what it held before (same
/// items, same bytes, same free space).
fn failed_delivery_left_all_as_before(image: &[u8], code: OrderCode, media_len: usize) -> Option<bool> {
    let mem = MemStorage::new(image.to_vec());
    let open = || Vault::open(mem.clone(), &Passphrase::new(PASS), KdfParams::INSECURE_TEST_ONLY).unwrap();
    let mut vault = open();
    let before = (contents(&vault), vault.free_bytes());
    let media = vec![0x5au8; media_len];
    let result = Field::open(&mut vault, T0 + 120).unwrap().deliver(
        Delivery {
            code,
            amount_minor: None,
            answer: "바둑이",
            media: Some(DeliveryMedia::Unstripped { reader: &mut &media[..], len: media_len as u64 }),
        },
        &mut |_, _| {},
    );
    result.err()?;
    drop(vault);
    let vault = open();
    Some((contents(&vault), vault.free_bytes()) == before)
}

#[test]
fn a_delivery_that_fails_midway_leaves_the_vault_as_it_was() {
    let (image, code) = field_with_an_order();
    let free = {
        let mem = MemStorage::new(image.clone());
        Vault::open(mem, &Passphrase::new(PASS), KdfParams::INSECURE_TEST_ONLY).unwrap().free_bytes() as usize
    };
    // From media that does not fit at all down to media that leaves room for everything:
    // on the way, the media fits and a later step (next key, report or stub) does not.
    let sizes: Vec<usize> = (0..48).map(|k| free.saturating_sub(k * 1024)).collect();
    let mut failed = 0;
    let mut succeeded = 0;
    for &len in &sizes {
        match failed_delivery_left_all_as_before(&image, code, len) {
            Some(intact) => {
                assert!(intact, "a delivery with {len} bytes of media failed and left the vault changed");
                failed += 1;
            }
            None => succeeded += 1,
        }
    }
    assert!(failed > 0 && succeeded > 0, "the sizes must span the full container: {failed} failed, {succeeded} worked");

    // Positive control: without the guard's undo, some of those failures leave staged
    // items behind (so the sweep does reach the steps after the media).
    let left_behind = without_undo(|| {
        sizes.iter().filter(|&&len| failed_delivery_left_all_as_before(&image, code, len) == Some(false)).count()
    });
    assert!(left_behind > 0, "control: without the undo, a failure midway must leave something behind");
}
