//! `lethe field pair` refuses what is not the hub's where that can be told: a broker's
//! pairing request, a broker's pairing key (both name their kind in their first byte), and
//! this phone's own key. Each refusal says what the text is and changes no byte of the
//! container; the hub's key (positive control) is taken. A bare public key carries no role,
//! so another broker's bare key cannot be told from the hub's: comparing the fingerprint is
//! what catches that.

mod cli_support;

use cli_support::*;

const HUB: &str = "hub pair pass";
const FIELD: &str = "field pair pass";
const OTHER: &str = "other broker pass";

#[test]
fn field_pair_refuses_a_brokers_texts_and_its_own_key() {
    let dir = Scratch::new("pair-refusals");
    let (hub_path, field_path, other_path) = (dir.join("hub.vault"), dir.join("field.vault"), dir.join("other.vault"));
    let (hub, field, other) = (v(&hub_path), v(&field_path), v(&other_path));
    init(&hub_path, "4M", HUB);
    init(&field_path, "4M", FIELD);
    init(&other_path, "4M", OTHER);
    let hub_key = out(&ok(run(&["hub", "init", hub], &[HUB], b"")));
    let own_key = out(&ok(run(&["field", "init", field], &[FIELD], b"")));
    ok(run(&["field", "init", other], &[OTHER], b""));

    // Another broker's pairing request and her pairing key (made with the hub's answer).
    let request = out(&ok(run(&["field", "pair-request", other], &[OTHER], b"")));
    let answer = out(&ok(run(&["hub", "add-broker", hub, "--name", "other"], &[HUB], request.as_bytes())));
    let her_pairing_key = out(&ok(run(&["field", "pair", other], &[OTHER], answer.as_bytes())));

    let before = std::fs::read(&field_path).unwrap();
    for (text, what, code) in [
        (&request, "a broker's pairing request", 10),
        (&her_pairing_key, "a broker's pairing key", 10),
        (&own_key, "your own public key", 9),
    ] {
        let err = fails(run(&["field", "pair", field], &[FIELD], text.as_bytes()), code);
        assert!(err.contains(what), "{what}: {err}");
        intact(&before, &field_path, FIELD, "refusing {what} changed the container");
    }
    // Not paired by any of them.
    fails(run(&["field", "safety-code", field], &[FIELD], b""), 9);

    // Positive control: the hub's key is taken, and the fingerprint matches the hub's.
    let fingerprint = out(&ok(run(&["field", "pair", field], &[FIELD], hub_key.as_bytes())));
    let at_hub = out(&ok(run(&["hub", "add-broker", hub, "--name", "mina"], &[HUB], own_key.as_bytes())));
    assert_eq!(fingerprint.trim(), at_hub.trim());
    assert!(std::fs::read(&field_path).unwrap() != before);
}
