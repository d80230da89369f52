//! Issue 13 point 2 ("one image: the decoy's visible history is consistent with decoy-only
//! use") with the remit layer: opening a hidden compartment's role also runs the open-time
//! retention of the decoy below it, with the decoy's own settings, in the same session. After
//! hidden-only use for longer than the decoy's retention the decoy shows what decoy-only use
//! leaves: the same expired orders gone, the same items, the same epoch (every write of the
//! decoy's retention is a level 0 commit, so equal epochs mean the same number of commits).
//! Control: with the previous behaviour (`Field::open_own`, the hidden compartment's retention
//! only) the expired decoy orders are still there and the epoch differs.

mod common;

use common::*;
use lethe_remit::{Field, Hub};
use lethe_vault::{ItemKind, KdfParams, MemStorage, Passphrase, Vault, fill_with_random};

const HIDDEN_PASS: &str = "hidden field passphrase";
const DECOY_RETENTION_DAYS: u32 = 10;
const NOTE: &[u8] = b"NOTE-hidden-lower-retention";

fn pass(p: &str) -> Passphrase {
    Passphrase::new(p.as_bytes())
}

/// A field vault of format `version`: the decoy (level 0) paired with a hub, its retention set
/// to 10 days, holding two orders received at T0; a hidden compartment above it with its own
/// field role (default retention, 30 days) and a note.
fn decoy_with_orders_and_hidden(version: u8) -> MemStorage {
    let (_hub_mem, mut hub) = fresh(HUB_PASS);
    let hub_key = Hub::init(&mut hub, T0).unwrap().public_key().to_text();
    let mut mem = MemStorage::new(vec![0u8; 4 << 20]);
    fill_with_random(&mut mem).unwrap();
    let mut field =
        Vault::init_version(mem.clone(), &pass(FIELD_PASS), KdfParams::INSECURE_TEST_ONLY, version).unwrap();
    let field_key = Field::init(&mut field, T0).unwrap().public_key().to_text();
    Hub::open(&mut hub, T0).unwrap().add_broker(BROKER, &field_key).unwrap();
    Field::open(&mut field, T0).unwrap().pair(&hub_key).unwrap();
    Field::open(&mut field, T0).unwrap().set_retention_days(DECOY_RETENTION_DAYS).unwrap();
    let orders = {
        let mut hub = Hub::open(&mut hub, T0).unwrap();
        hub.create_order(BROKER, &form("big sister", "1,000,000", "0", "KRW", "q", "a")).unwrap();
        hub.create_order(BROKER, &form("uncle", "500,000", "0", "KRW", "q", "a")).unwrap();
        hub.send_orders(BROKER, false).unwrap().text()
    };
    Field::open(&mut field, T0).unwrap().receive(&orders).unwrap();
    field.hide(&pass(HIDDEN_PASS), KdfParams::INSECURE_TEST_ONLY).unwrap();
    Field::init(&mut field, T0).unwrap();
    field.add(ItemKind::Note, "n", NOTE).unwrap();
    drop(field);
    mem
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    /// Only the decoy is opened (its field role), as a broker who has no hidden compartment.
    DecoyOnly,
    /// Only the hidden compartment's field role is opened (what lethe does now).
    Hidden,
    /// The same, with the previous behaviour: only the hidden compartment's retention.
    HiddenOwnOnly,
}

/// Opens the container at each of `days` after T0, the way `how` says.
fn use_it(mem: &MemStorage, how: Use, days: &[u64]) {
    for &d in days {
        let now = T0 + d * DAY;
        match how {
            Use::DecoyOnly => drop(Field::open(&mut reopen(mem, FIELD_PASS), now).unwrap()),
            Use::Hidden => drop(Field::open(&mut reopen(mem, HIDDEN_PASS), now).unwrap()),
            Use::HiddenOwnOnly => drop(Field::open_own(&mut reopen(mem, HIDDEN_PASS), now).unwrap()),
        }
    }
}

/// What the decoy shows an examiner who images the container and opens the decoy in a copy
/// without writing: its epoch, its items (kind, name, size) and how many orders its field holds.
fn decoy_view(mem: &MemStorage) -> (u64, Vec<(ItemKind, String, u64)>, usize) {
    let copy = MemStorage::new(mem.snapshot());
    let mut v = Vault::inspect(copy, &pass(FIELD_PASS), KdfParams::INSECURE_TEST_ONLY).unwrap();
    let mut items: Vec<(ItemKind, String, u64)> = v.list().into_iter().map(|i| (i.kind, i.name, i.size)).collect();
    items.sort_by(|a, b| (a.1.as_str(), a.2).cmp(&(b.1.as_str(), b.2)));
    // At T0 nothing is past any retention: this open erases nothing.
    let orders = Field::open_own(&mut v, T0).unwrap().orders().unwrap().len();
    (v.epoch(), items, orders)
}

#[test]
fn hidden_only_use_leaves_the_decoy_as_decoy_only_use_does() {
    // Opened on days 3, 8 and 15: the decoy's orders (10 days) expire at the third open; the
    // hidden compartment's own retention (30 days) never does anything here.
    let days = [3, 8, 15];
    for version in [2u8, 1] {
        let decoy_only = decoy_with_orders_and_hidden(version);
        let hidden = MemStorage::new(decoy_only.snapshot());
        let control = MemStorage::new(decoy_only.snapshot());
        let (epoch0, _, orders0) = decoy_view(&decoy_only);
        assert_eq!(orders0, 2);

        use_it(&decoy_only, Use::DecoyOnly, &days);
        use_it(&hidden, Use::Hidden, &days);
        use_it(&control, Use::HiddenOwnOnly, &days);

        let (epoch_a, items_a, orders_a) = decoy_view(&decoy_only);
        let (epoch_b, items_b, orders_b) = decoy_view(&hidden);
        let (epoch_c, items_c, orders_c) = decoy_view(&control);
        assert_eq!(orders_a, 0, "format {version}: decoy-only use did not erase the expired orders");
        assert!(epoch_a > epoch0, "format {version}");
        // The fix: hidden-only use leaves the decoy exactly as decoy-only use does.
        assert_eq!(orders_b, 0, "format {version}: the decoy still lists expired orders after hidden use");
        assert_eq!(items_b, items_a, "format {version}: the decoy's items differ from decoy-only use");
        assert_eq!(epoch_b, epoch_a, "format {version}: the decoy's epoch differs from decoy-only use");
        // Control: the previous behaviour leaves the expired orders (the tell this fixes).
        assert_eq!(orders_c, 2, "format {version}: the control erased the decoy's orders");
        assert_ne!(items_c, items_a, "format {version}");
        assert_ne!(epoch_c, epoch_a, "format {version}");

        // Then the decoy is opened: its open has nothing left to erase, as after decoy-only use.
        let later = T0 + 16 * DAY;
        assert_eq!(Field::open(&mut reopen(&decoy_only, FIELD_PASS), later).unwrap().erased_on_open().orders, 0);
        assert_eq!(Field::open(&mut reopen(&hidden, FIELD_PASS), later).unwrap().erased_on_open().orders, 0);
        assert_eq!(Field::open(&mut reopen(&control, FIELD_PASS), later).unwrap().erased_on_open().orders, 2);

        // The hidden compartment is intact and still a field broker's.
        let mut h = reopen(&hidden, HIDDEN_PASS);
        let note = h.list().into_iter().find(|i| i.kind == ItemKind::Note).expect("the hidden note");
        assert_eq!(h.read(note.id).unwrap().as_slice(), NOTE, "format {version}");
        assert!(Field::open(&mut h, later).is_ok());
    }
}

/// The hub role of a lower compartment gets its retention the same way: a decoy hub (retention
/// 1 day) with an order cancelled at T0, a hidden compartment above it with a field role. After
/// hidden-only use for longer than the decoy hub's retention, the decoy hub shows what
/// decoy-only use leaves (the cancelled order's details gone, the same epoch); the control
/// (`Field::open_own`) still shows the order.
#[test]
fn a_lower_hub_gets_its_retention_too() {
    let make = || -> MemStorage {
        let mut mem = MemStorage::new(vec![0u8; 4 << 20]);
        fill_with_random(&mut mem).unwrap();
        let mut hub = Vault::init(mem.clone(), &pass(HUB_PASS), KdfParams::INSECURE_TEST_ONLY).unwrap();
        Hub::init(&mut hub, T0).unwrap();
        let (_f, mut field) = fresh(FIELD_PASS);
        let field_key = Field::init(&mut field, T0).unwrap().public_key().to_text();
        let mut h = Hub::open(&mut hub, T0).unwrap();
        h.add_broker(BROKER, &field_key).unwrap();
        let code = h.create_order(BROKER, &form("aunt", "100", "0", "USD", "q", "a")).unwrap();
        h.cancel_order(code, "moved").unwrap();
        h.set_retention_days(1).unwrap();
        drop(h);
        hub.hide(&pass(HIDDEN_PASS), KdfParams::INSECURE_TEST_ONLY).unwrap();
        Field::init(&mut hub, T0).unwrap();
        drop(hub);
        mem
    };
    let view = |mem: &MemStorage| -> (u64, usize) {
        let copy = MemStorage::new(mem.snapshot());
        let mut v = Vault::inspect(copy, &pass(HUB_PASS), KdfParams::INSECURE_TEST_ONLY).unwrap();
        let orders = Hub::open_own(&mut v, T0).unwrap().orders().unwrap().len();
        (v.epoch(), orders)
    };
    let days = [2u64, 5];
    let decoy_only = make();
    let hidden = MemStorage::new(decoy_only.snapshot());
    let control = MemStorage::new(decoy_only.snapshot());
    assert_eq!(view(&decoy_only).1, 1);
    for &d in &days {
        drop(Hub::open(&mut reopen(&decoy_only, HUB_PASS), T0 + d * DAY).unwrap());
    }
    use_it(&hidden, Use::Hidden, &days);
    use_it(&control, Use::HiddenOwnOnly, &days);
    let (a, b, c) = (view(&decoy_only), view(&hidden), view(&control));
    assert_eq!(a.1, 0, "decoy-only use did not erase the cancelled order");
    assert_eq!(b, a, "hidden-only use left the decoy hub unlike decoy-only use");
    assert_eq!(c.1, 1, "the control erased the order");
    assert_ne!(c.0, a.0);
}
