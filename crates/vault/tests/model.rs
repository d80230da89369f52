//! Issue 3: random sequences of add / rm / hide / reopen / read against a simple in-memory
//! model, checking after every step that every compartment lists and returns exactly what
//! the model says, including after reopening.
//!
//! Writes through a lower compartment may overwrite blocks of higher ones (documented in
//! docs/FORMAT.md). The model follows that rule: a write made while a lower compartment is
//! open "taints" every compartment above it. For a tainted compartment the model still
//! requires that it either opens with exactly the model's list and every item reading back
//! either its exact content or `ItemDamaged`, or (if its index was hit) fails with
//! `IndexDamaged`. Untainted compartments, and every compartment at or below the one that
//! was written, must be exact. Nothing else is ever accepted.

// Format version 1 behaviour (old containers keep working); version 2 has its own tests
// (v2.rs, two_images.rs, loss.rs).

mod common;

use common::*;
use lethe_vault::format::{BLOCK_PAYLOAD, SLOT_COUNT};
use lethe_vault::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

const LEN: usize = 1 << 20;

#[derive(Clone, Debug)]
enum Op {
    Add { kind: u8, name: String, size: usize, seed: u64 },
    Rm { pick: usize },
    RmUnknown { id: u32 },
    Hide,
    HideWithUsedPassphrase { pick: usize },
    Reopen { pick: usize },
    ReopenWrong,
    Read { pick: usize },
}

fn size_strategy() -> impl Strategy<Value = usize> {
    prop_oneof![
        3 => Just(0usize),
        3 => 1usize..200,
        2 => Just(BLOCK_PAYLOAD),
        2 => Just(BLOCK_PAYLOAD + 1),
        2 => Just(3 * BLOCK_PAYLOAD),
        4 => 200usize..5 * BLOCK_PAYLOAD,
        2 => 20 * BLOCK_PAYLOAD..120 * BLOCK_PAYLOAD,
    ]
}

fn name_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z]{1,12}\\.(jpg|txt|mp4)",
        "[가-힣]{1,20}",
        // Around the 255-byte limit: 84..90 three-byte characters.
        (84usize..90).prop_map(|n| "사".repeat(n)),
    ]
}

fn op_strategy() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => (0u8..3, name_strategy(), size_strategy(), any::<u64>())
            .prop_map(|(kind, name, size, seed)| Op::Add { kind, name, size, seed }),
        4 => any::<usize>().prop_map(|pick| Op::Rm { pick }),
        1 => any::<u32>().prop_map(|id| Op::RmUnknown { id }),
        2 => Just(Op::Hide),
        1 => any::<usize>().prop_map(|pick| Op::HideWithUsedPassphrase { pick }),
        4 => any::<usize>().prop_map(|pick| Op::Reopen { pick }),
        1 => Just(Op::ReopenWrong),
        2 => any::<usize>().prop_map(|pick| Op::Read { pick }),
    ]
}

#[derive(Clone, Debug)]
struct ModelItem {
    kind: ItemKind,
    name: String,
    content: Vec<u8>,
    /// A lower compartment wrote since this item was stored: its blocks may be overwritten.
    maybe_damaged: bool,
}

#[derive(Debug, Default)]
struct Level {
    passphrase: String,
    items: BTreeMap<ItemId, ModelItem>,
    /// A lower compartment wrote since this one was last opened: its index may be hit.
    may_fail_to_open: bool,
}

struct Harness {
    mem: MemStorage,
    vault: Vault<MemStorage>,
    levels: Vec<Level>,
    log: Vec<String>,
}

fn kind_of(k: u8) -> ItemKind {
    match k {
        0 => ItemKind::Note,
        1 => ItemKind::File,
        _ => ItemKind::Record,
    }
}

impl Harness {
    fn new() -> Harness {
        let mem = fresh_mem(LEN);
        let vault = Vault::init_v1(mem.clone(), &pass("pass-0"), P).unwrap();
        let levels = vec![Level { passphrase: "pass-0".into(), ..Level::default() }];
        Harness { mem, vault, levels, log: Vec::new() }
    }

    fn cur(&self) -> usize {
        self.vault.level()
    }

    /// A write is about to happen through the open compartment: every one above it may lose
    /// blocks.
    fn taint_above(&mut self) {
        let cur = self.cur();
        for l in self.levels.iter_mut().skip(cur + 1) {
            l.may_fail_to_open = true;
            for it in l.items.values_mut() {
                it.maybe_damaged = true;
            }
        }
    }

    fn fail(&self, msg: String) -> TestCaseError {
        TestCaseError::fail(format!("{msg}\nsteps:\n  {}", self.log.join("\n  ")))
    }

    fn apply(&mut self, op: &Op) -> std::result::Result<(), TestCaseError> {
        self.log.push(format!("{op:?} (open level {})", self.cur()));
        let cur = self.cur();
        match op {
            Op::Add { kind, name, size, seed } => {
                let content = TestRng::new(*seed).bytes(*size);
                let before = self.mem.snapshot();
                match self.vault.add(kind_of(*kind), name, &content) {
                    Ok(id) => {
                        self.taint_above();
                        if name.len() > 255 {
                            return Err(self.fail(format!("a {}-byte name was accepted", name.len())));
                        }
                        let item =
                            ModelItem { kind: kind_of(*kind), name: name.clone(), content, maybe_damaged: false };
                        if self.levels.iter().any(|l| l.items.contains_key(&id)) {
                            return Err(self.fail(format!("id {id} given twice")));
                        }
                        self.levels[cur].items.insert(id, item);
                    }
                    Err(e @ (Error::Full { .. } | Error::TooLarge(_))) => {
                        // The name is checked first: a name over 255 bytes is TooLarge, any
                        // other refusal is Full.
                        if matches!(e, Error::TooLarge(_)) != (name.len() > 255) {
                            return Err(self.fail(format!("{e:?} for a {}-byte name", name.len())));
                        }
                        if self.mem.snapshot() != before {
                            return Err(self.fail("a refused add changed the container".into()));
                        }
                    }
                    Err(e) => return Err(self.fail(format!("add: {e:?}"))),
                }
            }
            Op::Rm { pick } => {
                let ids: Vec<ItemId> = self.levels[cur].items.keys().copied().collect();
                if ids.is_empty() {
                    return Ok(());
                }
                let id = ids[pick % ids.len()];
                match self.vault.remove(id) {
                    Ok(()) => {
                        self.taint_above();
                        self.levels[cur].items.remove(&id);
                    }
                    Err(e) => return Err(self.fail(format!("rm {id}: {e:?}"))),
                }
            }
            Op::RmUnknown { id } => {
                let id = ItemId(*id);
                if self.levels[cur].items.contains_key(&id) {
                    return Ok(());
                }
                let before = self.mem.snapshot();
                match self.vault.remove(id) {
                    Err(Error::NoSuchItem(_)) => {}
                    other => return Err(self.fail(format!("rm of unknown {id}: {:?}", other.err()))),
                }
                if self.mem.snapshot() != before {
                    return Err(self.fail("rm of an unknown id changed the container".into()));
                }
            }
            Op::Hide => {
                // Hiding above a lower compartment replaces the one above it (documented);
                // the model hides only from the highest compartment.
                if cur + 1 != self.levels.len() {
                    return Ok(());
                }
                let new_pass = format!("pass-{}", cur + 1);
                let before = self.mem.snapshot();
                match self.vault.hide(&pass(&new_pass), P) {
                    Ok(level) if level == cur + 1 && level < SLOT_COUNT => {
                        self.levels.push(Level { passphrase: new_pass, ..Level::default() });
                    }
                    Err(Error::NoFreeCompartment) if cur + 1 == SLOT_COUNT => {}
                    Err(Error::Full { .. }) => {
                        if self.mem.snapshot() != before {
                            return Err(self.fail("a refused hide changed the container".into()));
                        }
                    }
                    other => {
                        return Err(
                            self.fail(format!("hide at level {cur}: {:?}", other.map_err(|e| format!("{e:?}"))))
                        );
                    }
                }
            }
            Op::HideWithUsedPassphrase { pick } => {
                let used = self.levels[pick % self.levels.len()].passphrase.clone();
                let before = self.mem.snapshot();
                match self.vault.hide(&pass(&used), P) {
                    Err(Error::PassphraseAlreadyUsed) => {}
                    Err(Error::NoFreeCompartment) if cur + 1 == SLOT_COUNT => {}
                    other => {
                        return Err(self.fail(format!(
                            "hide with the used passphrase {used:?}: {:?}",
                            other.map_err(|e| format!("{e:?}"))
                        )));
                    }
                }
                if self.mem.snapshot() != before {
                    return Err(self.fail("a refused hide changed the container".into()));
                }
            }
            Op::Reopen { pick } => {
                let level = pick % self.levels.len();
                let p = self.levels[level].passphrase.clone();
                match Vault::open(self.mem.clone(), &pass(&p), P) {
                    Ok(v) => {
                        if v.level() != level {
                            return Err(self.fail(format!("{p:?} opened level {}", v.level())));
                        }
                        self.vault = v;
                        // Opened with its whole chain: its index and those below are whole.
                        for l in self.levels.iter_mut().take(level + 1) {
                            l.may_fail_to_open = false;
                        }
                    }
                    Err(Error::IndexDamaged { .. }) if self.levels[level].may_fail_to_open => {}
                    Err(e) => return Err(self.fail(format!("reopen level {level}: {e:?}"))),
                }
            }
            Op::ReopenWrong => {
                let before = self.mem.snapshot();
                match Vault::open(self.mem.clone(), &pass("not a passphrase"), P) {
                    Err(Error::WrongPassphrase) => {}
                    other => return Err(self.fail(format!("wrong passphrase: {:?}", other.err()))),
                }
                if self.mem.snapshot() != before {
                    return Err(self.fail("a wrong passphrase changed the container".into()));
                }
            }
            Op::Read { pick } => {
                let ids: Vec<ItemId> = self.levels[cur].items.keys().copied().collect();
                if let Some(&id) = ids.get(pick % ids.len().max(1)) {
                    let item = &self.levels[cur].items[&id];
                    let mut streamed = Vec::new();
                    match self.vault.read_to(id, &mut streamed, &mut |_| {}) {
                        Ok(()) if streamed == item.content => {}
                        Err(Error::ItemDamaged(_)) if item.maybe_damaged => {}
                        other => return Err(self.fail(format!("read_to {id}: {:?}", other.err()))),
                    }
                }
            }
        }
        self.check_current()?;
        self.check_every_level()
    }

    fn compare(&self, v: &Vault<MemStorage>, level: usize, who: &str) -> std::result::Result<(), TestCaseError> {
        let model = &self.levels[level];
        let listed: BTreeMap<ItemId, ItemInfo> = v.list().into_iter().map(|i| (i.id, i)).collect();
        if listed.len() != v.list().len() {
            return Err(self.fail(format!("{who}: duplicate ids listed")));
        }
        let ids: Vec<&ItemId> = listed.keys().collect();
        let expected: Vec<&ItemId> = model.items.keys().collect();
        if ids != expected {
            return Err(self.fail(format!("{who}: level {level} lists {ids:?}, model has {expected:?}")));
        }
        for (id, m) in &model.items {
            let info = &listed[id];
            if (info.kind, info.name.as_str(), info.size) != (m.kind, m.name.as_str(), m.content.len() as u64) {
                return Err(self.fail(format!("{who}: item {id} listed as {info:?}")));
            }
            match v.read(*id) {
                Ok(b) if b.as_slice() == m.content.as_slice() => {}
                Err(Error::ItemDamaged(_)) if m.maybe_damaged => {}
                Ok(_) => return Err(self.fail(format!("{who}: item {id} of level {level} reads wrong bytes"))),
                Err(e) => return Err(self.fail(format!("{who}: item {id} of level {level}: {e:?}"))),
            }
        }
        Ok(())
    }

    fn check_current(&self) -> std::result::Result<(), TestCaseError> {
        self.compare(&self.vault, self.cur(), "open vault")
    }

    /// Opens every compartment with its passphrase (a second, independent open of the same
    /// bytes) and compares it with the model.
    fn check_every_level(&mut self) -> std::result::Result<(), TestCaseError> {
        for level in 0..self.levels.len() {
            let p = self.levels[level].passphrase.clone();
            match Vault::open(self.mem.clone(), &pass(&p), P) {
                Ok(v) => {
                    if v.level() != level {
                        return Err(self.fail(format!("{p:?} opened level {}", v.level())));
                    }
                    self.compare(&v, level, "reopened")?;
                }
                Err(Error::IndexDamaged { .. }) if self.levels[level].may_fail_to_open => {}
                Err(e) => return Err(self.fail(format!("reopen of level {level} for checking: {e:?}"))),
            }
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, max_shrink_iters: 2000, ..ProptestConfig::default() })]

    #[test]
    fn vault_matches_model(ops in proptest::collection::vec(op_strategy(), 1..40)) {
        let mut h = Harness::new();
        for op in &ops {
            h.apply(op)?;
        }
        // Finally: everything once more from cold, and the wrong passphrase still refused.
        h.check_every_level()?;
        prop_assert!(matches!(Vault::open(h.mem.clone(), &pass("nope"), P), Err(Error::WrongPassphrase)));
    }
}

/// The model's own check can fail: a container that drops one item is caught.
#[test]
fn model_check_catches_a_lost_item() {
    let mut h = Harness::new();
    h.apply(&Op::Add { kind: 0, name: "a".into(), size: 10, seed: 1 }).unwrap();
    h.levels[0].items.insert(
        ItemId(42),
        ModelItem { kind: ItemKind::Note, name: String::new(), content: vec![], maybe_damaged: false },
    );
    assert!(h.check_every_level().is_err());
}
