//! The app's settings. They are stored INSIDE the open compartment, as a record item named
//! `settings/app`: lethe writes no configuration file. Each compartment has its own, so a
//! decoy's settings say nothing about a hidden one.
//!
//! Encoding: UTF-8 lines `key=value`. Unknown keys and unreadable values are ignored (the
//! default is used), so an older or newer lethe can read them.

use super::i18n::Lang;
use lethe_vault::{ItemId, ItemKind, Storage, Vault};

/// Name of the record item holding the settings.
pub const SETTINGS_ITEM: &str = "settings/app";

/// Idle lock choices, in seconds.
pub const IDLE_LOCK_CHOICES: &[u64] = &[60, 120, 300, 600, 1800];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub lang: Lang,
    /// Lock after this many seconds without a key press.
    pub idle_lock_secs: u64,
    /// Title and first screen look like an ordinary notes app.
    pub camouflage: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { lang: Lang::Ko, idle_lock_secs: 300, camouflage: false }
    }
}

impl Settings {
    pub fn encode(&self) -> Vec<u8> {
        format!(
            "lang={}\nidle_lock_secs={}\ncamouflage={}\n",
            self.lang.code(),
            self.idle_lock_secs,
            u8::from(self.camouflage)
        )
        .into_bytes()
    }

    pub fn decode(bytes: &[u8]) -> Settings {
        let mut s = Settings::default();
        let text = String::from_utf8_lossy(bytes);
        for line in text.lines() {
            let Some((key, value)) = line.split_once('=') else { continue };
            match key.trim() {
                "lang" => {
                    if let Some(l) = Lang::from_code(value.trim()) {
                        s.lang = l;
                    }
                }
                "idle_lock_secs" => {
                    if let Ok(v) = value.trim().parse::<u64>() {
                        // Clamp: a damaged value must not disable the lock.
                        s.idle_lock_secs = v.clamp(30, 24 * 3600);
                    }
                }
                "camouflage" => s.camouflage = value.trim() == "1",
                _ => {}
            }
        }
        s
    }

    /// The settings of the open compartment, and the id of their item if there is one.
    pub fn load<S: Storage>(vault: &Vault<S>) -> (Settings, Option<ItemId>) {
        let Some(item) = vault.list().into_iter().find(|i| i.kind == ItemKind::Record && i.name == SETTINGS_ITEM)
        else {
            return (Settings::default(), None);
        };
        match vault.read(item.id) {
            Ok(bytes) => (Settings::decode(bytes.as_slice()), Some(item.id)),
            // A damaged settings item: use defaults, and replace it on the next save.
            Err(_) => (Settings::default(), Some(item.id)),
        }
    }

    /// Stores the settings in the open compartment; returns the item's id.
    pub fn save<S: Storage>(&self, vault: &mut Vault<S>, id: Option<ItemId>) -> lethe_vault::Result<ItemId> {
        let bytes = self.encode();
        if let Some(id) = id {
            match vault.replace(id, &bytes) {
                Ok(()) => return Ok(id),
                Err(lethe_vault::Error::NoSuchItem(_)) => {}
                Err(e) => return Err(e),
            }
        }
        vault.add(ItemKind::Record, SETTINGS_ITEM, &bytes)
    }

    /// The next idle lock choice after the current one (wrapping).
    pub fn next_idle_lock(&self, forward: bool) -> u64 {
        let pos = IDLE_LOCK_CHOICES.iter().position(|&c| c >= self.idle_lock_secs).unwrap_or(0);
        let n = IDLE_LOCK_CHOICES.len();
        let next = if forward { (pos + 1) % n } else { (pos + n - 1) % n };
        IDLE_LOCK_CHOICES[next]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lethe_vault::{KdfParams, MemStorage, Passphrase};

    #[test]
    fn round_trip_and_tolerance() {
        let s = Settings { lang: Lang::Zh, idle_lock_secs: 600, camouflage: true };
        assert_eq!(Settings::decode(&s.encode()), s);
        let odd = Settings::decode(b"lang=xx\nidle_lock_secs=0\nfuture=1\ngarbage\ncamouflage=1");
        assert_eq!(odd, Settings { lang: Lang::Ko, idle_lock_secs: 30, camouflage: true });
        assert_eq!(Settings::decode(&[0xff, 0xfe]), Settings::default());
    }

    #[test]
    fn stored_inside_the_compartment() {
        let kdf = KdfParams::INSECURE_TEST_ONLY;
        let mut storage = MemStorage::new(vec![0; 2 << 20]);
        lethe_vault::fill_with_random(&mut storage).unwrap();
        let mut v = Vault::init(storage.clone(), &Passphrase::new(b"pw"), kdf).unwrap();
        assert_eq!(Settings::load(&v), (Settings::default(), None));
        let s = Settings { lang: Lang::En, idle_lock_secs: 120, camouflage: true };
        let id = s.save(&mut v, None).unwrap();
        let id2 = Settings { camouflage: false, ..s.clone() }.save(&mut v, Some(id)).unwrap();
        assert_eq!(id, id2);
        drop(v);
        let v = Vault::open(storage.clone(), &Passphrase::new(b"pw"), kdf).unwrap();
        let (loaded, loaded_id) = Settings::load(&v);
        assert_eq!(loaded, Settings { camouflage: false, ..s });
        assert_eq!(loaded_id, Some(id));
        // The settings text is not in the container's bytes in the clear.
        let bytes = storage.snapshot();
        assert!(!bytes.windows(12).any(|w| w == b"idle_lock_se"));
    }

    #[test]
    fn idle_choices_cycle() {
        let s = Settings { idle_lock_secs: 300, ..Settings::default() };
        assert_eq!(s.next_idle_lock(true), 600);
        assert_eq!(s.next_idle_lock(false), 120);
        let s = Settings { idle_lock_secs: 1800, ..Settings::default() };
        assert_eq!(s.next_idle_lock(true), 60);
    }
}
