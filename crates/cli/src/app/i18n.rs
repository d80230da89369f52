//! Every text the app and the demo show, in Korean (the default), Chinese and English.
//!
//! `messages!` takes each id with exactly three strings, so a missing translation does not
//! compile; the tests check that none is empty, that placeholders `{0}`, `{1}` … match across
//! the three, and that the Korean and Chinese texts are really translated.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Ko,
    Zh,
    En,
}

impl Lang {
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

    /// The text with `{0}`, `{1}` … replaced by `args`.
    pub fn format(self, msg: Msg, args: &[&str]) -> String {
        fill(self.tr(msg), args)
    }
}

fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| after[..close].parse::<usize>().ok().map(|n| (close, n))) {
            Some((close, n)) => {
                out.push_str(args.get(n).copied().unwrap_or(""));
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

macro_rules! messages {
    ($($id:ident => [$ko:expr, $zh:expr, $en:expr $(,)?]),* $(,)?) => {
        /// A message id; `Lang::tr` gives its text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $($id),* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$id),*];

            fn texts(self) -> [&'static str; 3] {
                match self { $(Msg::$id => [$ko, $zh, $en]),* }
            }
        }
    };
}

messages! {
    // ---- Lock screen and camouflage
    CamouflageTitle => ["메모", "笔记", "Notes"],
    UnlockTitle => ["잠김", "已锁定", "Locked"],
    UnlockPrompt => ["비밀번호를 입력하세요", "请输入密码", "Enter your passphrase"],
    Opening => ["여는 중…", "正在打开…", "Opening…"],
    Locked => ["잠갔습니다.", "已锁定。", "Locked."],
    NoNotes => ["메모가 없습니다.", "没有笔记。", "No notes."],

    // ---- Tabs
    TabNotes => ["메모", "笔记", "Notes"],
    TabSettings => ["설정", "设置", "Settings"],

    // ---- Key hints
    KeyCtrlQ => ["Ctrl-Q", "Ctrl-Q", "Ctrl-Q"],
    KeyOther => ["다른 키", "其他键", "other key"],
    HintQuit => ["끝내기", "退出", "quit"],
    HintOpen => ["열기", "打开", "open"],
    HintSelect => ["선택", "选择", "select"],
    HintRead => ["읽기", "阅读", "read"],
    HintNewNote => ["새 메모", "新笔记", "new note"],
    HintAddFile => ["파일 가져오기", "导入文件", "add file"],
    HintExport => ["내보내기", "导出", "export"],
    HintDelete => ["지우기", "删除", "erase"],
    HintBack => ["뒤로", "返回", "back"],
    HintScroll => ["스크롤", "滚动", "scroll"],
    HintSave => ["저장", "保存", "save"],
    HintNextField => ["다음 칸", "下一栏", "next field"],
    HintCancel => ["취소", "取消", "cancel"],
    HintImport => ["가져오기", "导入", "import"],
    HintToggle => ["켜기/끄기", "开/关", "on/off"],
    HintYesErase => ["예, 지웁니다", "是，删除", "yes, erase"],
    HintConfirm => ["확인", "确认", "confirm"],
    HintChange => ["바꾸기", "更改", "change"],
    HintNextTab => ["다음 화면", "下一页", "next screen"],
    HintLock => ["잠그기", "锁定", "lock"],

    // ---- Notes and files
    KindNote => ["메모", "笔记", "note"],
    KindFile => ["파일", "文件", "file"],
    ColName => ["이름", "名称", "Name"],
    ColKind => ["종류", "类型", "Kind"],
    ColSize => ["크기", "大小", "Size"],
    ColDate => ["날짜 (UTC)", "日期 (UTC)", "Date (UTC)"],
    ConfirmErase => [
        "'{0}'을(를) 영원히 지울까요? 되살릴 수 없습니다.",
        "永久删除“{0}”？删除后无法恢复。",
        "Erase '{0}' for ever? It cannot be brought back.",
    ],
    FileInfo => [
        "파일 · {0} · {1}\n\n화면에 보여 주지 않습니다. e 키로 내보내세요.",
        "文件 · {0} · {1}\n\n不在屏幕上显示。按 e 导出。",
        "File · {0} · {1}\n\nNot shown on screen. Press e to export it.",
    ],
    FieldTitle => ["제목 (없으면 첫 줄)", "标题（留空则用第一行）", "Title (empty: the first line)"],
    FieldNoteText => ["내용", "内容", "Text"],
    FieldPath => ["가져올 파일의 경로", "要导入的文件路径", "Path of the file to import"],
    FieldNameOptional => ["안에서 쓸 이름 (없으면 파일 이름)", "保存的名称（留空则用文件名）", "Name inside (empty: the file's name)"],
    ShredSource => ["가져온 뒤 원본 파일을 덮어쓰고 지우기", "导入后覆盖并删除原文件", "Overwrite and delete the original after importing"],
    ShredExplain => [
        "원본이 남아 있으면 휴대폰을 검사할 때 찾을 수 있습니다. 원본을 지우는 것을 권합니다.",
        "原文件若留在手机上，检查时可被找到。建议删除原文件。",
        "An original left on the phone can be found when it is examined. Deleting it is advised.",
    ],
    FieldExportPath => ["내보낼 곳 (새 파일 경로)", "导出到（新文件路径）", "Export to (path of a new file)"],
    ExportWarning => [
        "내보낸 파일은 보관함 밖에 있어 보호되지 않습니다. 다 쓰면 지우세요.",
        "导出的文件在保险箱之外，不受保护。用完请删除。",
        "The exported copy is outside the container and not protected. Delete it when done.",
    ],
    ErrEmptyNote => ["내용이 비어 있습니다.", "内容为空。", "The note is empty."],
    Saving => ["저장하는 중", "正在保存", "Saving"],
    NoteSaved => ["저장했습니다.", "已保存。", "Saved."],
    Importing => ["가져오는 중", "正在导入", "Importing"],
    Imported => ["가져왔습니다.", "已导入。", "Imported."],
    ImportedShredded => [
        "가져왔고 원본을 덮어쓴 뒤 지웠습니다.",
        "已导入，原文件已覆盖并删除。",
        "Imported; the original was overwritten and deleted.",
    ],
    ImportedShredCow => [
        "가져왔고 원본을 지웠지만, 이 저장 장치는 덮어쓰기가 확실하지 않습니다. 빈 공간 지우기를 하세요.",
        "已导入并删除原文件，但此存储无法保证覆盖。请清除空闲空间。",
        "Imported and the original deleted, but this file system may keep old copies: scrub its free space.",
    ],
    ImportedShredFailed => [
        "가져왔지만 원본을 지우지 못했습니다. 직접 지우세요.",
        "已导入，但无法删除原文件。请自行删除。",
        "Imported, but the original could not be deleted. Delete it yourself.",
    ],
    Exporting => ["내보내는 중", "正在导出", "Exporting"],
    Exported => ["{0}(으)로 내보냈습니다. 다 쓰면 지우세요.", "已导出到 {0}。用完请删除。", "Exported to {0}. Delete it when done."],
    Erasing => ["지우는 중", "正在删除", "Erasing"],
    Erased => ["지웠습니다. 되살릴 수 없습니다.", "已删除，无法恢复。", "Erased; it cannot be recovered."],

    // ---- Settings
    SetLanguage => ["언어", "语言", "Language"],
    SetIdleLock => ["자동 잠금", "自动锁定", "Lock when idle"],
    SetCamouflage => ["위장 모드", "伪装模式", "Camouflage"],
    SetHide => ["숨은 칸 새로 만들기…", "新建隐藏分区…", "Make a hidden compartment…"],
    Minutes => ["{0}분 뒤", "{0} 分钟后", "after {0} min"],
    On => ["켜짐", "开", "on"],
    Off => ["꺼짐", "关", "off"],
    SetLanguageExplain => [
        "화면과 안내의 언어입니다. 이 칸 안에 저장됩니다.",
        "界面和提示的语言。保存在此分区内。",
        "Language of every screen and message. Stored inside this compartment.",
    ],
    SetIdleLockExplain => [
        "이 시간 동안 키를 누르지 않으면 잠그고, 열린 내용을 메모리에서 지웁니다.",
        "在此时间内没有按键则锁定，并从内存中清除已打开的内容。",
        "After this long without a key press the app locks and clears what was open from memory.",
    ],
    SetCamouflageExplain => [
        "켜면 창 제목과 첫 화면이 보통 메모 앱처럼 보입니다.",
        "开启后，窗口标题和首屏看起来像普通的笔记应用。",
        "When on, the window title and first screen look like an ordinary notes app.",
    ],
    SetHideExplain => [
        "다른 비밀번호로 여는 숨은 칸을 지금 칸 위에 만듭니다.",
        "在当前分区之上新建一个用另一个密码打开的隐藏分区。",
        "Makes a hidden compartment, opened by another passphrase, above this one.",
    ],
    FieldNewPassphrase => ["새 비밀번호", "新密码", "New passphrase"],
    FieldRepeatPassphrase => ["한 번 더", "再输入一次", "Type it again"],
    HideExplain => [
        "가장 위의 칸을 연 상태에서만 만드세요: 이 비밀번호가 모르는 더 위의 칸이 있으면 덮어씁니다. 만드는 데 몇 초 걸립니다.",
        "请只在打开了最上层分区时新建：若有此密码不知道的更上层分区，它会被覆盖。需要几秒钟。",
        "Only do this with your highest compartment open: a higher one this passphrase does not know would be overwritten. Takes a few seconds.",
    ],
    Hiding => ["숨은 칸을 만드는 중", "正在新建隐藏分区", "Making the hidden compartment"],
    HiddenMade => [
        "숨은 칸을 만들었습니다. 새 비밀번호로 열면 보입니다.",
        "已新建隐藏分区。用新密码打开即可看到。",
        "Made the hidden compartment. Open with the new passphrase to see it.",
    ],
    SettingsSaved => ["설정을 저장했습니다.", "设置已保存。", "Settings saved."],
    ErrPassphrasesDiffer => ["두 비밀번호가 다릅니다.", "两次输入的密码不同。", "The two passphrases differ."],

    // ---- Errors
    ErrCannotOpen => [
        "열 수 없습니다. 비밀번호를 확인하세요.",
        "无法打开。请检查密码。",
        "Cannot open. Check the passphrase.",
    ],
    ErrInUse => [
        "다른 lethe 프로그램이 이 보관함을 쓰고 있습니다. 그것을 먼저 닫으세요.",
        "另一个 lethe 程序正在使用此保险箱。请先关闭它。",
        "Another lethe program has this container open. Close it first.",
    ],
    ErrFull => [
        "공간이 모자랍니다 ({0} KiB 필요, {1} KiB 남음). 아무것도 바뀌지 않았습니다.",
        "空间不足（需要 {0} KiB，剩余 {1} KiB）。未做任何更改。",
        "Not enough space ({0} KiB needed, {1} KiB free). Nothing was changed.",
    ],
    ErrNoSuchItem => ["{0} 항목이 없습니다.", "没有项目 {0}。", "There is no item {0}."],
    ErrItemDamaged => [
        "{0} 항목이 손상되었습니다. 다른 항목은 괜찮습니다.",
        "项目 {0} 已损坏。其他项目不受影响。",
        "Item {0} is damaged. Other items are not affected.",
    ],
    ErrIndexDamaged => ["이 칸의 목록이 손상되었습니다.", "此分区的目录已损坏。", "This compartment's index is damaged."],
    ErrNotContainer => [
        "이 파일은 온전한 보관함이 아닙니다 (잘렸거나 다른 파일).",
        "此文件不是完整的保险箱（被截断或是其他文件）。",
        "This file is not a whole container (truncated, or another file).",
    ],
    ErrNoFreeCompartment => ["더 만들 칸이 없습니다 (최대 8개).", "没有空闲分区（最多 8 个）。", "No compartment left (8 at most)."],
    ErrPassphraseUsed => [
        "그 비밀번호는 이미 다른 칸을 엽니다. 다른 것을 고르세요.",
        "该密码已能打开一个分区。请换一个。",
        "That passphrase already opens a compartment. Choose another.",
    ],
    ErrTooLarge => ["너무 깁니다 (이름이나 목록).", "太长了（名称或目录）。", "Too large (a name or the index)."],
    ErrEmptyPassphrase => ["비밀번호가 비어 있습니다.", "密码为空。", "The passphrase is empty."],
    ErrFileNotFound => ["그런 파일이 없습니다.", "文件不存在。", "No such file."],
    ErrNotAFile => ["보통 파일이 아닙니다.", "不是普通文件。", "Not a regular file."],
    ErrPermission => ["권한이 없습니다.", "没有权限。", "Permission denied."],
    ErrFileExists => [
        "그 파일이 이미 있습니다. lethe는 파일을 덮어쓰지 않습니다.",
        "文件已存在。lethe 不会覆盖文件。",
        "That file exists already; lethe does not overwrite files.",
    ],
    ErrIo => ["읽거나 쓰지 못했습니다: {0}", "读写失败：{0}", "Could not read or write: {0}"],
    ErrOther => ["오류: {0}", "错误：{0}", "Error: {0}"],
    ErrInternal => [
        "내부 오류입니다. 다시 열어 주세요.",
        "内部错误。请重新打开。",
        "Internal error. Please open again.",
    ],
    Cancelled => ["취소했습니다.", "已取消。", "Cancelled."],
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn placeholders(s: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut rest = s;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            if let Some(close) = after.find('}') {
                out.insert(after[..close].to_string());
                rest = &after[close + 1..];
            } else {
                break;
            }
        }
        out
    }

    fn has_hangul(s: &str) -> bool {
        s.chars().any(|c| ('\u{ac00}'..='\u{d7a3}').contains(&c))
    }

    fn has_han(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// Ids whose text is the same in every language (key names).
    const SAME_EVERYWHERE: &[Msg] = &[Msg::KeyCtrlQ];

    #[test]
    fn every_message_exists_in_all_three_languages() {
        for &m in Msg::ALL {
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
            assert!(!has_hangul(en) && !has_han(en), "{m:?}: the English text is not English: {en}");
        }
    }

    #[test]
    fn formatting_fills_placeholders() {
        assert_eq!(fill("a {0} b {1} {0}", &["x", "y"]), "a x b y x");
        assert_eq!(fill("{0} {2}", &["x"]), "x ");
        assert_eq!(fill("{ odd } {", &[]), "{ odd } {");
        assert_eq!(Lang::En.format(Msg::ErrFull, &["4", "1"]), "Not enough space (4 KiB needed, 1 KiB free). Nothing was changed.");
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
