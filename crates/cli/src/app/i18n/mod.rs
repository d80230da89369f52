//! Every text the app and the demo show, in Korean (the default), Chinese and English, in one
//! module a topic (a screen, the errors, the command line).
//!
//! `messages!` takes each id with exactly three strings, so a missing translation does not
//! compile; each id is then `Msg::Id`, wherever its module, and the same id in two modules does
//! not compile either. The tests check that none is empty, that placeholders `{0}`, `{1}` … match
//! across the three, and that the Korean and Chinese texts are really translated.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Ko,
    Zh,
    En,
}

impl Lang {
    #[cfg(test)]
    pub const ALL: [Lang; 3] = [Lang::Ko, Lang::Zh, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "ko" => Some(Lang::Ko),
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language of a POSIX locale name such as "ko_KR.UTF-8".
    pub fn from_locale(locale: &str) -> Option<Lang> {
        let l = locale.to_ascii_lowercase();
        if l.starts_with("ko") {
            Some(Lang::Ko)
        } else if l.starts_with("zh") {
            Some(Lang::Zh)
        } else if l.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    pub fn next(self) -> Lang {
        match self {
            Lang::Ko => Lang::Zh,
            Lang::Zh => Lang::En,
            Lang::En => Lang::Ko,
        }
    }

    pub fn prev(self) -> Lang {
        self.next().next()
    }

    fn index(self) -> usize {
        match self {
            Lang::Ko => 0,
            Lang::Zh => 1,
            Lang::En => 2,
        }
    }

    pub fn tr(self, msg: Msg) -> &'static str {
        msg.texts()[self.index()]
    }

    /// The text with `{0}`, `{1}` … replaced by `args`, `{N:one|many}` by the English
    /// singular or plural for argument N, and in Korean each particle written both ways
    /// ("을(를)", "(으)로" …) by the one the word before it takes.
    pub fn format(self, msg: Msg, args: &[&str]) -> String {
        let text = fill(self.tr(msg), args);
        match self {
            Lang::Ko => crate::words::korean_particles(&text),
            Lang::Zh | Lang::En => text,
        }
    }
}

fn fill(template: &str, args: &[&str]) -> String {
    crate::words::fill(template, args)
}

/// One topic's texts: `messages! { Topic; Id => [ko, zh, en], … }` in the module `topic` makes
/// the enum `Id` of that module and the constants `Msg::Id`, so callers never name the topic.
macro_rules! messages {
    ($topic:ident; $($id:ident => [$ko:expr, $zh:expr, $en:expr $(,)?]),* $(,)?) => {
        /// This topic's message ids; each is also `Msg::Id`. (The ids keep the names callers use,
        /// so a topic of errors has every id start with `Err`.)
        #[allow(clippy::enum_variant_names)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Id { $($id),* }

        impl Id {
            #[cfg(test)]
            pub(super) const ALL: &'static [Id] = &[$(Id::$id),*];

            pub(super) fn texts(self) -> [&'static str; 3] {
                match self { $(Id::$id => [$ko, $zh, $en]),* }
            }
        }

        #[allow(non_upper_case_globals)]
        impl super::Msg {
            $(pub const $id: super::Msg = super::Msg::$topic(Id::$id);)*
        }
    };
}

/// The topics: `Topic => module`, one file each under `i18n/`.
macro_rules! topics {
    ($($topic:ident => $module:ident),* $(,)?) => {
        $(mod $module;)*

        /// A message id; `Lang::tr` gives its text. Its constants (`Msg::UnlockTitle` …) come
        /// from the topic modules.
        #[derive(Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($topic($module::Id)),* }

        impl Msg {
            #[cfg(test)]
            pub fn all() -> Vec<Msg> {
                let mut all = Vec::new();
                $(all.extend($module::Id::ALL.iter().map(|&id| Msg::$topic(id)));)*
                all
            }

            fn texts(self) -> [&'static str; 3] {
                match self { $(Msg::$topic(id) => id.texts()),* }
            }
        }

        /// Just the id, as the texts name it.
        impl std::fmt::Debug for Msg {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self { $(Msg::$topic(id) => id.fmt(f)),* }
            }
        }
    };
}

topics! {
    Lock => lock,
    Common => common,
    Notes => notes,
    Settings => settings,
    Errors => errors,
    Field => field,
    Hub => hub,
    Outgoing => outgoing,
    RemitErrors => remit_errors,
    CommandLine => command_line,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The arguments a text uses, plain (`{0}`) or as an English plural (`{0:order|orders}`).
    fn placeholders(s: &str) -> BTreeSet<usize> {
        crate::words::placeholder_indices(s)
    }

    fn has_hangul(s: &str) -> bool {
        s.chars().any(|c| ('\u{ac00}'..='\u{d7a3}').contains(&c))
    }

    fn has_han(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// Ids whose text is the same in every language (key names).
    const SAME_EVERYWHERE: &[Msg] = &[Msg::KeyCtrlQ];
    /// Ids whose English text quotes Korean or Chinese examples (amounts typed the local way).
    const QUOTES_CJK: &[Msg] = &[Msg::FieldAmount, Msg::ErrAmount, Msg::DemoOrders];

    #[test]
    fn every_message_exists_in_all_three_languages() {
        for m in Msg::all() {
            let [ko, zh, en] = m.texts();
            for (lang, s) in [("ko", ko), ("zh", zh), ("en", en)] {
                assert!(!s.trim().is_empty(), "{m:?} has no {lang} text");
                assert_eq!(s, s.trim(), "{m:?} {lang} has stray spaces");
            }
            assert_eq!(placeholders(ko), placeholders(en), "{m:?}: ko and en placeholders differ");
            assert_eq!(placeholders(zh), placeholders(en), "{m:?}: zh and en placeholders differ");
            if SAME_EVERYWHERE.contains(&m) {
                continue;
            }
            assert!(has_hangul(ko), "{m:?}: the Korean text is not Korean: {ko}");
            assert!(has_han(zh), "{m:?}: the Chinese text is not Chinese: {zh}");
            if !QUOTES_CJK.contains(&m) {
                assert!(!has_hangul(en) && !has_han(en), "{m:?}: the English text is not English: {en}");
            }
        }
    }

    #[test]
    fn ids_are_named_alone_and_each_topic_keeps_its_own() {
        assert_eq!(format!("{:?}", Msg::UnlockTitle), "UnlockTitle");
        assert_eq!(Msg::UnlockTitle, Msg::Lock(lock::Id::UnlockTitle));
        assert_ne!(Msg::UnlockTitle, Msg::CamouflageTitle);
        let all = Msg::all();
        let names: BTreeSet<String> = all.iter().map(|m| format!("{m:?}")).collect();
        assert_eq!(names.len(), all.len(), "two texts print the same id");
    }

    #[test]
    fn formatting_fills_placeholders() {
        assert_eq!(fill("a {0} b {1} {0}", &["x", "y"]), "a x b y x");
        assert_eq!(fill("{0} {2}", &["x"]), "x ");
        assert_eq!(fill("{ odd } {", &[]), "{ odd } {");
        // English plurals and Korean particles follow the numbers and words filled in.
        assert_eq!(Lang::En.format(Msg::OrdersReady, &["1", "1"]), "1 order, 1 character.");
        assert_eq!(Lang::En.format(Msg::OrdersReady, &["2", "310"]), "2 orders, 310 characters.");
        assert_eq!(Lang::Ko.format(Msg::OrderMade, &["2WZ-PRX2"]), "주문 2WZ-PRX2를 만들었습니다. m 키로 보내세요.");
        assert_eq!(Lang::Ko.format(Msg::OrderMade, &["35D-2QY1"]), "주문 35D-2QY1을 만들었습니다. m 키로 보내세요.");
        assert_eq!(
            Lang::En.format(Msg::ErrFull, &["4", "1"]),
            "Not enough space (4 KiB needed, 1 KiB free). Nothing was changed."
        );
    }

    #[test]
    fn languages() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), Some(l));
            assert_eq!(l.next().prev(), l);
        }
        assert_eq!(Lang::from_locale("ko_KR.UTF-8"), Some(Lang::Ko));
        assert_eq!(Lang::from_locale("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::from_locale("C"), None);
    }
}
