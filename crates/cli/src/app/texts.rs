//! Text for the status line and for errors: a message id with its arguments, put into the
//! current language only when it is drawn (so a language change shows at once).

use super::i18n::{Lang, Msg};

/// One argument of a message: text as it is, or another message in the current language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Msg(Msg),
    /// A whole message, with its own arguments.
    Nested(Box<UiText>),
}

/// Text to show in the status line, in the current language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UiText {
    pub msg: Msg,
    pub args: Vec<Arg>,
}

impl UiText {
    pub fn new(msg: Msg) -> UiText {
        UiText { msg, args: Vec::new() }
    }
    pub fn with(msg: Msg, args: &[&str]) -> UiText {
        UiText { msg, args: args.iter().map(|s| Arg::Text(s.to_string())).collect() }
    }
    pub fn with_msg(msg: Msg, arg: Msg) -> UiText {
        UiText { msg, args: vec![Arg::Msg(arg)] }
    }
    /// `msg` with `inner` as its only argument.
    pub fn around(msg: Msg, inner: UiText) -> UiText {
        UiText { msg, args: vec![Arg::Nested(Box::new(inner))] }
    }

    /// The text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| match a {
                Arg::Text(s) => s.clone(),
                Arg::Msg(m) => lang.tr(*m).to_string(),
                Arg::Nested(t) => t.render(lang),
            })
            .collect();
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        lang.format(self.msg, &refs)
    }
}

/// A line of the status bar: something done, or something that went wrong.
pub struct Status {
    pub text: UiText,
    pub error: bool,
}
