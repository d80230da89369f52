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
            #[cfg(test)]
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
    HintYesErase => ["예, 지웁니다", "是，删除", "yes, erase"],
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
    Exporting => ["내보내는 중", "正在导出", "Exporting"],
    // Said each time the app writes a file outside the container, as the command line says it.
    Exported => [
        "{0}(으)로 내보냈습니다. 이 평문 파일은 컨테이너 밖에 있고 본인만 읽을 수 있습니다. 더 필요 없으면 지우세요: lethe shred {0}",
        "已导出到 {0}。这个明文文件位于容器之外，仅您可读。不再需要时请删除：lethe shred {0}",
        "Exported to {0}. This plain-text file is outside the container, readable only by you. When you no longer need it, remove it with: lethe shred {0}",
    ],
    SavedSealed => [
        "{0}에 저장했습니다. 봉인된 파일이지만 컨테이너 밖에 있습니다(본인만 읽을 수 있음). 더 필요 없으면 지우세요: lethe shred {0}",
        "已保存到 {0}。文件已加密，但位于容器之外（仅您可读）。不再需要时请删除：lethe shred {0}",
        "Saved to {0}. It is sealed, but outside the container (readable only by you). When you no longer need it, remove it with: lethe shred {0}",
    ],
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
        "다른 프로그램이 이 파일을 쓰고 있습니다. 그것을 먼저 닫으세요.",
        "另一个程序正在使用此文件。请先关闭它。",
        "Another program has this file open. Close it first.",
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
    ErrNoQrInPicture => [
        "그림에서 QR 코드를 읽지 못했습니다. 코드 전체가 선명하게 나오게 다시 찍으세요. 아무것도 바뀌지 않았습니다.",
        "图片里读不到二维码。请让整个码清楚地入镜后重拍。什么都没有改变。",
        "No QR code could be read in the picture. Take it again with the whole code sharp. Nothing was changed.",
    ],
    ErrBadPicture => [
        "그림 파일이 손상되었거나 너무 큽니다. 아무것도 바뀌지 않았습니다.",
        "图片文件已损坏或太大。什么都没有改变。",
        "The picture file is damaged or too large. Nothing was changed.",
    ],
    ErrPermission => ["권한이 없습니다.", "没有权限。", "Permission denied."],
    ErrFileExists => [
        "그 파일이 이미 있습니다. 이 앱은 파일을 덮어쓰지 않습니다.",
        "文件已存在。本应用不会覆盖文件。",
        "That file exists already; this app does not overwrite files.",
    ],
    ErrIo => ["읽거나 쓰지 못했습니다: {0}", "读写失败：{0}", "Could not read or write: {0}"],
    ErrOther => ["오류: {0}", "错误：{0}", "Error: {0}"],
    ErrInternal => [
        "내부 오류입니다. 다시 열어 주세요.",
        "内部错误。请重新打开。",
        "Internal error. Please open again.",
    ],
    Cancelled => ["취소했습니다.", "已取消。", "Cancelled."],
    ErrPhotoTooLarge => [
        "사진이 너무 큽니다 (최대 {0} MiB).",
        "照片太大（最多 {0} MiB）。",
        "The photo is too large (at most {0} MiB).",
    ],
    ErrNotJpeg => [
        "JPEG 사진이 아닙니다. 메타데이터(장소, 시간, 휴대폰)는 JPEG 사진에서만 지웁니다; 이 파일을 그대로 보내려면 '메타데이터째 보내기'를 켜세요.",
        "不是 JPEG 照片。只有 JPEG 照片的元数据（地点、时间、手机）会被删除；要原样发送此文件，请打开“连同元数据发送”。",
        "Not a JPEG photo. Metadata (place, time, phone) is removed only from JPEG photos; to send this file as it is, turn on 'Send with its metadata'.",
    ],
    KeepMetadata => ["메타데이터째 보내기 (JPEG 아닌 파일)", "连同元数据发送（非 JPEG 文件）", "Send with its metadata (not a JPEG)"],
    ErrContainerChanged => [
        "다른 프로그램이 보관함을 바꿨습니다. 잠갔습니다; 그 뒤에 입력한 것은 저장되지 않았습니다.",
        "另一个程序更改了保险箱。已锁定；之后输入的内容没有保存。",
        "The container was changed by another program. Locked; nothing typed after that was saved.",
    ],

    // ---- Roles: tabs, titles
    TabField => ["현장", "现场", "Field"],
    TabHub => ["본부", "中心", "Hub"],
    Done => ["끝났습니다.", "完成。", "Done."],
    Yes => ["예", "是", "yes"],
    Sealing => ["봉인하는 중", "正在封存", "Sealing"],
    Verifying => ["확인하는 중", "正在核对", "Verifying"],

    // ---- Columns
    ColCode => ["코드", "编号", "Code"],
    ColAlias => ["별칭", "化名", "Alias"],
    ColAmount => ["금액", "金额", "Amount"],
    ColPlace => ["장소", "地点", "Place"],
    ColDeadline => ["기한", "期限", "Deadline"],
    ColAge => ["받은 지", "已收到", "Age"],
    ColChars => ["글자 수", "字符数", "Chars"],
    ColMedia => ["사진", "照片", "Media"],
    ColBroker => ["전달자", "经手人", "Broker"],
    ColStatus => ["상태", "状态", "Status"],
    ColHanded => ["건넨 금액", "交付金额", "Handed over"],
    ColOrdered => ["주문 금액", "订单金额", "Ordered"],
    ColVerdict => ["확인 결과", "核对结果", "Result"],
    ColAdvanced => ["선지급", "预付", "Advanced"],
    ColDelivered => ["전달", "已送达", "Delivered"],
    ColFees => ["수수료", "手续费", "Fees owed"],
    ColDisputed => ["이의", "争议", "Disputed"],
    ColOutstanding => ["미전달", "未送达", "Outstanding"],
    ColBalance => ["잔액", "余额", "Balance"],

    // ---- Form fields
    FieldAlias => ["받는 사람 별칭 (실명 금지)", "收款人化名（不要用真名）", "Recipient alias (never a real name)"],
    FieldPlace => ["장소 힌트 (모호하게)", "地点提示（尽量模糊）", "Place hint (keep it vague)"],
    FieldAmount => ["금액 (예: 300만, 1万5000)", "金额（例：300万、1万5000）", "Amount (e.g. 1,500,000 or 150만)"],
    FieldCurrency => ["통화", "币种", "Currency"],
    FieldFee => ["수수료 (선택)", "手续费（可选）", "Fee (optional)"],
    FieldDeadline => ["기한 YYYY-MM-DD (없으면 14일)", "期限 YYYY-MM-DD（留空为 14 天）", "Deadline YYYY-MM-DD (empty: 14 days)"],
    FieldQuestion => ["확인 질문 (가족만 아는 것)", "验证问题（只有家人知道）", "Challenge question (only the family knows)"],
    FieldAnswer => ["기대하는 답 (가려짐)", "预期答案（隐藏）", "Expected answer (hidden)"],
    FieldBroker => ["전달자", "经手人", "Broker"],
    FieldResend => ["보냈지만 보고가 없는 주문도 다시 보내기", "也重发已发送但未报告的订单", "Also resend orders sent but not reported"],
    FieldAmountHanded => ["건넨 금액", "交付金额", "Amount handed over"],
    FieldRecipientAnswer => ["받는 사람의 답 (가려짐)", "收款人的回答（隐藏）", "The recipient's answer (hidden)"],
    FieldPhotoOptional => ["사진/영상 파일 경로 (선택)", "照片/视频文件路径（可选）", "Photo or video file (optional)"],
    ShredPhoto => ["봉인한 뒤 원본 파일을 덮어쓰고 지우기", "封存后覆盖并删除原文件", "Overwrite and delete the original after sealing"],
    FieldHubKey => ["본부의 공개 키", "中心的公钥", "The hub's public key"],
    FieldBrokerName => ["전달자 이름 (가명)", "经手人名称（化名）", "Broker name (a pseudonym)"],
    FieldBrokerKey => ["전달자의 공개 키", "经手人的公钥", "The broker's public key"],
    FieldMediaFile => ["봉인된 사진/영상 파일 경로", "封存的照片/视频文件路径", "Path of the sealed media file"],
    FieldSavePath => ["저장할 곳 (새 파일 경로)", "保存到（新文件路径）", "Save to (path of a new file)"],
    FieldPasteMessage => ["메시지 붙여 넣기", "粘贴消息", "Paste the message"],
    FieldMessageFile => ["또는 메시지 파일 경로", "或消息文件路径", "or the path of a message file"],

    // ---- Hints
    HintNextOrSubmit => ["다음/완료", "下一项/完成", "next/done"],
    HintSubmit => ["완료", "完成", "done"],
    HintChoose => ["고르기", "选择", "choose"],
    HintClose => ["닫기", "关闭", "close"],
    HintQrText => ["QR/글자", "二维码/文字", "QR/text"],
    HintSaveFile => ["파일로 저장", "存为文件", "save as file"],
    HintDeliver => ["전달 기록", "记录送达", "record delivery"],
    HintInbox => ["받은 메시지", "收到的消息", "inbox"],
    HintOutbox => ["보낼 보고", "待发报告", "outbox"],
    HintPairing => ["짝 맺기", "配对", "pairing"],
    HintEnterHubKey => ["본부 키 입력", "输入中心公钥", "enter the hub's key"],
    HintSendNow => ["메시지 만들기", "生成消息", "make the message"],
    HintExportMedia => ["사진 내보내기", "导出照片", "export media"],
    HintNewOrder => ["새 주문", "新订单", "new order"],
    HintSendOrders => ["주문 보내기", "发送订单", "send orders"],
    HintImportReports => ["보고 가져오기", "导入报告", "import reports"],
    HintImportMedia => ["사진 파일 가져오기", "导入照片文件", "import media"],
    HintLedger => ["장부", "账本", "ledger"],
    HintBrokers => ["전달자와 키", "经手人与公钥", "brokers and keys"],
    HintFilter => ["전달자/상태 거르기", "按经手人/状态筛选", "filter broker/status"],
    HintShowAck => ["확인 메시지 보기", "查看确认消息", "show the acknowledgement"],
    HintAdvance => ["선지급 기록", "记录预付", "record an advance"],
    HintAddBroker => ["전달자 추가", "添加经手人", "add a broker"],

    // ---- Field screens
    FieldOrdersTitle => ["처리할 주문 {0}건 · 보낼 보고 {1}건", "待办订单 {0} 个 · 待发报告 {1} 份", "{0} pending orders · {1} reports to send"],
    NoOrders => ["주문이 없습니다.", "没有订单。", "No orders."],
    FieldNotPairedHelp => [
        "아직 본부와 짝을 맺지 않았습니다. p 키: 내 공개 키를 본부에 주고, 본부의 키를 입력하세요.",
        "尚未与中心配对。按 p：把你的公钥交给中心，并输入中心的公钥。",
        "Not paired with a hub yet. Press p: give your public key to the hub and enter the hub's key.",
    ],
    WaitingForAck => ["전달함, 확인 대기", "已送达，等待确认", "delivered, awaiting ack"],
    DisputedByHub => ["본부가 이의", "中心有异议", "disputed by hub"],
    DetailDispute => [
        "본부의 이의: {0} (본부가 해결할 때까지 남겨 둡니다)",
        "中心的异议：{0}（保留到中心解决为止）",
        "Disputed by the hub: {0} (kept until the hub resolves it)",
    ],
    DetailPlace => ["장소: {0}", "地点：{0}", "Place: {0}"],
    DetailDeadlineFee => ["기한 {0} · 수수료 {1}", "期限 {0} · 手续费 {1}", "Deadline {0} · fee {1}"],
    DetailReport => ["보고: {0} 전달, {1}", "报告：交付 {0}，{1}", "Report: {0} handed over, {1}"],
    AskQuestion => ["물어볼 질문: {0}", "要问的问题：{0}", "Ask: {0}"],
    DeliverTitle => ["전달 기록", "记录送达", "Record a delivery"],
    DeliverNote => [
        "답은 그 자리에서 본부의 키로 봉인됩니다. 이 휴대폰에는 열 수 없는 암호문만 남습니다. JPEG 사진은 위치 등 메타데이터를 지우고 봉인합니다.",
        "回答当场用中心的公钥封存，手机上只留下无法打开的密文。JPEG 照片会先删除位置等元数据再封存。",
        "The answer is sealed to the hub's key at once; this phone keeps only ciphertext it cannot open. JPEG photos lose their metadata (place, time, phone) before sealing.",
    ],
    Delivered => [
        "{0} 전달을 기록하고 보고를 봉인했습니다. m 키로 보내세요.",
        "已记录送达 {0} 并封存报告。按 m 发送。",
        "Delivery of {0} recorded and the report sealed. Press m to send it.",
    ],
    DeliveredWithMedia => [
        "{0} 전달을 기록하고 보고와 사진을 봉인했습니다. m 키로 보내세요.",
        "已记录送达 {0}，报告和照片均已封存。按 m 发送。",
        "Delivery of {0} recorded; the report and the photo are sealed. Press m to send.",
    ],
    DoneShredded => ["{0} 원본 파일을 덮어쓰고 지웠습니다.", "{0} 原文件已覆盖并删除。", "{0} The original file was overwritten and deleted."],
    DoneShredCow => [
        "{0} 원본을 지웠지만 이 저장 장치는 덮어쓰기가 확실하지 않습니다. 빈 공간 지우기를 하세요.",
        "{0} 原文件已删除，但此存储无法保证覆盖。请清除空闲空间。",
        "{0} The original was deleted, but this file system may keep old copies: scrub its free space.",
    ],
    DoneShredFailed => ["{0} 원본 파일은 지우지 못했습니다. 직접 지우세요.", "{0} 无法删除原文件，请自行删除。", "{0} The original file could not be deleted: delete it yourself."],
    OutboxSummary => [
        "보고 {0}건이 메시지 하나로 나갑니다: 정확히 {1}자.",
        "{0} 份报告合为一条消息发出：恰好 {1} 个字符。",
        "{0} reports go as one message: exactly {1} characters on the air.",
    ],
    OutboxEmpty => ["보낼 보고가 없습니다.", "没有待发报告。", "Nothing to send."],
    OutboxExplain => [
        "보고는 본부가 확인할 때까지 남아 있다가, 확인되거나 보관 기간이 지나면 지워집니다.",
        "报告保留到中心确认为止；确认后或保存期满即删除。",
        "Reports stay until the hub acknowledges them; they are erased then, or when the retention window ends.",
    ],
    SealedMediaNote => [
        "봉인된 파일은 본부만 열 수 있습니다. 채팅 앱으로 파일을 보낸 뒤 지우세요.",
        "封存的文件只有中心能打开。通过聊天应用发送后请删除。",
        "Only the hub can open the sealed file. Send it as a file through a chat app, then delete it.",
    ],
    ReportsReady => ["보고 {0}건, {1}자.", "{0} 份报告，{1} 个字符。", "{0} reports, {1} characters."],
    ReportsTitle => ["본부로 보낼 보고", "发给中心的报告", "Reports for the hub"],
    InboxTitle => ["본부에서 온 메시지", "来自中心的消息", "Message from the hub"],
    InboxExplain => [
        "채팅 앱에서 복사한 메시지를 붙여 넣거나, 파일 경로를 입력하세요. 틀리거나 바뀐 메시지는 아무것도 바꾸지 않습니다.",
        "粘贴从聊天应用复制的消息，或输入文件路径。输错或被改动的消息不会改变任何内容。",
        "Paste the message copied from the chat app, or give a file's path. A mistyped or altered message changes nothing.",
    ],
    OrdersReceived => ["새 주문 {0}건을 받았습니다 (이미 있던 것 {1}건).", "收到 {0} 个新订单（已有 {1} 个）。", "{0} new orders received ({1} already here)."],
    AckReceived => [
        "본부가 확인했습니다: 주문 {0}건과 보고를 지웠습니다.",
        "中心已确认：已删除 {0} 个订单及其报告。",
        "The hub acknowledged: {0} orders and their reports were erased.",
    ],
    AckReceivedDisputed => [
        "본부가 확인했습니다: 주문 {0}건과 보고를 지웠습니다. 본부가 이의를 단 주문 {1}건은 그 이유와 함께 남겨 둡니다.",
        "中心已确认：已删除 {0} 个订单及其报告。中心有异议的 {1} 个订单连同理由保留。",
        "The hub acknowledged: {0} orders and their reports were erased. {1} orders the hub disputes are kept, with its reason.",
    ],
    YourPublicKey => ["내 공개 키 (상대에게 주세요):", "我的公钥（交给对方）：", "Your public key (give it to the other side):"],
    SafetyCode => [
        "안전 코드: {0} — 상대와 목소리로나 직접 맞춰 보세요.",
        "安全码：{0} —— 请与对方通过语音或当面核对。",
        "Safety code: {0} — compare it with the other side by voice or in person.",
    ],
    NotPairedYet => ["아직 짝을 맺지 않았습니다. h 키로 본부의 키를 입력하세요.", "尚未配对。按 h 输入中心的公钥。", "Not paired yet. Press h to enter the hub's key."],
    PairNote => [
        "키를 넣으면 안전 코드가 나옵니다. 상대의 것과 같을 때만 믿으세요.",
        "输入公钥后会显示安全码。只有与对方的一致才可信。",
        "After the key goes in, a safety code appears. Trust it only if it matches the other side's.",
    ],
    Paired => ["짝을 맺었습니다. 안전 코드: {0}", "配对完成。安全码：{0}", "Paired. Safety code: {0}"],
    HintPairRemote => ["멀리서 짝 맺기", "远程配对", "pair remotely"],
    PairRequestTitle => ["짝 맺기 요청", "配对请求", "Pairing request"],
    PairRequestMade => [
        "요청을 만들었습니다. 본부에 보내고, 본부의 답을 h 키로 넣으세요.",
        "已生成请求。发给中心，然后按 h 输入中心的回复。",
        "Request made. Send it to the hub, then enter the hub's answer with h.",
    ],
    PairAnswerTitle => ["짝 맺기 답", "配对回复", "Pairing answer"],
    PairAnswerMade => [
        "{0}에게 이 답을 보내세요. 그가 보내는 마지막 글을 a 키로 같은 이름과 함께 넣으세요.",
        "把这条回复发给 {0}。再按 a，用同一名字输入对方发来的最后一段文字。",
        "Send this answer to {0}. Then enter the last text she sends with a, under the same name.",
    ],
    PairRevealTitle => ["짝 맺기 마지막 글", "配对最后一步", "Last pairing step"],
    PairedRemote => [
        "짝을 맺었습니다. 이 글을 본부에 보내고, 코드 {0}을(를) 전화로 맞춰 보세요.",
        "配对完成。把这段文字发给中心，并通过电话核对安全码 {0}。",
        "Paired. Send this text to the hub and compare the code {0} by voice.",
    ],
    PairTextSend => [
        "이 글을 그대로 상대에게 보내세요 (복사하거나 q 키로 QR 코드):",
        "把这段文字原样发给对方（复制，或按 q 显示二维码）：",
        "Send this text to the other side as it is (copy it, or q for a QR code):",
    ],
    PairCodeAloud => [
        "안전 코드: {0} — 상대와 목소리로 맞춰 보세요. 다르면 이 짝을 믿지 마세요.",
        "安全码：{0} —— 请与对方用语音核对。不一致就不要信任这次配对。",
        "Safety code: {0} — compare it with the other side by voice. If it differs, do not trust this pairing.",
    ],
    SetRetention => ["보관 기간 (현장)", "保存期（现场）", "Retention (field)"],
    SetRetentionExplain => [
        "받은 주문과 봉인된 보고는 본부가 확인하면 바로, 늦어도 이 기간이 지나면 지워집니다.",
        "收到的订单和封存的报告在中心确认后立即删除，最迟在此期限后删除。",
        "Orders and sealed reports are erased when the hub acknowledges them, and at the latest after this many days.",
    ],
    Days => ["{0}일", "{0} 天", "{0} days"],
    RetentionSet => ["보관 기간: {0}일. 지금 {1}건을 지웠습니다.", "保存期：{0} 天。刚删除 {1} 项。", "Retention: {0} days. {1} items erased now."],
    RetentionErased => ["보관 기간이 지난 {0}건을 지웠습니다.", "已删除 {0} 项过期内容。", "{0} items past the retention window were erased."],
    SetUpField => ["현장 전달자로 쓰기…", "设为现场经手人…", "Set up as field broker…"],
    SetUpFieldExplain => [
        "이 칸에 전달자 키를 만듭니다. 숨은 칸에서 하는 것이 좋습니다.",
        "在此分区创建经手人密钥。最好在隐藏分区中进行。",
        "Makes a broker key in this compartment. Best done in a hidden compartment.",
    ],
    SetUpHub => ["본부로 쓰기…", "设为中心…", "Set up as hub…"],
    SetUpHubExplain => ["이 칸에 본부 키를 만듭니다.", "在此分区创建中心密钥。", "Makes a hub key in this compartment."],
    FieldReady => ["현장 키를 만들었습니다. 현장 화면에서 p 키로 짝을 맺으세요.", "已创建现场密钥。在现场页面按 p 配对。", "Broker key made. Press p on the Field screen to pair."],
    HubReady => ["본부 키를 만들었습니다. 본부 화면에서 p 키로 전달자를 추가하세요.", "已创建中心密钥。在中心页面按 p 添加经手人。", "Hub key made. Press p on the Hub screen to add brokers."],

    // ---- Hub screens
    HubOrdersTitle => ["주문", "订单", "Orders"],
    HubFilters => ["전달자: {0} · 상태: {1}", "经手人：{0} · 状态：{1}", "Broker: {0} · status: {1}"],
    FilterAll => ["전체", "全部", "all"],
    FilterOpen => ["진행 중", "进行中", "open"],
    OrderNote => [
        "기대하는 답은 솔트를 넣은 느린 해시로만 남습니다. 답은 대소문자, 띄어쓰기, 문장부호, 전각/반각을 가리지 않고 비교합니다.",
        "预期答案只以加盐的慢哈希保存。比较时不区分大小写、空格、标点和全角/半角。",
        "Only a salted, slow hash of the expected answer is kept. Answers are compared ignoring case, spaces, punctuation and full/half width.",
    ],
    OrderMade => ["주문 {0}을(를) 만들었습니다. m 키로 보내세요.", "已创建订单 {0}。按 m 发送。", "Order {0} made. Press m to send it."],
    OrdersReady => ["주문 {0}건, {1}자.", "{0} 个订单，{1} 个字符。", "{0} orders, {1} characters."],
    OrdersTitle => ["전달자에게 보낼 주문", "发给经手人的订单", "Orders for the broker"],
    ImportReportsTitle => ["전달자에게서 온 보고", "来自经手人的报告", "Reports from a broker"],
    ReportsImported => ["보고 {0}건을 확인했습니다.", "已核对 {0} 份报告。", "{0} reports checked."],
    ResultsTitle => ["{0}의 보고 확인 결과", "{0} 的报告核对结果", "Results for {0}'s reports"],
    OutcomeDelivered => ["답이 맞음: 전달됨", "回答正确：已送达", "answer matches: delivered"],
    OutcomeAlreadyRecorded => ["이미 기록됨", "已记录", "already recorded"],
    OutcomeUnknownOrder => ["모르는 주문", "未知订单", "unknown order"],
    AckReady => [
        "전달자가 기록을 지우도록 확인 메시지({0}자)를 보내세요: Enter.",
        "请发送确认消息（{0} 个字符），让经手人删除记录：按 Enter。",
        "Send the acknowledgement ({0} characters) so the broker's lethe erases its records: Enter.",
    ],
    AckTitle => ["전달자에게 보낼 확인", "发给经手人的确认", "Acknowledgement for the broker"],
    AckWaitsForMedia => [
        "사진을 아직 가져오지 않은 주문이 있어 확인을 보류합니다: 사진을 가져오면 그 주문의 확인이 나옵니다.",
        "有订单的照片尚未导入，暂不确认：导入照片后会生成该订单的确认。",
        "No acknowledgement yet: the photos of these orders are not imported. Importing a photo makes its order's acknowledgement.",
    ],
    LedgerExplain => [
        "잔액 = 선지급 − 전달 − 수수료: 전달자가 아직 가진 본부의 돈 (음수면 본부가 줄 돈).",
        "余额 = 预付 − 已送达 − 手续费：经手人手上仍属中心的现金（负数表示中心欠经手人）。",
        "Balance = advanced − delivered − fees: the hub's cash the broker still holds (negative: the hub owes the broker).",
    ],
    AdvanceRecorded => ["{1}에게 선지급 {0}을(를) 기록했습니다.", "已记录向 {1} 预付 {0}。", "Recorded an advance of {0} to {1}."],
    BrokersTitle => ["짝을 맺은 전달자:", "已配对的经手人：", "Paired brokers:"],
    BrokerLine => ["{0} · 안전 코드 {1} · {2}", "{0} · 安全码 {1} · {2}", "{0} · safety code {1} · {2}"],
    NoBrokersHelp => [
        "전달자가 없습니다. p 키, 그다음 a 키로 전달자의 공개 키를 넣으세요.",
        "没有经手人。按 p，再按 a 输入经手人的公钥。",
        "No brokers yet. Press p, then a, and enter a broker's public key.",
    ],
    BrokerPaired => [
        "{0}와(과) 짝을 맺었습니다. 안전 코드 {1}을(를) 목소리로 맞춰 보세요.",
        "已与 {0} 配对。请通过语音核对安全码 {1}。",
        "Paired with {0}. Compare the safety code {1} by voice.",
    ],
    MediaAnnounced => ["(사진 있음, 아직 안 가져옴)", "（有照片，尚未导入）", "(photo announced, not imported)"],
    MediaHere => ["(사진 있음: x 키로 내보내기)", "（有照片：按 x 导出）", "(photo here: x exports it)"],
    MediaImported => ["주문 {0}의 사진을 가져왔습니다 ({1}).", "已导入订单 {0} 的照片（{1}）。", "Imported the photo of order {0} ({1})."],

    // ---- Outgoing messages
    OutgoingSummary => [
        "{0}건 · 정확히 {1}자 ({2}바이트 봉인). 채팅 앱에 그대로 붙여 넣거나 QR로 보여 주세요.",
        "{0} 项 · 恰好 {1} 个字符（封存 {2} 字节）。原样粘贴到聊天应用，或出示二维码。",
        "{0} items · exactly {1} characters on the air ({2} bytes sealed). Paste it into a chat app as it is, or show the QR code.",
    ],
    SetCover => ["위장 글 (현장)", "伪装文字（现场）", "Cover text (field)"],
    SetCoverExplain => [
        "본부로 보내는 메시지가 처음 보이는 형태. 메시지 화면에서 c 키로 메시지마다 바꿀 수 있습니다.",
        "发给总部的消息默认显示的形式。在消息画面按 c 可逐条更改。",
        "The form messages to the hub start in. c on the message screen changes it per message.",
    ],
    CoverSet => ["본부로 보내는 메시지의 형태: {0}.", "发给总部的消息形式：{0}。", "Messages to the hub now start as: {0}."],
    CoverSummary => [
        "{0}건 · {1}자, 평범한 채팅처럼 보이는 글. 채팅 앱에 그대로 붙여 넣으세요 (QR 코드는 일반 암호 글자로 보여 줍니다).",
        "{0} 项 · {1} 个字符，看起来像普通聊天。原样粘贴到聊天应用（二维码仍显示普通密文）。",
        "{0} items · {1} characters that read as ordinary chat. Paste it into a chat app as it is (the QR code shows plain armor).",
    ],
    FormLine => ["보내는 형태: {0}", "发送形式：{0}", "Form: {0}"],
    FormArmor => ["일반 암호 글자", "普通密文", "plain armor"],
    FormKoMarket => ["한국어 시장 이야기", "韩语市场闲聊", "Korean market talk"],
    FormZhMarket => ["중국어 시장 이야기", "中文市场闲聊", "Chinese market talk"],
    HintCoverForm => ["형태 바꾸기", "换形式", "change form"],
    CoverUnavailable => [
        "이 짝에는 채널 키가 없어 위장 글을 쓸 수 없습니다. 다시 짝을 맺으세요.",
        "此配对没有通道密钥，无法写伪装文字。请重新配对。",
        "This pairing has no channel key, so no cover text can be written. Pair again.",
    ],
    ErrCoverTooLong => [
        "메시지가 위장 글로 쓰기에 너무 깁니다. 일반 암호 글자로 보내세요.",
        "消息太长，无法写成伪装文字。请用普通密文发送。",
        "The message is too long for cover text. Send it as plain armor.",
    ],
    ErrCoverIncomplete => [
        "메시지가 다 오지 않았습니다: 글의 일부가 빠졌습니다. 전부 붙여 넣으세요. 아무것도 바뀌지 않았습니다.",
        "消息不完整：缺了一部分文字。请全部粘贴。没有任何改动。",
        "The message is incomplete: part of the text is missing; paste all of it. Nothing was changed.",
    ],
    ErrCoverRefused => [
        "이 글은 이 짝의 키로 읽을 수 없습니다: 다른 짝에게 보낸 글이거나 바뀌었습니다. 아무것도 바뀌지 않았습니다.",
        "此文字无法用本配对的密钥读取：它是发给其他配对的，或已被改动。没有任何改动。",
        "This text cannot be read with this pairing's key: it is for another pairing, or it was changed. Nothing was changed.",
    ],
    OutgoingRemaining => ["{0}건은 다음 메시지로 보내야 합니다.", "还有 {0} 项需下一条消息发送。", "{0} more wait for the next message."],
    QrTooBig => [
        "QR 코드가 화면보다 큽니다 ({0}×{1}칸): 창을 키우거나 글자로 보내세요.",
        "二维码比屏幕大（{0}×{1} 格）：请放大窗口或用文字发送。",
        "The QR code is larger than the screen ({0}×{1} cells): enlarge the window or send the text.",
    ],
    SaveMessageNote => [
        "봉인된 메시지라 본인도 열 수 없습니다. 보낸 뒤 파일을 지우세요.",
        "这是封存的消息，你自己也打不开。发送后请删除文件。",
        "The message is sealed; even you cannot open it. Delete the file once sent.",
    ],

    // ---- Remittance errors
    ErrNoRole => ["이 칸에는 그 역할의 키가 없습니다.", "此分区没有该角色的密钥。", "This compartment has no key for that role."],
    ErrRoleExists => ["이 칸에는 이미 그 역할의 키가 있습니다.", "此分区已有该角色的密钥。", "This compartment already has a key for that role."],
    ErrNotPaired => ["아직 본부와 짝을 맺지 않았습니다 (p 키).", "尚未与中心配对（按 p）。", "Not paired with a hub yet (press p)."],
    ErrAlreadyPaired => ["이미 본부와 짝을 맺었습니다.", "已与中心配对。", "Already paired with a hub."],
    ErrBadKey => [
        "공개 키가 아닙니다. 잘못 입력했는지 확인하세요.",
        "这不是公钥。请检查是否输错。",
        "That is not a public key. Check it for typing mistakes.",
    ],
    ErrOwnKey => ["그것은 내 키입니다. 상대의 키를 넣으세요.", "这是你自己的公钥，请输入对方的。", "That is your own key; enter the other side's."],
    ErrBrokersPairingText => [
        "이것은 전달자의 짝 맺기 글입니다(요청이나 짝 맺기 키). 본부의 공개 키를 넣으세요. 아무것도 바꾸지 않았습니다.",
        "这是经手人的配对文本（请求或配对密钥），不是中心的。请输入中心的公钥。没有做任何更改。",
        "This is a broker's pairing text (a request or a pairing key), not the hub's. Enter the hub's public key. Nothing was changed.",
    ],
    ErrNoPairRequest => [
        "본부가 보낸 짝 맺기 답이지만, 이 전화기에는 기다리는 요청이 없습니다. 먼저 r 키로 요청을 만들어 본부에 보내세요. 아무것도 바뀌지 않았습니다.",
        "这是中心的配对回复，但这部手机没有待处理的请求。请先按 r 生成请求并发给中心。什么都没有改变。",
        "This is the hub's answer to a pairing request, but this phone has no request waiting. Press r to make one and send it to the hub first. Nothing was changed.",
    ],
    ErrUnknownBroker => ["'{0}' 전달자가 없습니다.", "没有经手人“{0}”。", "No broker named '{0}'."],
    ErrBrokerExists => ["'{0}' 전달자가 이미 있습니다.", "经手人“{0}”已存在。", "A broker named '{0}' exists already."],
    ErrBrokerKeyExists => ["이 키는 이미 '{0}'(으)로 등록되어 있습니다.", "此公钥已登记为“{0}”。", "This key is already paired as '{0}'."],
    ErrBrokerName => ["이름은 1~32자, 앞뒤 공백 없이 쓰세요.", "名称须为 1 到 32 个字符，首尾不能有空格。", "A name is 1 to 32 characters, without spaces at the ends."],
    ErrAmount => [
        "금액을 읽을 수 없습니다 (예: 1500, 1,500.50, 150만, 1万5000).",
        "无法识别金额（例：1500、1,500.50、150万、1万5000）。",
        "Cannot read the amount (examples: 1500, 1,500.50, 150만, 1万5000).",
    ],
    ErrCurrency => ["통화를 모릅니다 (KRW, CNY, USD).", "未知币种（KRW、CNY、USD）。", "Unknown currency (KRW, CNY, USD)."],
    ErrBadDate => ["날짜를 읽을 수 없습니다 (YYYY-MM-DD).", "无法识别日期（YYYY-MM-DD）。", "Cannot read the date (YYYY-MM-DD)."],
    ErrDeadlinePassed => ["기한이 이미 지났습니다.", "期限已过。", "The deadline is already past."],
    ErrFormMissing => ["'{0}' 칸을 채우세요.", "请填写“{0}”。", "Fill in '{0}'."],
    ErrFormTooLong => ["'{0}' 칸이 너무 길거나 쓸 수 없는 문자가 있습니다.", "“{0}”过长或含有不可用的字符。", "'{0}' is too long or has a character that cannot be used."],
    ErrBadMessage => [
        "이 메시지는 쓸 수 없습니다: 잘못 입력했거나, 잘렸거나, 바뀌었거나, 이 보관함에 온 것이 아닙니다. 아무것도 바뀌지 않았습니다.",
        "此消息无法使用：输错、被截断、被改动，或不是发给此保险箱的。未做任何更改。",
        "This message cannot be used: mistyped, cut off, altered, or not for this container. Nothing was changed.",
    ],
    ErrReplayed => ["이미 받은 메시지입니다. 아무것도 바뀌지 않았습니다.", "这条消息已收到过。未做任何更改。", "This message was received before. Nothing was changed."],
    ErrSealedToErasedKey => [
        "이 전화기가 이미 지운 열쇠로 잠긴 메시지입니다(또는 이 전화기에 온 것이 아닙니다). 본부에 다시 보내 달라고 하세요. 아무것도 바뀌지 않았습니다.",
        "这条消息是用本手机已删除的密钥加密的（或不是发给本手机的）。请中心重新发送。未做任何更改。",
        "This message was sealed to a key this phone has already erased (or it is not for this phone). Ask the hub to send it again. Nothing was changed.",
    ],
    ErrTooOld => [
        "{0}일 된 메시지라 믿을 수 없습니다. 새로 보내 달라고 하세요.",
        "消息已有 {0} 天，无法信任。请对方重新发送。",
        "This message is {0} days old, too old to trust. Ask for a new one.",
    ],
    ErrWrongMessageKind => [
        "이 화면에서 받을 종류의 메시지가 아닙니다. 아무것도 바뀌지 않았습니다.",
        "此页面不接收这种消息。未做任何更改。",
        "This kind of message does not belong here. Nothing was changed.",
    ],
    ErrNothingToSend => ["보낼 것이 없습니다.", "没有要发送的内容。", "Nothing is waiting to be sent."],
    ErrUnknownOrder => ["주문 {0}이(가) 없습니다.", "没有订单 {0}。", "There is no order {0}."],
    ErrAlreadyDelivered => [
        "주문 {0}은(는) 이미 전달했습니다. 보고가 확인을 기다립니다.",
        "订单 {0} 已送达，报告正在等待确认。",
        "Order {0} was already delivered; its report waits for the hub's acknowledgement.",
    ],
    ErrBadAnswer => [
        "답이 비었거나 너무 깁니다 (띄어쓰기와 문장부호는 세지 않습니다).",
        "回答为空或过长（空格和标点不计）。",
        "The answer is empty or too long (spaces and punctuation do not count).",
    ],
    ErrZeroAmount => ["금액이 0일 수는 없습니다.", "金额不能为零。", "The amount cannot be zero."],
    ErrAmountAboveOrder => [
        "주문 {0}의 금액은 {1}입니다. 그보다 많이 기록할 수 없습니다. 실제로 건넨 금액을 적으세요 (적으면 일부 전달로 기록됩니다).",
        "订单 {0} 的金额是 {1}，不能记录更多。请填写实际交付的金额（较少时记为部分送达）。",
        "Order {0} is for {1}; more cannot be recorded. Give the amount actually handed over (less is recorded as a partial delivery).",
    ],
    ErrMedia => ["이 사진을 정리할 수 없습니다 (JPEG가 아니거나 손상됨).", "无法清理此照片（不是 JPEG 或已损坏）。", "This photo cannot be cleaned (not a JPEG, or damaged)."],
    ErrMediaFile => [
        "봉인된 사진 파일을 열 수 없습니다: 잘렸거나, 바뀌었거나, 짝을 맺은 전달자의 것이 아닙니다.",
        "无法打开封存的照片文件：被截断、被改动，或不是已配对经手人的。",
        "The sealed media file cannot be opened: cut off, altered, or not from a paired broker.",
    ],
    ErrMediaWithoutReport => [
        "이 사진 파일에 맞는 보고가 없습니다. 보고를 먼저 가져오세요.",
        "没有与此照片文件对应的报告。请先导入报告。",
        "No imported report mentions this media file. Import the broker's reports first.",
    ],
    ErrMediaAlreadyImported => ["주문 {0}의 사진은 이미 가져왔습니다.", "订单 {0} 的照片已导入。", "The photo of order {0} was imported already."],
    ErrNoMedia => ["주문 {0}에는 가져온 사진이 없습니다.", "订单 {0} 没有已导入的照片。", "Order {0} has no imported photo or video."],
    ErrDamagedRecord => [
        "저장된 기록이 손상되었거나 더 새 버전이 쓴 것입니다.",
        "保存的记录已损坏，或由更新的版本写入。",
        "A stored record is damaged or was written by a newer version of lethe.",
    ],
    ErrBadRetention => ["보관 기간은 1~365일입니다.", "保存期须为 1 到 365 天。", "The retention window must be 1 to 365 days."],
    ErrNoBrokers => ["먼저 전달자를 추가하세요 (p 키).", "请先添加经手人（按 p）。", "Add a broker first (press p)."],
    ErrNoMessage => ["메시지를 붙여 넣거나 파일 경로를 입력하세요.", "请粘贴消息或输入文件路径。", "Paste a message or give a file's path."],
    ErrQr => ["이 메시지는 QR 코드 하나에 들어가지 않습니다.", "此消息放不进一个二维码。", "This message does not fit in one QR code."],

    // ---- Order status (hub)
    StatusNew => ["새 주문", "新订单", "new"],
    StatusSent => ["보냄", "已发送", "sent"],
    StatusDelivered => ["전달됨", "已送达", "delivered"],
    StatusDisputed => ["이의 있음", "有争议", "disputed"],
    StatusWrongAnswer => ["이의: 답이 틀림", "争议：回答错误", "disputed: wrong answer"],
    StatusWrongCurrency => ["이의: 통화가 다름", "争议：币种不符", "disputed: wrong currency"],
    StatusPartial => ["일부 전달됨", "部分送达", "partly delivered"],
    StatusAboveOrder => ["이의: 주문보다 많은 금액", "争议：金额超过订单", "disputed: amount above the order"],

    // ---- lethe demo
    DemoIntro => [
        "lethe 데모: 배달 한 건을 처음부터 끝까지 보여 줍니다. 보관함 두 개는 메모리 안에만 있고 디스크에는 아무것도 쓰지 않습니다.",
        "lethe 演示：从头到尾走完一次送达。两个临时保险箱只存在于内存中，不向磁盘写入任何内容。",
        "lethe demo: one delivery from start to end, on two throwaway containers held in memory. Nothing is written to disk.",
    ],
    DemoKdf => [
        "(Argon2id는 데모용 설정 16 MiB, 2회로 돕니다. 실제 보관함은 256 MiB, 3회로 한 번 여는 데 약 1초 걸립니다.)",
        "（Argon2id 使用演示参数：16 MiB、2 轮；真实保险箱使用 256 MiB、3 轮，每次打开约 1 秒。）",
        "(Argon2id runs with demo parameters, 16 MiB and 2 passes; a real container uses 256 MiB and 3 passes, about a second per unlock.)",
    ],
    DemoHubInit => [
        "본부(밖에 있는 조정자)가 보관함(비밀번호 \"{0}\")과 키 쌍을 만듭니다.",
        "中心（在外面的协调人）创建保险箱（密码“{0}”）和密钥对。",
        "The hub (the coordinator outside) makes its container (passphrase \"{0}\") and its key pair.",
    ],
    DemoPublicKey => ["공개 키: {0}", "公钥：{0}", "public key: {0}"],
    DemoNoteShoppingName => ["장보기", "购物清单", "Shopping"],
    DemoNoteShoppingText => ["쌀 2kg, 두부, 파, 계란 10개", "大米 2 公斤、豆腐、葱、鸡蛋 10 个", "rice 2 kg, tofu, spring onions, 10 eggs"],
    DemoNoteRecipeName => ["김치찌개", "泡菜汤", "Kimchi stew"],
    DemoNoteRecipeText => ["김치를 먼저 볶고 물을 부은 뒤 두부를 넣는다.", "先炒泡菜，加水，再放豆腐。", "Fry the kimchi first, add water, then the tofu."],
    DemoFieldInit => [
        "현장 전달자가 보관함을 만듭니다: 보통 메모가 든 위장 칸(비밀번호 \"{0}\")과, 그 위에 전달자 키를 담은 숨은 칸(비밀번호 \"{1}\").",
        "现场经手人创建保险箱：一个存放普通笔记的伪装分区（密码“{0}”），以及其上存放经手人密钥的隐藏分区（密码“{1}”）。",
        "The field broker makes her container: a decoy compartment with ordinary notes (passphrase \"{0}\"), and above it a hidden compartment (passphrase \"{1}\") holding her broker key.",
    ],
    DemoPaired => [
        "짝 맺기: 두 사람이 공개 키를 글자로 주고받습니다. 본부의 안전 코드 {0}, 현장의 안전 코드 {1}: 목소리로 맞춰 봅니다.",
        "配对：双方以文字交换公钥。中心的安全码 {0}，现场的安全码 {1}：通过语音核对。",
        "Pairing: they exchange public keys as text. Safety code at the hub {0}, at the field {1}: they compare it by voice.",
    ],
    DemoOrders => [
        "본부가 전달자 \"{1}\"에게 주문 {0}건을 만듭니다. 금액은 쓰던 대로(300만, 1万5000) 입력하고, 기대하는 답은 솔트를 넣은 Argon2id 해시로만 남깁니다.",
        "中心为经手人“{1}”创建 {0} 个订单。金额按习惯输入（300만、1万5000）；预期答案只以加盐的 Argon2id 哈希保存。",
        "The hub makes {0} orders for broker \"{1}\". Amounts are typed in local forms (300만, 1万5000); the expected answer is kept only as a salted Argon2id hash.",
    ],
    DemoOrdersSealed => [
        "전달자의 키로 봉인: 주문 {0}건이 메시지 하나, 글자 {1}자({2}바이트)로, 어떤 채팅 앱이나 QR 코드로도 보낼 수 있습니다:",
        "用经手人的公钥封存：{0} 个订单合为一条消息，{1} 个字符（{2} 字节），可用任何聊天应用或二维码发送：",
        "Sealed to the broker's key: {0} orders in one message of {1} characters ({2} bytes), ready for any chat app or a QR code:",
    ],
    DemoFieldReceived => [
        "전달자가 메시지를 lethe에 붙여 넣습니다: 처리할 주문 {0}건.",
        "经手人把消息粘贴到 lethe：{0} 个待办订单。",
        "The broker pastes the message into her lethe: {0} pending orders.",
    ],
    DemoReplayRefused => [
        "같은 메시지를 다시 붙여 넣으면 거부되고 아무것도 바뀌지 않습니다.",
        "再次粘贴同一条消息会被拒绝，不做任何更改。",
        "Pasting the same message again is refused and changes nothing.",
    ],
    DemoDelivered => [
        "전달: 주문 {0}의 {1}을(를) 건네고, 받는 사람의 답 \"{2}\"를 입력합니다. 보고는 그 자리에서 본부의 키로 봉인됩니다.",
        "送达：为订单 {0} 交付 {1}，并输入收款人的回答“{2}”。报告当场用中心的公钥封存。",
        "Delivery: she hands over {1} for order {0} and types the recipient's answer \"{2}\". The report is sealed to the hub at once.",
    ],
    DemoDeliveredWrong => [
        "두 번째 전달, 주문 {0}: {1}을(를) 건넸지만 입력한 답은 \"{2}\"입니다.",
        "第二次送达，订单 {0}：交付了 {1}，但输入的回答是“{2}”。",
        "A second delivery, order {0}: {1} handed over, but the answer typed is \"{2}\".",
    ],
    DemoOutboxEntry => ["보낼 것: 주문 {0}의 보고, {1}자", "待发送：订单 {0} 的报告，{1} 个字符", "waiting to be sent: report for {0}, {1} characters"],
    DemoCannotOpen => [
        "이제 그녀의 보관함에는 이 보고들이 본부에게 봉인된 암호문으로만 있어, 그녀 자신도 열 수 없습니다.",
        "现在她的保险箱里只有封存给中心的密文报告，她自己也无法打开。",
        "Her container now holds these reports only as ciphertext sealed to the hub: she cannot open them herself.",
    ],
    DemoReportsSealed => [
        "보고 {0}건이 {1}자짜리 메시지 하나로 갑니다:",
        "{0} 份报告合为一条 {1} 个字符的消息发送：",
        "The {0} reports travel as one message of {1} characters:",
    ],
    DemoAirtime => [
        "(같은 확인을 60초 음성 통화로 하면 약 {0}바이트, 사진 한 장이면 약 {1}바이트입니다.)",
        "（同样的确认，用 60 秒语音通话约 {0} 字节，用一张照片约 {1} 字节。）",
        "(The same confirmation costs about {0} bytes as a 60-second voice call, or {1} bytes as one photo.)",
    ],
    DemoHubVerified => [
        "본부가 \"{0}\"의 보고를 가져와 각 답을 해시와 상수 시간으로 비교합니다:",
        "中心导入“{0}”的报告，以恒定时间将每个回答与哈希比较：",
        "The hub imports the reports from \"{0}\" and checks each answer against its hash in constant time:",
    ],
    DemoVerdictDelivered => ["답이 맞음: 전달됨", "回答正确：已送达", "answer matches: delivered"],
    DemoVerdictDisputed => ["답이 틀림: 이의 있음", "回答不符：有争议", "answer does not match: disputed"],
    DemoVerdictOther => ["이미 기록됨 또는 모르는 주문", "已记录或未知订单", "already recorded, or unknown order"],
    DemoLedger => [
        "선지급 5,000,000 KRW를 기록한 뒤의 정산 장부 (전달자, 통화, 선지급, 전달, 수수료, 이의, 미전달, 잔액):",
        "记录预付 5,000,000 KRW 后的结算账本（经手人、币种、预付、已送达、应付手续费、争议、未送达、余额）：",
        "Ledger after a cash advance of 5,000,000 KRW (broker, currency, advanced, delivered, fees owed, disputed, outstanding, balance):",
    ],
    DemoStatuses => ["본부의 주문: {0}", "中心的订单：{0}", "Orders at the hub: {0}"],
    DemoAck => [
        "본부의 확인 메시지({0}자)가 전달자에게 돌아갑니다.",
        "中心的确认消息（{0} 个字符）发回给经手人。",
        "The hub's acknowledgement ({0} characters) goes back to the broker.",
    ],
    DemoAckErased => [
        "그녀의 lethe가 확인된 주문 {0}건과 그 보고를 암호학적으로 지웁니다.",
        "她的 lethe 以加密方式删除 {0} 个已确认的订单及其报告。",
        "Her lethe crypto-erases the {0} acknowledged orders and their reports.",
    ],
    DemoAckDisputed => [
        "본부가 이의를 단 주문 {0}({1})은 본부가 해결할 때까지 그 이유와 함께 그녀의 휴대폰에 남습니다.",
        "中心有异议的订单 {0}（{1}）连同理由留在她的手机上，直到中心解决为止。",
        "Order {0}, which the hub disputes ({1}), stays on her phone with the hub's reason until the hub resolves it.",
    ],
    DemoFieldLeft => ["숨은 칸에 남은 것: {0}", "隐藏分区中剩下：{0}", "Left in her hidden compartment: {0}"],
    DemoRawClean => [
        "검사관처럼 보관함의 날 바이트에서 별칭, 답, 장소를 찾아봅니다(UTF-8과 UTF-16): 아무것도 없습니다.",
        "像检查人员那样在保险箱的原始字节中搜索化名、回答和地点（UTF-8 与 UTF-16）：什么也没找到。",
        "Searching her container's raw bytes as an examiner would (UTF-8 and UTF-16) for the alias, the answer and the place: nothing found.",
    ],
    DemoRawFound => ["날 바이트에서 찾음: {0}", "在原始字节中找到：{0}", "Found in the raw bytes: {0}"],
    DemoDecoy => [
        "휴대폰을 열라고 강요받자 위장 비밀번호 \"{0}\"를 줍니다: 보통 메모({1})만 보입니다.",
        "被迫打开手机时，她给出伪装密码“{0}”：只显示普通笔记（{1}）。",
        "Forced to open her phone, she gives the decoy passphrase \"{0}\": it shows only ordinary notes ({1}).",
    ],
    DemoDecoyNoRole => [
        "전달자 키도, 주문도, 숨은 칸이 있다는 흔적도 없습니다.",
        "没有经手人密钥，没有订单，也没有任何迹象表明存在隐藏分区。",
        "No broker key, no orders, nothing that says a hidden compartment exists.",
    ],
    DemoPanic => [
        "비상 삭제: 키 영역을 무작위 바이트로 덮어씁니다({0} ms).",
        "紧急销毁：用随机字节覆盖密钥区（{0} 毫秒）。",
        "Panic: the key area is overwritten with random bytes ({0} ms).",
    ],
    DemoAfterPanic => ["\"{0}\"는 이제 아무것도 열지 못합니다.", "“{0}”现在什么也打不开。", "\"{0}\" now opens nothing."],
    DemoDone => [
        "끝({0}초). 모든 것이 메모리에만 있었고 이제 사라졌습니다. 다음: `lethe init my.vault`, 그다음 `lethe app my.vault`.",
        "完成（{0} 秒）。一切只在内存中，现已消失。下一步：`lethe init my.vault`，然后 `lethe app my.vault`。",
        "Done in {0} s. Everything lived in memory and is gone. Next: `lethe init my.vault`, then `lethe app my.vault`.",
    ],
    // ---- Command line: `lethe hide`
    CliHideWarning => [
        "경고: 지금 연 칸 위에 숨은 칸이 이미 있는지 lethe는 알 수 없습니다(숨기는 것이 목적이니까요). 그런 칸이 있는데 이 비밀번호가 그 칸을 열지 못하면, 그 칸은 덮어써지고 메모, 주문, 키, 짝 맺기가 모두 영영 사라집니다. 가장 위의 칸을 열었을 때만 계속하세요.",
        "警告：lethe 无法知道在你打开的分区之上是否已有隐藏分区（隐藏本来就是目的）。如果有这样的分区而此密码打不开它，它会被覆盖，其中的笔记、订单、密钥和配对将永远丢失。只有在打开了最上层分区时才继续。",
        "Warning: lethe cannot tell whether a hidden compartment already exists above the one you opened (hiding is the point). If one exists and this passphrase does not open it, it will be overwritten: its notes, orders, keys and pairing are lost for good. Only continue if you opened your highest compartment.",
    ],
    CliHideConfirm => [
        "계속하려면 \"네\"를 입력하세요(다른 입력은 중단):",
        "要继续请输入“是”（其他输入则停止）：",
        "Type \"yes\" to continue (anything else stops):",
    ],
    CliHideStopped => ["중단했습니다. 아무것도 바꾸지 않았습니다.", "已停止。没有做任何更改。", "Stopped. Nothing was changed."],
    CliHideNeedsYes => [
        "확인을 물을 터미널이 없습니다. 스크립트에서는 `lethe hide --help`를 읽은 뒤 --yes를 붙이세요. 아무것도 바꾸지 않았습니다.",
        "没有可以询问确认的终端。在脚本中，请先阅读 `lethe hide --help`，再加上 --yes。没有做任何更改。",
        "There is no terminal to ask for confirmation. In a script, read `lethe hide --help`, then add --yes. Nothing was changed.",
    ],
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
    /// Ids whose English text quotes Korean or Chinese examples (amounts typed the local way).
    const QUOTES_CJK: &[Msg] = &[Msg::FieldAmount, Msg::ErrAmount, Msg::DemoOrders];

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
            if !QUOTES_CJK.contains(&m) {
                assert!(!has_hangul(en) && !has_han(en), "{m:?}: the English text is not English: {en}");
            }
        }
    }

    #[test]
    fn formatting_fills_placeholders() {
        assert_eq!(fill("a {0} b {1} {0}", &["x", "y"]), "a x b y x");
        assert_eq!(fill("{0} {2}", &["x"]), "x ");
        assert_eq!(fill("{ odd } {", &[]), "{ odd } {");
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
