//! Undoing an operation of several writes: the items it added to the vault are erased again
//! unless it got to its end.

use lethe_vault::{ItemId, Storage, Vault};

/// The vault during an operation that adds several items, one by one, each committed on its
/// own. Dropped without [`Staged::commit`] (an error returned with `?` at any step), it
/// crypto-erases every item staged so far, newest first, so that the vault holds what it
/// held before the operation began. Erasing is best effort, as any undo: if the vault
/// refuses it, the item stays, and its error is not the one the caller sees.
pub(crate) struct Staged<'a, S: Storage> {
    vault: &'a mut Vault<S>,
    items: Vec<ItemId>,
}

impl<'a, S: Storage> Staged<'a, S> {
    pub(crate) fn new(vault: &'a mut Vault<S>) -> Self {
        Staged { vault, items: Vec::new() }
    }

    /// The vault, to read or write through.
    pub(crate) fn vault(&mut self) -> &mut Vault<S> {
        self.vault
    }

    /// `item` was just added: erase it again unless the operation is committed.
    pub(crate) fn stage(&mut self, item: ItemId) -> ItemId {
        self.items.push(item);
        item
    }

    /// The operation is complete: every staged item stays.
    pub(crate) fn commit(mut self) {
        self.items.clear();
    }
}

impl<S: Storage> Drop for Staged<'_, S> {
    fn drop(&mut self) {
        #[cfg(test)]
        if tests::UNDO_DISABLED.with(|d| d.get()) {
            return;
        }
        while let Some(item) = self.items.pop() {
            let _ = self.vault.remove(item);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use lethe_vault::{ItemKind, KdfParams, MemStorage, Passphrase, fill_with_random};
    use std::cell::Cell;

    thread_local! {
        /// Test builds only: a guard's drop does nothing on this thread, so that a test can
        /// show it fails without the undo (its positive control).
        pub(crate) static UNDO_DISABLED: Cell<bool> = const { Cell::new(false) };
    }

    /// Runs `f` with the undo of every guard on this thread switched off.
    pub(crate) fn without_undo<T>(f: impl FnOnce() -> T) -> T {
        UNDO_DISABLED.with(|d| d.set(true));
        let out = f();
        UNDO_DISABLED.with(|d| d.set(false));
        out
    }

    fn vault() -> Vault<MemStorage> {
        let mut mem = MemStorage::new(vec![0u8; 1 << 20]);
        fill_with_random(&mut mem).unwrap();
        Vault::init(mem, &Passphrase::new(b"pw"), KdfParams::INSECURE_TEST_ONLY).unwrap()
    }

    #[test]
    fn dropped_undoes_committed_keeps() {
        let mut v = vault();
        let kept = v.add(ItemKind::Record, "kept", b"before").unwrap();
        {
            let mut staged = Staged::new(&mut v);
            let a = staged.vault().add(ItemKind::Record, "a", b"a").unwrap();
            staged.stage(a);
            let b = staged.vault().add(ItemKind::Record, "b", b"b").unwrap();
            staged.stage(b);
        }
        assert_eq!(v.list().iter().map(|i| i.id).collect::<Vec<_>>(), vec![kept]);
        let mut staged = Staged::new(&mut v);
        let c = staged.vault().add(ItemKind::Record, "c", b"c").unwrap();
        staged.stage(c);
        staged.commit();
        assert_eq!(v.list().len(), 2);
        // Control: with the undo off, a dropped guard leaves its item.
        without_undo(|| {
            let mut staged = Staged::new(&mut v);
            let d = staged.vault().add(ItemKind::Record, "d", b"d").unwrap();
            staged.stage(d);
        });
        assert_eq!(v.list().len(), 3);
    }
}
