//! Hub key rotation: every acknowledgement announces a newer hub key, the field seals
//! later reports to it, and the hub crypto-erases an older key once nothing can still be
//! sealed to it. A report copied from a chat log before its order was settled then opens
//! with nothing the hub's vault holds (issue 10: "the hub's own seizure").

mod common;

use common::*;
use lethe_protocol::{IdentityKeyPair, IdentitySecret, PublicKey, dearmor_unchecked};
use lethe_remit::{Delivery, Error, Field, Hub, Received};
use lethe_vault::{MemStorage, Vault};

fn deliver(field: &mut Field<'_, MemStorage>, alias: &str, answer: &str) {
    let code = field.orders().unwrap().into_iter().find(|o| o.alias == alias).unwrap().code;
    field.deliver(Delivery { code, amount_minor: None, answer, media: None }, &mut |_, _| {}).unwrap();
}

/// Every hub secret an examiner with the hub's passphrase reads from its key records
/// (the first key: version byte, then the secret; later keys: version, serial, secret).
fn hub_secrets(vault: &Vault<MemStorage>) -> Vec<IdentitySecret> {
    vault
        .list()
        .into_iter()
        .filter_map(|i| {
            let bytes = vault.read(i.id).unwrap();
            let at = match i.name.as_str() {
                "remit.hub.identity" => 1,
                "remit.hub.key" => 5,
                _ => return None,
            };
            Some(IdentitySecret::from_bytes(bytes.as_slice()[at..at + 32].try_into().unwrap()))
        })
        .collect()
}

/// Every public key the field has had (its key records, public halves).
fn field_publics(vault: &Vault<MemStorage>) -> Vec<PublicKey> {
    field_secrets(vault).iter().map(|s| *IdentityKeyPair::from_secret(s.clone()).public_key()).collect()
}

/// The examiner's attack on a seized hub: every hub key in the vault, every key the
/// broker ever had, tried on a carved report.
fn hub_vault_opens(hub: &Vault<MemStorage>, senders: &[PublicKey], text: &str) -> bool {
    let sealed = dearmor_unchecked(text).unwrap();
    hub_secrets(hub).iter().any(|secret| lethe_protocol::open(secret, senders, &sealed).is_ok())
}

/// The same attack with lethe itself, on a copy of the hub's image.
fn lethe_opens(image: Vec<u8>, text: &str, now: u64) -> Result<(), Error> {
    let mem = MemStorage::new(image);
    let mut vault = reopen(&mem, HUB_PASS);
    Hub::open(&mut vault, now).unwrap().receive(text).map(|_| ())
}

/// A message with an order for each of `aliases` (answer "right").
fn send_orders(bed: &mut Bed, aliases: &[&str], now: u64) -> String {
    let mut hub = Hub::open(&mut bed.hub, now).unwrap();
    for alias in aliases {
        hub.create_order(BROKER, &form(alias, "100,000", "0", "KRW", "first school", "right")).unwrap();
    }
    hub.send_orders(BROKER, false).unwrap().text()
}

fn send_order(bed: &mut Bed, alias: &str, now: u64) -> String {
    send_orders(bed, &[alias], now)
}

/// The field receives `orders` at T0, delivers `alias` and reports it; the report, and the
/// hub's acknowledgement of it at T0 + HOUR (which announces a newer hub key).
fn first_report_acked(bed: &mut Bed, orders: &str, alias: &str) -> (String, String) {
    let mut field = Field::open(&mut bed.field, T0).unwrap();
    field.receive(orders).unwrap();
    deliver(&mut field, alias, "right");
    let report = field.send().unwrap().text();
    drop(field);
    let ack = Hub::open(&mut bed.hub, T0 + HOUR).unwrap().receive(&report).unwrap().ack.unwrap().text();
    (report, ack)
}

#[test]
fn a_report_copied_before_settlement_no_longer_opens_at_the_hub_after_it() {
    let mut bed = paired();
    let mut senders = field_publics(&bed.field);
    assert_eq!(Hub::open(&mut bed.hub, T0).unwrap().live_keys(), 1);

    // Round 1: an order, its report (copied by the chat app), the acknowledgement.
    let orders = send_order(&mut bed, "first", T0);
    let (report_1, ack_1) = first_report_acked(&mut bed, &orders, "first");
    assert_eq!(Hub::open(&mut bed.hub, T0 + HOUR).unwrap().live_keys(), 2, "the ack announced a second key");
    let mut field = Field::open(&mut bed.field, T0 + 2 * HOUR).unwrap();
    assert!(matches!(field.receive(&ack_1).unwrap(), Received::Ack { ref erased, .. } if erased.len() == 1));
    drop(field);
    senders.extend(field_publics(&bed.field));

    // Positive control: the order is settled, but the broker has not used the new key
    // yet (her next report might still come under the old one), so the hub keeps it and
    // the carved report opens, by hand and with lethe.
    assert!(hub_vault_opens(&bed.hub, &senders, &report_1));
    assert!(lethe_opens(bed.hub_mem.snapshot(), &report_1, T0 + 2 * HOUR).is_ok());

    // Round 2: her next report is sealed to the new key; the hub then erases the old one.
    let orders = send_order(&mut bed, "second", T0 + 3 * HOUR);
    let mut field = Field::open(&mut bed.field, T0 + 3 * HOUR).unwrap();
    field.receive(&orders).unwrap();
    deliver(&mut field, "second", "right");
    let report_2 = field.send().unwrap().text();
    drop(field);
    senders.extend(field_publics(&bed.field));
    let ack_2 = Hub::open(&mut bed.hub, T0 + 4 * HOUR).unwrap().receive(&report_2).unwrap().ack.unwrap().text();
    assert_eq!(Hub::open(&mut bed.hub, T0 + 4 * HOUR).unwrap().live_keys(), 2, "first key erased, third made");

    // The attack: the first report, carved from the chat, against the seized hub.
    assert!(!hub_vault_opens(&bed.hub, &senders, &report_1), "a hub key in the vault opens the carved report");
    let refused = lethe_opens(bed.hub_mem.snapshot(), &report_1, T0 + 5 * HOUR);
    assert!(matches!(refused, Err(Error::Message(lethe_protocol::ProtocolError::CannotOpen))), "{refused:?}");
    // The second report still opens until the broker uses the third key.
    assert!(hub_vault_opens(&bed.hub, &senders, &report_2));

    // Round 3 erases the second key in turn.
    let mut field = Field::open(&mut bed.field, T0 + 5 * HOUR).unwrap();
    field.receive(&ack_2).unwrap();
    drop(field);
    let orders = send_order(&mut bed, "third", T0 + 6 * HOUR);
    let mut field = Field::open(&mut bed.field, T0 + 6 * HOUR).unwrap();
    field.receive(&orders).unwrap();
    deliver(&mut field, "third", "right");
    let report_3 = field.send().unwrap().text();
    drop(field);
    senders.extend(field_publics(&bed.field));
    Hub::open(&mut bed.hub, T0 + 7 * HOUR).unwrap().receive(&report_3).unwrap();
    assert!(!hub_vault_opens(&bed.hub, &senders, &report_2));
    assert!(hub_vault_opens(&bed.hub, &senders, &report_3));
    assert_eq!(Hub::open(&mut bed.hub, T0 + 7 * HOUR).unwrap().live_keys(), 2);
}

#[test]
fn a_report_sealed_to_the_old_key_before_the_ack_arrived_still_settles() {
    let mut bed = paired();
    let orders = send_orders(&mut bed, &["a", "b", "c"], T0);
    let (_, ack_a) = first_report_acked(&mut bed, &orders, "a");

    // "b" is delivered before the acknowledgement reaches her (sealed to the first
    // key), "c" after it (sealed to the second): both go in one batch.
    let mut field = Field::open(&mut bed.field, T0 + 2 * HOUR).unwrap();
    deliver(&mut field, "b", "right");
    field.receive(&ack_a).unwrap();
    deliver(&mut field, "c", "right");
    let batch = field.send().unwrap().text();
    drop(field);
    let receipt = Hub::open(&mut bed.hub, T0 + 3 * HOUR).unwrap().receive(&batch).unwrap();
    assert_eq!(receipt.results.len(), 2);
    let mut hub = Hub::open(&mut bed.hub, T0 + 3 * HOUR).unwrap();
    assert!(
        hub.orders().unwrap().iter().all(|o| o.status == lethe_remit::HubOrderStatus::Delivered),
        "every order settled"
    );
    // Nothing open was sent before she moved on: the first key is gone.
    assert_eq!(hub.erase_old_keys().unwrap(), 0);
    assert_eq!(hub.live_keys(), 2);
}

#[test]
fn an_open_order_sent_before_the_broker_moved_on_keeps_the_old_key() {
    let mut bed = paired();
    let orders = send_orders(&mut bed, &["a", "b"], T0);
    let (_, ack_a) = first_report_acked(&mut bed, &orders, "a");
    Field::open(&mut bed.field, T0 + 2 * HOUR).unwrap().receive(&ack_a).unwrap();

    // A new order "c" is delivered and reported under the second key while "b" (sent
    // before she moved on) is still open: "b" could still come sealed to the first key
    // (delivered before the ack arrived, sent later), so the first key stays.
    let orders_c = send_order(&mut bed, "c", T0 + 3 * HOUR);
    let mut field = Field::open(&mut bed.field, T0 + 3 * HOUR).unwrap();
    field.receive(&orders_c).unwrap();
    deliver(&mut field, "c", "right");
    let report_c = field.send().unwrap().text();
    drop(field);
    let ack_c = Hub::open(&mut bed.hub, T0 + 4 * HOUR).unwrap().receive(&report_c).unwrap().ack.unwrap().text();
    assert_eq!(Hub::open(&mut bed.hub, T0 + 4 * HOUR).unwrap().live_keys(), 3, "first key kept for 'b'");

    // Once "b" is settled nothing can need the first key.
    let mut field = Field::open(&mut bed.field, T0 + 5 * HOUR).unwrap();
    field.receive(&ack_c).unwrap();
    deliver(&mut field, "b", "right");
    let report_b = field.send().unwrap().text();
    drop(field);
    let mut hub = Hub::open(&mut bed.hub, T0 + 6 * HOUR).unwrap();
    assert_eq!(hub.receive(&report_b).unwrap().results.len(), 1);
    assert_eq!(hub.live_keys(), 2, "the first and second keys went; the third and a fourth live");
}
